"""Sign-in flood (issue 14): 50 parallel bad sign-ins, each from its own address (the worst case:
no client limit applies, every one reaches argon2), while a resident reads a compound's board.
Both go over HTTP to one server (uvicorn in this process, serving the resident routes and the
staff's POST /signin as `app.py` does): the guesses as browsers behind nginx would send them
(X-Real-IP from loopback), the resident's GET /board/{id}. The board's median time during the flood
over its quiet median.

Run: .venv/bin/python benchmarks/bench_sign_in_flood.py   (target: ratio <= 1.5)"""
from __future__ import annotations

import http.client
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_resident_pages import serving  # noqa: E402 - the resident routes under uvicorn, in a thread
from deliberation.demo import load_demo
from deliberation.model.errors import NotFound
from deliberation.services import public
from deliberation.services import sign_in_limits as limits
from deliberation.store import open_db
from deliberation.web import resident
from deliberation.web.signin import http as sign_in_http

FLOOD = 50
SECONDS = 4.0


def read_board(port: int, compound_id: int) -> float:
    """One resident's GET /board/{id}, in milliseconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/board/{compound_id}")
    answer = conn.getresponse()
    answer.read()
    conn.close()
    if answer.status != 200:
        raise RuntimeError(f"/board/{compound_id} answered {answer.status}")
    return (time.perf_counter() - started) * 1000


def issue_count(db, compound_id: int) -> int:
    try:
        return public.public_issues(db, compound_id)[1]
    except NotFound:
        return -1


def board_times(port: int, compound_id: int, seconds: float = SECONDS) -> list[float]:
    """Board reads one after another for `seconds`, as residents keep arriving."""
    times, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        times.append(read_board(port, compound_id))
    return times


def guess(port: int, token: str, tries: int, n: int) -> str:
    """One bad POST /signin for `admin` from a new address; the answer's message."""
    body = urllib.parse.urlencode({"csrf_token": token, "username": "admin", "password": f"guess-{tries}",
                                   "next": "/"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/signin", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin",
        "X-Real-IP": f"10.9.{n}.{tries % 250}"})
    answer = conn.getresponse()
    text = answer.read().decode("utf-8")
    conn.close()
    found = re.search(r'class="error" role="alert">([^<]+)<', text)
    return found.group(1) if found else f"HTTP {answer.status}"


def flood(port: int, stop: threading.Event, outcome: dict) -> list[threading.Thread]:
    """FLOOD threads, each guessing `admin` from a new address again and again until `stop`."""
    lock = threading.Lock()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', conn.getresponse().read().decode("utf-8")).group(1)
    conn.close()

    def guesser(n: int) -> None:
        tries = 0
        while not stop.is_set():
            tries += 1
            said = guess(port, token, tries, n)
            with lock:
                outcome[said] = outcome.get(said, 0) + 1
    threads = [threading.Thread(target=guesser, args=(n,)) for n in range(FLOOD)]
    for thread in threads:
        thread.start()
    return threads


def measure(port: int, compound_id: int) -> tuple[float, float, dict]:
    """(quiet median ms, median ms during the flood, how the sign-ins were answered)."""
    quiet = statistics.median(board_times(port, compound_id))
    stop, outcome = threading.Event(), {}
    threads = flood(port, stop, outcome)
    time.sleep(1.0)                                        # the flood is under way
    busy = statistics.median(board_times(port, compound_id))
    stop.set()
    for thread in threads:
        thread.join()
    return quiet, busy, outcome


def main() -> None:
    path = Path(tempfile.mkdtemp(prefix="bench-flood-")) / "demo.db"
    db = open_db(path)
    load_demo(db)
    compound_id = max(range(1, 30), key=lambda c: issue_count(db, c))    # the fullest board
    db.close()
    os.environ["DELIBERATION_DB"] = str(path)
    with serving([*sign_in_http.routes(), *resident.routes()]) as port:
        board_times(port, compound_id, 1.0)                # warm the caches
        for label, slots in (("bounded", limits.VERIFY_SLOTS), ("unbounded (as before issue 14)", FLOOD)):
            limits.SLOTS = limits.VerifySlots(slots)
            quiet, busy, outcome = measure(port, compound_id)
            print(f"{label}: /board/{compound_id} quiet median {quiet:.2f} ms; during {FLOOD} parallel bad "
                  f"sign-ins {busy:.2f} ms; ratio {busy / quiet:.2f} (target <= 1.5)")
            print("  sign-in answers: " + ", ".join(f"{m} ×{n}" for m, n in outcome.items()))


if __name__ == "__main__":
    main()
