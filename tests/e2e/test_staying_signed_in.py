"""A reload keeps a signed-in user where they were; signing out ends that for the browser."""
from __future__ import annotations

from functools import partial

import pytest

from .helpers import goto, sign_in, step_in, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "staying_signed_in"
COOKIE = "xsyz_session"

step = partial(step_in, SHOTS)


def session_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)


def test_a_reload_keeps_the_secretary_on_the_register_until_she_signs_out(page, app_url):
    sign_in(page, app_url, "hx_secretary")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="议题台账", exact=True).click()
    step(page, "register", page.get_by_role("heading", name="议题台账 · 鸿翔花园"))
    cookie = session_cookie(page)
    assert cookie and cookie["sameSite"] == "Strict" and len(cookie["value"]) >= 40

    page.reload()
    wait_idle(page)
    step(page, "register_after_reload", page.get_by_role("heading", name="议题台账 · 鸿翔花园"))
    assert page.get_by_role("button", name="退出登录").count() == 1
    assert page.url.rstrip("/").endswith("/register")

    tab = page.context.new_page()                  # a second tab of the same browser
    goto(tab, f"{app_url}/register")
    tab.get_by_role("heading", name="议题台账 · 鸿翔花园").wait_for()
    tab.close()

    page.get_by_role("button", name="退出登录").click()
    step(page, "signed_out", page.get_by_role("button", name="登录", exact=True))
    page.wait_for_function(f"!document.cookie.includes('{COOKIE}=')")
    page.reload()
    wait_idle(page)
    step(page, "signed_out_after_reload", page.get_by_role("button", name="登录", exact=True))
    assert page.get_by_role("button", name="退出登录").count() == 0
    assert session_cookie(page) is None
    assert not page.errors_seen
