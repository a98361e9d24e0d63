"""A reload keeps a signed-in user where they were; signing out ends that for the browser."""
from __future__ import annotations

import re
from functools import partial

import pytest

from .helpers import goto, shot, sign_in, sign_out, step_in, wait_idle

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
    # Set by the server (POST /signin), HttpOnly: a script in the page cannot read or steal it.
    assert cookie["httpOnly"] is True and cookie["path"] == "/"
    assert COOKIE not in page.evaluate("document.cookie")

    page.reload()
    wait_idle(page)
    step(page, "register_after_reload", page.get_by_role("heading", name="议题台账 · 鸿翔花园"))
    assert page.get_by_role("button", name="退出登录").count() == 1
    assert page.url.rstrip("/").endswith("/register")

    tab = page.context.new_page()                  # a second tab of the same browser
    goto(tab, f"{app_url}/register")
    tab.get_by_role("heading", name="议题台账 · 鸿翔花园").wait_for()
    tab.close()

    sign_out(page)                                 # POST /signout: the server clears the cookie
    shot(page, SHOTS, "signed_out")
    assert session_cookie(page) is None
    goto(page, f"{app_url}/register")
    step(page, "signed_out_after_reload", page.get_by_role("button", name="登录", exact=True))
    assert page.get_by_role("button", name="退出登录").count() == 0
    assert page.get_by_role("heading", name="议题台账 · 鸿翔花园").count() == 0
    assert not page.errors_seen


def test_after_signing_in_from_a_page_the_browser_comes_back_to_it(page, app_url):
    """A bookmark of the register opened while signed out: sign in there, land on the register."""
    sign_in(page, f"{app_url}/register?lang=zh", "hx_recorder")
    step(page, "back_on_register", page.get_by_role("heading", name="议题台账 · 鸿翔花园"))
    assert page.url.split("?")[0].rstrip("/").endswith("/register")


def test_a_wrong_password_keeps_the_name_and_says_why_in_chinese(page, app_url):
    goto(page, app_url)
    page.get_by_label("用户名").fill("hx_secretary")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("alert").wait_for()
    shot(page, SHOTS, "wrong_password")
    assert "用户名或密码错误" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("用户名").input_value() == "hx_secretary"
    assert page.get_by_label("密码").input_value() == ""
    assert session_cookie(page) is None
    # The same page signs in at the second try, without going back.
    page.get_by_label("密码").fill("Demo2026!")
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("button", name="退出登录").wait_for()
    wait_idle(page)
    assert session_cookie(page)["httpOnly"] is True


def test_fifty_anonymous_failures_on_admin_do_not_keep_the_owner_out(page, browser, app_url):
    """Someone behind the proxy guesses admin's password 50 times (POST /signin as a browser would,
    with nginx's X-Real-IP); the owner, in a clean browser, signs in at once through the form."""
    attacker = browser.new_context().request
    token = re.search(r'name="csrf_token" value="([^"]+)"', attacker.get(f"{app_url}/signin").text()).group(1)
    answers = set()
    for n in range(50):
        answer = attacker.post(f"{app_url}/signin", max_redirects=0, headers={
            "X-Real-IP": "203.0.113.66", "Origin": app_url},
            form={"csrf_token": token, "username": "admin", "password": f"guess-{n}", "next": "/"})
        answers.add(answer.status)
    assert answers == {400}
    sign_in(page, app_url, "admin")
    step(page, "owner_signed_in_after_the_flood", page.get_by_role("button", name="退出登录").first)
    assert session_cookie(page)["httpOnly"] is True
