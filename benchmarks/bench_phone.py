"""A resident's first visit on a phone: /board/{id} at 390×844 over emulated Fast 3G (150 ms round
trip, 1.6 Mbit/s down, 750 kbit/s up), against a static HTML file of the same content served
beside it, in the same run; the Streamlit public board's figure alongside."""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_browser import CHROMIUM_ARGS, IDLE, free_port, launch_streamlit, stop, wait_healthy
from measure import BOARD_COMPOUND, ROOT, say

FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
# The first screen of each: the board's heading (server-rendered, so it is there at the first
# paint), the static copy's, and the Streamlit board's title once its script has run.
FIRST_SCREEN = {"board": "h1", "static": "h1", "streamlit": '[data-testid="stMain"] h1'}


def visit(browser, url: str, ready: str, *, streamlit: bool = False) -> dict:
    """One first visit in a new context (empty cache, no cookies) over throttled network:
    milliseconds until the first screen shows, bytes on the wire and requests."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    wire = {"bytes": 0, "requests": 0}

    def finished(event):
        wire["bytes"] += event.get("encodedDataLength", 0)
        wire["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=120000)
    if streamlit:
        page.wait_for_selector(IDLE, timeout=120000)
    page.wait_for_selector(ready, state="visible", timeout=120000)
    shown_ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("load")
    paint = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
    context.close()
    return {"ms": shown_ms, "fcp_ms": paint, **wire}


def static_copy(board_url: str, folder: Path) -> tuple[subprocess.Popen, str]:
    """The board's HTML saved as a file and served by a plain static server on another port."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(board_url, timeout=30) as resp:
        (folder / "board.html").write_bytes(resp.read())
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            opener.open(f"http://127.0.0.1:{port}/board.html", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    return proc, f"http://127.0.0.1:{port}/board.html"


def median_of(visits: list[dict], key: str) -> float | None:
    """The median of the visits' `key`; None when no visit recorded it (a paint entry can be missing)."""
    found = [v[key] for v in visits if v[key] is not None]
    return round(statistics.median(found), 1) if found else None


def phone_first_visit(db_path: Path, runs: int, streamlit_runs: int = 2, compound_id: int = BOARD_COMPOUND) -> dict:
    """`runs` alternating first visits of the board and of its static copy; the ratio of medians."""
    from playwright.sync_api import sync_playwright
    folder = Path(tempfile.mkdtemp(prefix="bench-phone-"))
    procs = []
    try:
        app, app_url = launch_streamlit(ROOT / "app.py", db_path, folder / "app.log")
        procs.append(app)
        wait_healthy(app, app_url, folder / "app.log")
        board_url = f"{app_url}/board/{compound_id}"
        static, static_url = static_copy(board_url, folder)
        procs.append(static)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                         args=CHROMIUM_ARGS, headless=True)
            visit(browser, board_url, FIRST_SCREEN["board"])              # warm-up: server caches
            visit(browser, static_url, FIRST_SCREEN["static"])
            boards, statics = [], []
            for n in range(runs):
                order = ((static_url, statics, "static"), (board_url, boards, "board"))
                for url, into, kind in (order if n % 2 else order[::-1]):
                    into.append(visit(browser, url, FIRST_SCREEN[kind]))
            say(f"phone: board {median_of(boards, 'ms')} ms, static {median_of(statics, 'ms')} ms")
            streamlit = [visit(browser, f"{app_url}/public?compound={compound_id}", FIRST_SCREEN["streamlit"],
                               streamlit=True) for _ in range(streamlit_runs)]
            version = browser.version
            browser.close()
    finally:
        for proc in procs:
            stop(proc)
        shutil.rmtree(folder, ignore_errors=True)
    pairs = sorted(b["ms"] / s["ms"] for b, s in zip(boards, statics))
    return {"value": round(median_of(boards, "ms") / median_of(statics, "ms"), 2),
            "board_ms": median_of(boards, "ms"), "static_ms": median_of(statics, "ms"),
            "board_fcp_ms": median_of(boards, "fcp_ms"), "static_fcp_ms": median_of(statics, "fcp_ms"),
            "board_bytes": boards[0]["bytes"], "board_requests": boards[0]["requests"],
            "static_bytes": statics[0]["bytes"], "pair_ratio_min": round(pairs[0], 2),
            "pair_ratio_max": round(pairs[-1], 2), "runs": runs,
            "streamlit_public_ms": median_of(streamlit, "ms"), "streamlit_public_bytes": streamlit[0]["bytes"],
            "streamlit_public_requests": streamlit[0]["requests"], "network": "Fast 3G: 150 ms RTT, 1.6 Mbit/s down",
            "viewport": "390x844", "chromium": version}
