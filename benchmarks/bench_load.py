"""Concurrent load on one server, in one run: one app process answering directly, then two app
processes behind the shipped nginx site (deploy/, rendered for loopback). In each: 20 staff
sessions (signed in through the real form in Chromium, then driven over Streamlit's WebSocket) click
through the register, an issue and the meetings page while 200 resident phones read the boards
(/board/<id> and issue pages, a pause of 1-3 s between pages). Reported per page: p50/p95
milliseconds, errors, the app processes' memory (idle, with the 20 sessions open, peak) and per
staff session, and the ratios 1 process / 2 processes.

    .venv/bin/python benchmarks/bench_load.py [--staff 20] [--residents 200] [--rounds 10] [--json]

Loopback only; every loop is bounded in count and time (--deadline seconds per mode). Prints one
JSON object on stdout; progress on stderr."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_board_load import fetch, percentile
from bench_browser import CHROMIUM_ARGS, launch_streamlit, stop, wait_healthy
from measure import ROOT, say

from tests.e2e.helpers import sign_in
from tests.e2e.nginx_site import NginxSite, nginx_binary, start_nginx

# (account, an issue it may open): four staff accounts of the demo, each signed in once and shared
# by a fifth of the sessions (each session is its own Streamlit session, like a second tab).
ACCOUNTS = (("hx_secretary", 4), ("hx_recorder", 7), ("yl_secretary", 20), ("admin", 9))
PAGES = ("register", "issue", "meetings")
SIDEBAR = {"register": "议题台账", "meetings": "会议"}
PAGE_TIMEOUT_MS = 60_000
RESIDENT_PAUSE_S = (1.0, 3.0)
RESIDENT_MAX_PAGES = 60               # per phone: the bound when the staff are slow


@dataclass
class Server:
    procs: list[subprocess.Popen]
    ports: list[int]
    url: str
    nginx: NginxSite | None = None
    workdir: Path | None = None

    def rss_mb(self) -> list[float]:
        return [rss_mb(p.pid) for p in self.procs]

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for proc in self.procs:
            stop(proc)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def start_server(db: Path, processes: int, workdir: Path) -> Server:
    """`processes` app processes on one database (one cookie secret, as deploy/systemd gives them);
    behind nginx when more than one."""
    os.environ["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_hex(32)
    procs, urls, logs = [], [], [workdir / f"app-{processes}-{n}.log" for n in range(processes)]
    for log in logs:
        proc, url = launch_streamlit(ROOT / "app.py", db, log)
        procs.append(proc)
        urls.append(url)
    for proc, url, log in zip(procs, urls, logs):
        wait_healthy(proc, url, log)
    ports = [int(url.rsplit(":", 1)[1]) for url in urls]
    server = Server(procs, ports, urls[0], workdir=workdir)
    if processes > 1:
        prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        server.nginx = start_nginx(ports, prefix)
        server.url = server.nginx.url
    return server


def warm(server: Server) -> None:
    """One page and one board from every process, so that no timed request pays a first import."""
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for port in server.ports:
        for path in ("/", "/board/1", "/board/2/issues/3"):
            with opener.open(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
                answer.read()


def signed_in_states(url: str) -> dict[str, dict]:
    """Each account signed in once through the real form; its cookies for the sessions. nginx's
    route cookie is left out, so each session gets its own (and its own process)."""
    from playwright.sync_api import sync_playwright
    states = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                     args=CHROMIUM_ARGS, headless=True)
        for account, _issue in ACCOUNTS:
            context = browser.new_context(locale="zh-CN")
            sign_in(context.new_page(), url, account)
            state = context.storage_state()
            state["cookies"] = [c for c in state["cookies"] if c["name"] != "xsyz_route"]
            states[account] = state
            context.close()
        browser.close()
    return states


# --- the staff ------------------------------------------------------------------------------------
# Each staff session is a Streamlit session driven over its WebSocket, as the browser's page does it:
# a rerun of the page's script per click (BackMsg.rerun_script with the page's name and query), done
# when the server says script_finished. The server does all its work (the session check, the page's
# queries, its elements); nothing is drawn, so the client costs little CPU and the figures are the
# server's, not Chromium's (on a 2-core machine, 20 Chromium tabs drawing at once took most of the CPU).

HEADINGS = {"register": "议题台账", "issue": "#", "meetings": "协商议事会议"}


@dataclass
class StaffResult:
    ms: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    errors: dict[str, int] = field(default_factory=lambda: {p: 0 for p in PAGES})
    notes: list[str] = field(default_factory=list)


async def run_page(ws, page: str, query: str) -> str:
    """One click: the page's script run; its first h1, or a RuntimeError on an error shown."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    msg = BackMsg()
    msg.rerun_script.page_name, msg.rerun_script.query_string = page, query
    await ws.send(msg.SerializeToString())
    heading = ""
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), PAGE_TIMEOUT_MS / 1000))
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "exception":
                raise RuntimeError(f"exception box: {element.exception.message[:80]}")
            if element.WhichOneof("type") == "heading" and element.heading.tag == "h1" and not heading:
                heading = element.heading.body
        elif kind == "script_finished":
            if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                raise RuntimeError(f"script finished with {forward.script_finished}")
            return heading


async def staff_session(url: str, state: dict, issue: int, rounds: int, think: tuple[float, float], rng,
                        opened: asyncio.Queue, go: asyncio.Event, result: StaffResult, deadline: float) -> None:
    import websockets
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
    queries = {"register": "", "issue": f"issue={issue}", "meetings": ""}
    was_opened = False
    try:
        async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                      additional_headers={"Cookie": cookies, "Origin": url}, max_size=None,
                                      open_timeout=60) as ws:
            await run_page(ws, "meetings", "")                    # the session's first page, not timed
            was_opened = True
            await opened.put(True)
            await go.wait()
            for _round in range(rounds):
                for name in PAGES:
                    if time.monotonic() > deadline:
                        return
                    await asyncio.sleep(rng.uniform(*think))
                    started = time.perf_counter()
                    try:
                        heading = await run_page(ws, name, queries[name])
                        if not heading.startswith(HEADINGS[name]):
                            raise RuntimeError(f"not the page: {heading!r}")
                        result.ms[name].append((time.perf_counter() - started) * 1000)
                    except Exception as exc:            # noqa: BLE001 - counted and named, the run goes on
                        result.errors[name] += 1
                        result.notes.append(f"{name}: {str(exc)[:120]}")
    except Exception as exc:                            # noqa: BLE001 - a session that never opened
        result.errors["register"] += 1
        result.notes.append(f"open: {str(exc)[:120]}")
        if not was_opened:
            await opened.put(False)


# --- the residents ---------------------------------------------------------------------------------

async def resident(port: int, rng: random.Random, go: asyncio.Event, done: asyncio.Event, deadline: float,
                   results: list[tuple[str, float, int]]) -> None:
    await go.wait()
    await asyncio.sleep(rng.uniform(0, RESIDENT_PAUSE_S[1]))          # phones do not arrive in step
    for n in range(RESIDENT_MAX_PAGES):
        if done.is_set() or time.monotonic() > deadline:
            return
        compound = rng.randint(1, 23)
        kind, path = ("board", f"/board/{compound}") if n % 2 == 0 else ("board_issue", f"/board/1/issues/{rng.randint(1, 15)}")
        ms, status = await fetch("127.0.0.1", port, path)
        results.append((kind, ms, status))
        await asyncio.sleep(rng.uniform(*RESIDENT_PAUSE_S))


# --- one mode --------------------------------------------------------------------------------------

async def sample_memory(server: Server, done: asyncio.Event, peaks: list[float]) -> None:
    while not done.is_set():
        peaks.append(sum(server.rss_mb()))
        await asyncio.sleep(0.5)


async def drive(server: Server, states: dict, staff: int, residents: int, rounds: int, think: tuple[float, float],
                deadline_s: float) -> dict:
    deadline = time.monotonic() + deadline_s
    result, resident_results, peaks = StaffResult(), [], []
    opened, go, done = asyncio.Queue(), asyncio.Event(), asyncio.Event()
    port = int(server.url.rsplit(":", 1)[1])
    idle_mb = server.rss_mb()
    rng = random.Random(2026)
    sessions = [asyncio.create_task(staff_session(server.url, states[ACCOUNTS[n % len(ACCOUNTS)][0]],
                                                  ACCOUNTS[n % len(ACCOUNTS)][1], rounds, think,
                                                  random.Random(rng.random()), opened, go, result, deadline))
                for n in range(staff)]
    ok = [await asyncio.wait_for(opened.get(), timeout=deadline_s) for _ in range(staff)]
    await asyncio.sleep(2)                        # the sessions' first runs settle
    open_mb = server.rss_mb()
    say(f"  {sum(ok)}/{staff} staff sessions open; RSS {[round(m) for m in open_mb]} MB")
    phones = [asyncio.create_task(resident(port, random.Random(rng.random()), go, done, deadline, resident_results))
              for _ in range(residents)]
    sampler = asyncio.create_task(sample_memory(server, done, peaks))
    started = time.perf_counter()
    go.set()
    await asyncio.gather(*sessions)
    staff_seconds = time.perf_counter() - started
    done.set()
    await asyncio.gather(*phones, sampler)
    per_page = {name: summary(result.ms[name], result.errors[name]) for name in PAGES}
    for kind in ("board", "board_issue"):
        times = [ms for k, ms, status in resident_results if k == kind and status == 200]
        errors = sum(1 for k, _ms, status in resident_results if k == kind and status != 200)
        per_page[kind] = summary(times, errors)
    return {"processes": len(server.procs), "through_nginx": server.nginx is not None, "pages": per_page,
            "staff_seconds": round(staff_seconds, 1),
            "staff_clicks_per_s": round(sum(len(v) for v in result.ms.values()) / staff_seconds, 1),
            "resident_requests": len(resident_results),
            "resident_rps": round(len(resident_results) / staff_seconds, 1) if staff_seconds else None,
            "rss_mb": {"idle": [round(m) for m in idle_mb], "sessions_open": [round(m) for m in open_mb],
                       "peak_total": round(max(peaks or [0]))},
            "mb_per_staff_session": round((sum(open_mb) - sum(idle_mb)) / max(1, sum(ok)), 1),
            "errors": sum(p["errors"] for p in per_page.values()), "error_notes": result.notes[:10],
            "nginx_requests_per_process": dict(server.nginx.served_by()) if server.nginx else None,
            "staff_sessions_per_process": streams_per_process(server)}


def streams_per_process(server: Server) -> dict | None:
    """Where nginx put each staff session of the load (its WebSocket, logged when it closed; the
    sign-in browser's own are left out)."""
    if server.nginx is None:
        return None
    time.sleep(0.5)
    counts: dict[str, int] = {}
    for entry in server.nginx.log():
        if entry.path == "/_stcore/stream" and entry.agent.startswith("Python"):
            for upstream in entry.upstreams:
                counts[upstream] = counts.get(upstream, 0) + 1
    return counts


def summary(times: list[float], errors: int) -> dict:
    if not times:
        return {"n": 0, "errors": errors, "p50_ms": None, "p95_ms": None}
    return {"n": len(times), "errors": errors, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": percentile(times, 95)}


def run_mode(processes: int, args, workdir: Path) -> dict:
    db = workdir / f"demo-{processes}.db"
    subprocess.run([sys.executable, "-m", "deliberation", "demo", "--db", str(db)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    say(f"{processes} process(es){' behind nginx' if processes > 1 else ', direct'}: starting")
    server = start_server(db, processes, workdir)
    try:
        warm(server)
        states = signed_in_states(server.url)
        return asyncio.run(drive(server, states, args.staff, args.residents, args.rounds, tuple(args.think),
                                 args.deadline))
    finally:
        server.stop()
        if server.nginx is not None:
            shutil.rmtree(server.nginx.prefix, ignore_errors=True)


def ratios(one: dict, two: dict) -> dict:
    """1 process / 2 processes: above 1 means two processes behind nginx were faster."""
    out = {}
    for page in one["pages"]:
        a, b = one["pages"][page], two["pages"][page]
        if a["p95_ms"] and b["p95_ms"]:
            out[page] = {"p50": round(a["p50_ms"] / b["p50_ms"], 2), "p95": round(a["p95_ms"] / b["p95_ms"], 2)}
    out["staff_seconds"] = round(one["staff_seconds"] / two["staff_seconds"], 2)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10, help="register → issue → meetings, per staff session")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"),
                        help="seconds a staff member pauses before each click (0 0: as fast as the server answers)")
    parser.add_argument("--deadline", type=float, default=240, help="seconds per mode, at most")
    parser.add_argument("--json", action="store_true", help="one line")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        workdir = Path(tmp)
        one = run_mode(1, args, workdir)
        two = run_mode(2, args, workdir)
    out = {"one_process": one, "two_processes_nginx": two, "scaling_1_over_2": ratios(one, two),
           "settings": {"staff": args.staff, "residents": args.residents, "rounds": args.rounds,
                        "think_s": list(args.think), "resident_pause_s": list(RESIDENT_PAUSE_S)},
           "machine": {"cores": os.cpu_count(), "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                       "nginx": subprocess.run([nginx_binary(), "-v"], capture_output=True, text=True, check=False).stderr.strip()}}
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
