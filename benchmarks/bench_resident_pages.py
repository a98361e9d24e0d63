"""The residents' issue page and track page on a 1,000-compound file over the same pages on a
2-compound file (compound #2 is identical in both), in one process, requests interleaved.

Served in this process by uvicorn (in a thread) over the resident routes alone, asked over loopback
with http.client: the Streamlit server around them is the same in both and would only add noise. `warm` is as residents meet the
pages (the rendered page cached until its compound changes); `cold` empties the caches before
every request: the first reader after a change."""
from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from measure import BOARD_COMPOUND, actor_of

HOUSEHOLD = "1栋101"


def _concern_to_track(path: Path) -> tuple[int, str]:
    """A resident's concern in compound #2 with a household code, raised through the services
    (the file gets one code and one concern more, the same in both files): (number, code)."""
    from deliberation.services import concerns, households
    from deliberation.store.db import open_db
    db = open_db(path)
    admin = actor_of(db, "admin")
    existing = [c for c in households.household_codes(db, admin, BOARD_COMPOUND) if c["unit"] == HOUSEHOLD
                and not c["revoked_at"]]
    issued = (households.reissue_codes(db, admin, BOARD_COMPOUND, [HOUSEHOLD]) if existing
              else households.issue_codes(db, admin, BOARD_COMPOUND, [HOUSEHOLD]))
    code = issued[0].code
    category = concerns.concern_categories(db, BOARD_COMPOUND)[0]["id"]
    issue_id = concerns.raise_concern(db, BOARD_COMPOUND, category_id=category, description="楼道灯坏了很久没人修",
                                      session_key="bench-track", household_code=code)
    number = db.execute("SELECT number FROM issues WHERE id = ?", [issue_id]).fetchone()[0]
    db.close()
    return number, code


def _an_issue_number(path: Path) -> int:
    """A resolved issue of compound #2 with a long story (the same issue in both files)."""
    import sqlite3
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("""SELECT i.number FROM issues i WHERE i.compound_id = ? AND i.stage = 'resolved'
                               ORDER BY (SELECT count(*) FROM events e WHERE e.issue_id = i.id) DESC, i.number
                               LIMIT 1""", [BOARD_COMPOUND]).fetchone()[0]
    finally:
        conn.close()


def _clear_caches() -> None:
    from deliberation.services import public_cache
    from deliberation.web.resident import render
    public_cache._entries.clear()
    render.clear_page_cache()


@contextmanager
def serving(routes=None):
    """uvicorn on a free loopback port, in a thread, serving `routes` (the resident routes alone by
    default)."""
    import uvicorn
    from starlette.applications import Starlette

    from deliberation.web import resident
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes if routes is not None else resident.routes()),
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def ask(port: int, method: str, path: str, body: dict | None = None, cookie: str = "") -> tuple[int, str, str]:
    """(status, text, the Set-Cookie value's first part) of one request on a new connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read().decode("utf-8", "replace"), (answer.getheader("set-cookie") or "").split(";")[0]
    finally:
        conn.close()


def resident_scaling(small: Path, large: Path, runs: int) -> dict:
    number = _an_issue_number(small)
    assert number == _an_issue_number(large), "compound #2 differs between the two files"
    tracked = {path: _concern_to_track(path) for path in (small, large)}
    with serving() as port:
        return _measure(port, small, large, number, tracked, runs)


def _measure(port: int, small: Path, large: Path, number: int, tracked: dict, runs: int) -> dict:
    def issue_page(path: Path, cold: bool):
        def go():
            os.environ["DELIBERATION_DB"] = str(path)       # read by the server's threads at each request
            if cold:
                _clear_caches()
            status, text, _ = ask(port, "GET", f"/board/{BOARD_COMPOUND}/issues/{number}")
            assert status == 200, text[:300]
        return go

    def track_page(path: Path):
        def go():
            os.environ["DELIBERATION_DB"] = str(path)
            _, form, cookie = ask(port, "GET", f"/board/{BOARD_COMPOUND}/track")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
            n, code = tracked[path]
            status, text, _ = ask(port, "POST", f"/board/{BOARD_COMPOUND}/track", cookie=cookie,
                                  body={"csrf_token": token, "number": str(n), "code": code})
            assert status == 200 and "办理经过" in text, text[:500]
        return go

    out = {}
    for key, a, b in (("issue_warm", issue_page(large, False), issue_page(small, False)),
                      ("issue_cold", issue_page(large, True), issue_page(small, True)),
                      ("track", track_page(large), track_page(small))):
        out[key] = _interleaved(a, b, runs)
    return {"value": max(v["ratio"] for v in out.values()), **out, "runs": runs,
            "note": "wall-clock medians of interleaved requests to uvicorn in this process, large over small"}


def _interleaved(large, small, runs: int) -> dict:
    for _ in range(3):
        large(), small()
    times = {"large": [], "small": []}
    for n in range(runs):
        for key, fn in ((("large", large), ("small", small)) if n % 2 == 0 else (("small", small), ("large", large))):
            started = time.perf_counter()
            fn()
            times[key].append((time.perf_counter() - started) * 1000)
    large_ms, small_ms = statistics.median(times["large"]), statistics.median(times["small"])
    return {"ratio": round(large_ms / small_ms, 2), "large_ms": round(large_ms, 2), "small_ms": round(small_ms, 2)}
