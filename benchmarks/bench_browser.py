"""A real browser: headless Debian Chromium against `streamlit run`, the register page against an
empty page of a Streamlit app served alongside, in the same run."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from district_base import PASSWORD
from measure import BOARD_COMPOUND, ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_streamlit(app: Path, db_path: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DELIBERATION_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


EMPTY_APP = """import streamlit as st
st.navigation([st.Page("home_page.py", title="home", url_path="home", default=True),
               st.Page("empty_page.py", title="empty", url_path="empty"),
               st.Page("grid_page.py", title="grid", url_path="grid")]).run()
"""
# A diagnostic, not a baseline: the cost of one 50-row st.dataframe (the register's table) alone.
GRID_PAGE = """import streamlit as st
st.dataframe([{"编号": n, "议题": f"{n}栋地下车库照明不足", "类别": "停车", "阶段": "民主议事", "提出方": "业主委员会",
               "提出日期": "2026-01-01", "反映户数": 1, "逾期": ""} for n in range(50)], hide_index=True)
"""
# What shows that each page has rendered its own content (not a sign-in form or an error).
READY = {"register": '[data-testid="stDataFrame"]', "public": '[data-testid="stMain"] h1',
         "signin": '[data-testid="stFormSubmitButton"]', "empty": '[data-testid="stMain"]'}


def interleaved(measure_page, measure_empty, runs: int) -> tuple[list[float], list[float]]:
    """`runs` alternating measurements of each (A B, B A, …) after one warm-up of each, so a slow
    moment of the machine falls on both sides alike."""
    measure_page(), measure_empty()          # warm up: server caches, JS chunks
    page_ms, empty_ms = [], []
    for n in range(runs):
        pair = (measure_empty, measure_page) if n % 2 else (measure_page, measure_empty)
        for fn in pair:
            (page_ms if fn is measure_page else empty_ms).append(fn())
    return page_ms, empty_ms


def ratio_figures(page_ms: list[float], empty_ms: list[float]) -> dict:
    """The ratio of medians, and its spread: the ratio of each alternating pair, lowest to highest
    and the middle half (quartiles), so a reader sees whether one run could be trusted."""
    pairs = sorted(p / e for p, e in zip(page_ms, empty_ms))
    quartiles = statistics.quantiles(pairs, n=4) if len(pairs) >= 2 else [pairs[0]] * 3
    return {"value": round(statistics.median(page_ms) / statistics.median(empty_ms), 2),
            "page_ms": round(statistics.median(page_ms), 1), "empty_ms": round(statistics.median(empty_ms), 1),
            "pair_ratio_min": round(pairs[0], 2), "pair_ratio_q1": round(quartiles[0], 2),
            "pair_ratio_q3": round(quartiles[2], 2), "pair_ratio_max": round(pairs[-1], 2),
            "runs": len(pairs)}


class Tabs:
    """One headless Chromium context: fresh loads in new tabs, clicks in the sidebar of an open tab."""

    def __init__(self, context):
        self.context = context

    def fresh(self, address: str, ready: str) -> float:
        page = self.context.new_page()
        started = time.perf_counter()
        page.goto(address, wait_until="commit")
        page.wait_for_selector(IDLE, timeout=60000)
        page.wait_for_selector(ready, timeout=60000)
        elapsed = (time.perf_counter() - started) * 1000
        page.close()
        return elapsed

    @staticmethod
    def click(page, path: str) -> float:
        """A click on the sidebar link to `path` ("": the app's default page) until it has run."""
        page.bring_to_front()       # a tab not in front is throttled like any background tab
        link = f'a[data-testid="stSidebarNavLink"][href$="/{path}"]' if path else 'a[data-testid="stSidebarNavLink"]'
        started = time.perf_counter()
        page.locator(link).first.click()
        if path:
            page.wait_for_url(f"**/{path}*", timeout=60000)
        else:
            page.wait_for_url(lambda u: not u.rstrip("/").rsplit("/", 1)[-1].startswith(("register", "empty", "grid")),
                              timeout=60000)
        page.wait_for_selector(IDLE, timeout=60000)
        return (time.perf_counter() - started) * 1000

    def signed_in(self, app_url: str):
        """A tab signed in through the form as the benchmark compound's secretary; the browser now
        remembers the sign-in (a cookie), so later fresh loads open signed-in pages directly."""
        page = self.context.new_page()
        page.goto(f"{app_url}/")
        page.wait_for_selector(IDLE, timeout=60000)
        page.get_by_label("用户名").fill(f"sec{BOARD_COMPOUND:04d}")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector('a[data-testid="stSidebarNavLink"][href$="/register"]', timeout=60000)
        page.wait_for_selector(IDLE, timeout=60000)
        return page


def browser_vs_empty(db_path: Path, target: str, runs: int, workdir: Path, navigation: bool = True) -> dict:
    """Time until a page is rendered in headless Chromium, against an empty Streamlit page, same run.

    value: a fresh load of the page (goto → its script has run and its own content shows: for the
    register, its table) over a fresh load of the empty page of a bare Streamlit app served
    alongside. The register is opened by the compound's secretary, signed in once through the form
    beforehand: the browser's remembered sign-in opens it directly, as a bookmark would.
    navigation (register only): the register reached by a click in the sidebar of an open session,
    over the same click to the bare app's empty page, and to a page holding only a 50-row table."""
    from playwright.sync_api import sync_playwright
    (workdir / "empty_app.py").write_text(EMPTY_APP)
    (workdir / "home_page.py").write_text("import streamlit as st\nst.write('home')\n")
    (workdir / "empty_page.py").write_text("import streamlit as st\n")
    (workdir / "grid_page.py").write_text(GRID_PAGE)
    procs = []
    try:
        app_proc, app_url = launch_streamlit(ROOT / "app.py", db_path, workdir / "app.log")
        procs.append(app_proc)
        empty_proc, empty_url = launch_streamlit(workdir / "empty_app.py", db_path, workdir / "empty.log")
        procs.append(empty_proc)
        wait_healthy(app_proc, app_url, workdir / "app.log")
        wait_healthy(empty_proc, empty_url, workdir / "empty.log")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                         args=CHROMIUM_ARGS, headless=True)
            tabs = Tabs(browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN"))
            paths = {"register": "/register", "public": f"/public?compound={BOARD_COMPOUND}", "signin": "/"}
            app_tab = tabs.signed_in(app_url) if target == "register" else None
            page, empty = interleaved(lambda: tabs.fresh(app_url + paths[target], READY[target]),
                                      lambda: tabs.fresh(f"{empty_url}/empty", READY["empty"]), runs)
            result = {**ratio_figures(page, empty), "page": target, "mode": "fresh page load",
                      "chromium": browser.version}
            if app_tab is not None and navigation:
                result["navigation"] = _navigation(tabs, app_tab, empty_url, runs)
            browser.close()
    finally:
        for proc in procs:
            stop(proc)
    return result


def _navigation(tabs: Tabs, app_tab, empty_url: str, runs: int) -> dict:
    bare = tabs.context.new_page()
    bare.goto(f"{empty_url}/")
    bare.wait_for_selector(IDLE, timeout=60000)
    grid_ms: list[float] = []

    def to_register() -> float:
        ms = tabs.click(app_tab, "register")
        tabs.click(app_tab, "")
        return ms

    def to_empty() -> float:
        ms = tabs.click(bare, "empty")
        tabs.click(bare, "")
        grid_ms.append(tabs.click(bare, "grid"))
        tabs.click(bare, "")
        return ms

    page, empty = interleaved(to_register, to_empty, runs)
    figures = ratio_figures(page, empty)
    return {"ratio": figures.pop("value"), **figures, "dataframe_50_rows_ms": round(statistics.median(grid_ms), 1),
            "mode": "a click in the sidebar of an open, signed-in tab"}
