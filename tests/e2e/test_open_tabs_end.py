"""An open tab does not outlive its session: a password change in another browser, an admin's
reset, a deactivation, a sign-out in another tab of the same browser and the 12-hour cap each end
it on its next click, on the sign-in form with a Chinese message saying why. Each test uses its
own demo account, so they share one server."""
from __future__ import annotations

import sqlite3
from functools import partial

import pytest

from .helpers import DEMO_PASSWORD, goto, shot, sign_in, sign_in_here, sign_out, step_in, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "open_tabs_end"
NEW_PASSWORD = "Qiehuan2026pw"
step = partial(step_in, SHOTS)


@pytest.fixture
def browser_b(browser):
    """A second browser (its own cookie jar), at the phone's size: someone elsewhere."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(30000)
    page = context.new_page()
    page.errors_seen = []
    page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
    yield page
    context.close()


def sidebar_link(page, name: str):
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True)


def next_click_lands_on_sign_in(page, message: str, shot_name: str) -> None:
    """Tab A's next click (我的账号 in the sidebar): the sign-in form and the reason, nothing else."""
    sidebar_link(page, "我的账号").click()
    step(page, shot_name, page.get_by_text(message))
    assert page.get_by_role("button", name="登录", exact=True).count() == 1
    assert page.get_by_role("button", name="退出登录").count() == 0
    assert page.get_by_role("heading", name="修改密码").count() == 0        # the account page did not run
    assert not page.errors_seen


def open_user_in_admin(page, app_url: str, username: str) -> None:
    sign_in(page, app_url, "admin")
    goto(page, f"{app_url}/users")
    page.get_by_role("tab", name="修改权限与密码").click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").filter(has_text="选择账号").click()
    page.get_by_role("option", name=username, exact=False).first.click()
    wait_idle(page)


def test_a_password_change_in_another_browser_ends_the_open_tab(page, browser_b, app_url):
    sign_in(page, app_url, "hx_recorder")
    step(page, "a_signed_in", sidebar_link(page, "我的账号"))

    sign_in(browser_b, app_url, "hx_recorder")
    goto(browser_b, f"{app_url}/account")
    browser_b.get_by_label("原密码").fill(DEMO_PASSWORD)
    browser_b.get_by_label("新密码(至少 8 位,需同时包含字母和数字)").fill(NEW_PASSWORD)
    browser_b.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    browser_b.get_by_role("button", name="修改密码").click()
    # The change ends every session of the account, the changing browser's too: it says so.
    step(browser_b, "b_changed_the_password", browser_b.get_by_text("密码已修改,所有已登录的浏览器都已退出"))
    assert browser_b.get_by_role("button", name="退出登录").count() == 0

    next_click_lands_on_sign_in(page, "您的密码已在其他地方修改", "a_ended_by_the_change")

    # Both sign in again with the new password, and the messages are gone.
    sign_in_here(browser_b, "hx_recorder", NEW_PASSWORD)
    goto(browser_b, f"{app_url}/account")
    step(browser_b, "b_signed_in_with_the_new_password", browser_b.get_by_role("heading", name="修改密码"))
    assert not browser_b.errors_seen
    sign_in_here(page, "hx_recorder", NEW_PASSWORD)
    shot(page, SHOTS, "a_back_with_the_new_password")
    assert page.get_by_text("您的密码已在其他地方修改").count() == 0


def test_signing_out_in_a_second_tab_ends_the_first(page, app_url):
    sign_in(page, app_url, "hx_property")
    tab_b = page.context.new_page()                    # the same browser: the same cookie
    goto(tab_b, app_url)
    sign_out(tab_b)
    shot(tab_b, SHOTS, "tab_b_signed_out")

    next_click_lands_on_sign_in(page, "您已在其他标签页退出登录", "tab_a_ended_by_the_sign_out")
    page.reload()                                      # and a reload does not bring it back
    wait_idle(page)
    assert page.get_by_role("button", name="退出登录").count() == 0
    tab_b.close()


def test_deactivation_by_the_admin_ends_the_open_tab(page, browser_b, app_url):
    sign_in(page, app_url, "hx_owners")
    open_user_in_admin(browser_b, app_url, "hx_owners")
    active = browser_b.get_by_label("启用(停用后无法登录,历史记录保留)")
    browser_b.get_by_test_id("stCheckbox").filter(has_text="启用(停用后无法登录").click()
    assert not active.is_checked()
    browser_b.get_by_role("button", name="保存角色与范围").click()
    step(browser_b, "admin_deactivated", browser_b.get_by_text("已保存 hx_owners 的角色与范围"))

    next_click_lands_on_sign_in(page, "账号已停用", "a_ended_by_deactivation")


def test_an_admin_reset_ends_the_open_tab(page, browser_b, app_url):
    sign_in(page, app_url, "yl_secretary")
    open_user_in_admin(browser_b, app_url, "yl_secretary")
    browser_b.get_by_role("button", name="重置为一次性密码").click()
    step(browser_b, "admin_reset", browser_b.get_by_text("一次性密码(只显示这一次)"))

    next_click_lands_on_sign_in(page, "管理员已重置您的密码", "a_ended_by_reset")


def test_the_twelve_hour_cap_ends_the_open_tab(page, app_url, demo_db):
    """The server's clock cannot be moved from here, so the session's stored end is moved to
    the past instead (what 12 hours of use would leave in the row); the check is the same."""
    sign_in(page, app_url, "yl_property")
    conn = sqlite3.connect(demo_db)
    with conn:
        moved = conn.execute("""UPDATE sessions SET ends_at = datetime('now', 'localtime', '-1 minute')
                                WHERE user_id = (SELECT id FROM users WHERE username = 'yl_property')""").rowcount
    conn.close()
    assert moved == 1
    next_click_lands_on_sign_in(page, "登录已超过 12 小时", "a_ended_by_the_cap")
