"""Real-browser harness: `streamlit run` on a free loopback port, driven by Debian's Chromium.

Fixtures
  demo_db            (module)   path to a fresh database loaded by `python -m deliberation demo`
  streamlit_server   (module)   factory: streamlit_server(db_path, app="app.py", env=None) -> base URL
  app_url            (module)   streamlit_server(demo_db): the real app on the demo data
  free_port          (function) a free TCP port on 127.0.0.1
  browser            (session)  Playwright Chromium (Debian's /usr/bin/chromium), headless
  page               (function) new context 1400x1000, zh-CN, Asia/Shanghai; `page.dialogs_seen`
                                collects (type, message) of every JS dialog (dismissed);
                                `page.errors_seen` collects uncaught page errors;
                                a screenshot is saved to test-artifacts/<module>/ on failure

A test: ``goto(page, app_url); page.get_by_role("button", name="登录").click(); wait_idle(page)``.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from . import helpers

E2E_DIR = Path(__file__).resolve().parent
HEALTH_TIMEOUT_S = 60

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# --- reporting ------------------------------------------------------------------------

def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e/ is marked `e2e` (so `-m "not e2e"` skips the browser)."""
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (item.rep_setup / rep_call / rep_teardown)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _module_artifacts(request) -> Path:
    return helpers.artifacts_dir(Path(request.node.path).stem)


# --- the server -----------------------------------------------------------------------

@pytest.fixture
def free_port() -> int:
    return helpers.free_port()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """A fresh database file with the demo cases, private to the test module."""
    path = tmp_path_factory.mktemp("db") / "demo.db"
    try:
        subprocess.run(
            [sys.executable, "-m", "deliberation", "demo", "--db", str(path)],
            cwd=helpers.REPO_ROOT, check=True, capture_output=True, text=True, timeout=300,
        )
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"`python -m deliberation demo` failed ({exc.returncode}):\n{exc.stderr}", pytrace=False)
    return path


class _Server:
    def __init__(self, proc: subprocess.Popen, url: str, log_path: Path, log_file):
        self.proc, self.url, self.log_path, self._log_file = proc, url, log_path, log_file

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._log_file.close()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _start_server(db_path: Path, app: str, env_extra: dict | None, log_dir: Path) -> _Server:
    """Start `streamlit run` and wait for /_stcore/health; retries if the port was taken."""
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    last_error = ""
    for _attempt in range(3):
        port = helpers.free_port()
        log_path = log_dir / f"streamlit-{Path(app).stem}-{port}.log"
        log_file = open(log_path, "wb")
        env = {**os.environ, "DELIBERATION_DB": str(db_path), "PYTHONUNBUFFERED": "1", **(env_extra or {})}
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app),
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=helpers.REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        server = _Server(proc, url, log_path, log_file)
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                with no_proxy.open(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        return server
            except OSError:
                pass
            time.sleep(0.2)
        server.stop()
        last_error = _tail(log_path)
        if "already in use" not in last_error:
            break
    pytest.fail(
        f"streamlit did not become healthy within {HEALTH_TIMEOUT_S}s (app={app}, db={db_path}).\n"
        f"log {log_path}:\n{last_error}",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def streamlit_server(request):
    """Factory: ``streamlit_server(db_path, app="app.py", env=None)`` -> base URL.

    One server per (db, app, env) per test module; all are stopped (process group) when the
    module finishes. The server log is test-artifacts/<module>/streamlit-<app>-<port>.log.
    """
    servers: dict[tuple, _Server] = {}
    log_dir = _module_artifacts(request)

    def start(db_path, app: str = "app.py", env: dict | None = None) -> str:
        key = (str(db_path), str(app), tuple(sorted((env or {}).items())))
        if key not in servers:
            servers[key] = _start_server(Path(db_path), app, env, log_dir)
        return servers[key].url

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="module")
def app_url(streamlit_server, demo_db) -> str:
    """Base URL of the real app serving this module's demo database."""
    return streamlit_server(demo_db)


# --- the browser ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed; run ./test.sh (it apt-installs it)", pytrace=False)
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="zh-CN", timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(30000)
    page = context.new_page()
    page.dialogs_seen = []   # (type, message) of every alert/confirm/prompt: an XSS tell
    page.errors_seen = []    # uncaught JS errors in the page

    def on_dialog(dialog):
        page.dialogs_seen.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        path = _module_artifacts(request) / f"{helpers._safe(request.node.name)}-FAILED.png"
        try:
            page.screenshot(path=str(path))
            print(f"\nscreenshot: {path}")
        except Exception as exc:  # a dead page must not hide the real failure
            print(f"\nscreenshot failed: {exc}")
    context.close()



@pytest.fixture
def phone(browser):
    """A phone without JavaScript: every resident page (/board/…) must work like this."""
    context = browser.new_context(viewport=helpers.PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_tab(browser):
    """A phone-size tab that may run axe-core: its script is injected past the pages' CSP, which
    forbids every script (tests/e2e/axe.py)."""
    context = browser.new_context(viewport=helpers.PHONE, locale="zh-CN", bypass_csp=True)
    yield context.new_page()
    context.close()
