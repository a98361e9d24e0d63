"""A new secretary's first sign-in, in a real browser: the one-time password from the account
sheet signs in once, every page shows only the form to set a new password; setting it ends that
session (as every password change does) and the new password signs in to the compound's 工作台.
The one-time password never works again."""
from __future__ import annotations

import shutil
from functools import partial

import pytest

from deliberation.services.accounts import create_account
from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.users import create_user
from deliberation.store import open_db

from .helpers import PHONE, goto, shot, sign_out, step_in

pytestmark = pytest.mark.e2e

SHOTS = "first_sign_in"
NEW_PASSWORD = "Xinhua2026pw"
step = partial(step_in, SHOTS)


@pytest.fixture(scope="module")
def new_secretary(demo_db, tmp_path_factory):
    """A copy of the demo database with a secretary of 鸿翔花园 created as onboarding would: a
    one-time password and must_change_password. Returns (db path, username, one-time password)."""
    path = tmp_path_factory.mktemp("first") / "demo.db"
    shutil.copy(demo_db, path)
    db = open_db(path)
    admin = load_actor(db, create_user(db, SYSTEM, "rollout_admin", "部署管理员", "admin", password="Admin2026pw"))
    compound = db.execute("SELECT id FROM compounds WHERE name = '鸿翔花园'").fetchone()[0]
    account = create_account(db, admin, username="hx_new_secretary", display_name="新任书记",
                             role="secretary", compound_ids=[compound])
    db.close()
    return path, account.username, account.one_time_password


def fill_sign_in(page, url: str | None, username: str, password: str) -> None:
    """The sign-in form (at `url`, or the one on the page): it posts to /signin, which answers with
    the app (signed in) or the light sign-in page (refused)."""
    if url is not None:
        goto(page, url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def test_the_first_sign_in_sets_a_new_password_and_lands_on_the_workbench(page, streamlit_server, new_secretary):
    path, username, one_time = new_secretary
    url = streamlit_server(path)

    fill_sign_in(page, url, username, one_time)
    step(page, "made_to_set_a_password", page.get_by_role("heading", name="请设置新密码"))
    assert page.get_by_role("heading", name="工作台 · 鸿翔花园").count() == 0

    # Another page by its address: still only the form.
    goto(page, f"{url}/register")
    step(page, "register_shows_the_form", page.get_by_role("heading", name="请设置新密码"))
    assert page.get_by_role("heading", name="议题台账 · 鸿翔花园").count() == 0

    page.get_by_label("一次性密码(账号通知单上的密码)").fill(one_time)
    page.get_by_label("新密码(至少 8 位,需同时包含字母和数字)").fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="设置新密码并进入系统").click()
    step(page, "asked_to_sign_in_with_it", page.get_by_text("新密码已设置,请牢记。请用新密码登录。"))
    assert page.get_by_role("heading", name="请设置新密码").count() == 0
    assert not page.errors_seen

    fill_sign_in(page, None, username, NEW_PASSWORD)  # signed in where the form was: the register
    step(page, "back_on_the_register", page.get_by_role("heading", name="议题台账 · 鸿翔花园"))
    page.reload()                                   # still signed in, still past the form
    step(page, "after_reload", page.get_by_role("heading", name="议题台账 · 鸿翔花园"))
    sign_out(page)
    shot(page, SHOTS, "signed_out")

    fill_sign_in(page, url, username, one_time)     # the one-time password is spent
    page.get_by_text("用户名或密码错误").wait_for()
    shot(page, SHOTS, "one_time_refused")
    assert page.get_by_role("button", name="退出登录").count() == 0

    fill_sign_in(page, None, username, NEW_PASSWORD)   # from the light page's own form
    step(page, "new_password_works", page.get_by_role("heading", name="工作台 · 鸿翔花园"))


def test_the_change_form_on_a_phone(browser, streamlit_server, new_secretary, tmp_path):
    """How the form looks at 390×844 (for the screenshot; the flow itself is tested above)."""
    path, _, _ = new_secretary
    db = open_db(path)
    admin = load_actor(db, db.execute("SELECT id FROM users WHERE username = 'rollout_admin'").fetchone()[0])
    compound = db.execute("SELECT id FROM compounds WHERE name = '鸿翔花园'").fetchone()[0]
    account = create_account(db, admin, username="hx_phone_recorder", display_name="手机记录员",
                             role="recorder", compound_ids=[compound])
    db.close()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        fill_sign_in(page, streamlit_server(path), account.username, account.one_time_password)
        page.get_by_role("heading", name="请设置新密码").wait_for()
        shot(page, SHOTS, "phone_form")
    finally:
        context.close()
