"""Helpers for the real-browser tests: waiting for Streamlit, screenshots, artifact folders.

Import them relatively from a test module: ``from .helpers import goto, wait_idle, shot``.
"""
from __future__ import annotations

import re
import socket
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_ROOT = REPO_ROOT / "test-artifacts"

# Streamlit 1.67 puts the run state on the app root (frontend App.tsx):
#   data-test-script-state: "initial" (before the first run) -> "running" / "rerunRequested"
#                           -> "notRunning" (done) | "compilationError"
#   data-test-connection-state: "INITIAL" -> "CONNECTED" (websocket up) | "DISCONNECTED_FOREVER" ...
PHONE = {"width": 390, "height": 844}           # the residents' phone (the issue's 390×844)
IDLE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Runs in the page on every poll. Idle means: websocket connected, script not running,
# no running spinner in the status widget, and all of that unchanged for `settle` ms counted
# from the start of this wait. The settle window closes the race after a click: the browser
# still says "notRunning" until the server has received the widget change and reported the
# new run (milliseconds on loopback), so a bare selector wait can return before the rerun.
_IDLE_JS = """
(settle) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const now = performance.now();
  if (!app) { window.__e2eIdleSince = null; return false; }
  const state = app.getAttribute('data-test-script-state');
  if (state === 'compilationError') return 'compilationError';
  const idle = state === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]');
  if (!idle) { window.__e2eIdleSince = null; return false; }
  if (window.__e2eIdleSince == null) window.__e2eIdleSince = now;
  return now - window.__e2eIdleSince >= settle ? 'idle' : false;
}
"""


def wait_idle(page, timeout: float = 30000, settle: float = 250) -> None:
    """Wait until the Streamlit script run triggered by the last action has finished.

    Call it after every navigation, click, fill+Enter or selection. `timeout` and `settle`
    are in milliseconds.
    """
    page.evaluate("window.__e2eIdleSince = null")
    result = page.wait_for_function(_IDLE_JS, arg=settle, timeout=timeout, polling=50).json_value()
    if result == "compilationError":
        raise AssertionError(f"Streamlit reports a compilation error on {page.url}")


def goto(page, url: str, timeout: float = 30000) -> None:
    """Open `url` and wait for the first script run to finish."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout)
    wait_idle(page, timeout=timeout)


def assert_no_exception(page) -> None:
    """Fail if the page shows an uncaught-exception box (st.exception / a crashed script)."""
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        raise AssertionError(f"exception shown on {page.url}: {boxes.first.inner_text()[:500]}")


def artifacts_dir(name: str) -> Path:
    """`test-artifacts/<name>/` under the repo root (git-ignored), created."""
    path = ARTIFACTS_ROOT / _safe(name)
    path.mkdir(parents=True, exist_ok=True)
    return path


_shot_counters: dict[Path, int] = {}


def shot(page, folder: str | Path, name: str) -> Path:
    """Save a numbered screenshot `NN-<name>.png`; `folder` is an artifacts name or a path."""
    folder = Path(folder) if isinstance(folder, Path) else artifacts_dir(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n = _shot_counters[folder] = _shot_counters.get(folder, 0) + 1
    path = folder / f"{n:02d}-{_safe(name)}.png"
    page.screenshot(path=str(path))
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _safe(name: str) -> str:
    # Keep CJK and word characters; replace path separators, brackets, spaces.
    return re.sub(r"[^\w.-]+", "_", name).strip("_") or "unnamed"


DEMO_PASSWORD = "Demo2026!"


def step_in(folder: str, page, name: str, expect=None) -> None:
    """After every action: wait for the rerun (and for `expect`, a locator of what the action
    should show), fail on a crashed script, keep a numbered screenshot in `folder`."""
    wait_idle(page)
    if expect is not None:
        expect.wait_for()
        wait_idle(page)
    assert_no_exception(page)
    shot(page, folder, name)


def sign_in(page, url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Through the real sign-in form (it posts to /signin, which sets the HttpOnly cookie and sends
    the browser back to the page); done when the sidebar offers 退出登录."""
    goto(page, url)
    sign_in_here(page, username, password)


def sign_in_here(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """On a page that shows the sign-in form: fill it, send it, wait for the signed-in app."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("button", name="退出登录").first.wait_for()      # (the account page has a second)
    wait_idle(page)


def sign_out(page) -> None:
    """退出登录 posts to /signout, which clears the cookie and answers with the light sign-in page."""
    page.get_by_role("button", name="退出登录").first.click()
    page.get_by_text("您已退出登录。").wait_for()
