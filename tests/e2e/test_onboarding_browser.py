"""Onboarding in a real browser, from an empty database: the admin uploads the 南湾 workbook on
批量开通, checks it, applies it and reads the one-time passwords; a secretary created by the
workbook signs in with hers, is made to set a new one and lands on her compound's 工作台."""
from __future__ import annotations

from functools import partial

import pytest

from deliberation.services.actors import SYSTEM
from deliberation.services.users import create_user
from deliberation.store import open_db

from tests.test_onboarding import nanwan_workbook

from .helpers import PHONE, goto, shot, sign_in, sign_in_here, step_in, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "onboarding"
ADMIN_PASSWORD = "Admin2026pw"
NEW_PASSWORD = "Yile2026pw"
step = partial(step_in, SHOTS)


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("onboard") / "empty.db"
    db = open_db(path)
    create_user(db, SYSTEM, "rollout_admin", "部署管理员", "admin", password=ADMIN_PASSWORD)
    db.close()
    return path


def test_an_admin_onboards_nanwan_and_a_new_secretary_signs_in(browser, streamlit_server, empty_db, tmp_path):
    url = streamlit_server(empty_db)
    workbook = tmp_path / "南湾街道.xlsx"
    workbook.write_bytes(nanwan_workbook())
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        sign_in(page, url, "rollout_admin", ADMIN_PASSWORD)
        goto(page, f"{url}/onboarding")
        step(page, "empty", page.get_by_role("heading", name="批量开通(工作簿)"))
        page.locator('input[type="file"]').set_input_files(str(workbook))
        wait_idle(page)
        page.get_by_role("button", name="检查").click()
        step(page, "checked", page.get_by_text("检查通过。确认后将一次性全部写入"))
        page.get_by_role("button", name="开通").click()
        step(page, "applied", page.get_by_text("新账号 24 个"))
        row = page.locator("table tr", has_text="sec00")
        one_time = row.locator("td").last.inner_text().strip()
        assert len(one_time) == 12
        assert page.get_by_role("button", name="下载账号通知单(PDF,可打印)").count() == 1
    finally:
        context.close()

    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        sign_in(page, url, "sec00", one_time)
        step(page, "secretary_must_set_a_password", page.get_by_role("heading", name="请设置新密码"))
        page.get_by_label("一次性密码(账号通知单上的密码)").fill(one_time)
        page.get_by_label("新密码(至少 8 位,需同时包含字母和数字)").fill(NEW_PASSWORD)
        page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
        page.get_by_role("button", name="设置新密码并进入系统").click()
        step(page, "secretary_asked_to_sign_in_again", page.get_by_text("新密码已设置"))
        sign_in_here(page, "sec00", NEW_PASSWORD)
        step(page, "secretary_lands_on_yile", page.get_by_role("heading", name="工作台 · 怡乐花园"))
    finally:
        context.close()


def test_the_page_on_a_phone_shows_the_row_by_row_report(browser, streamlit_server, empty_db, tmp_path):
    def bad(wb):
        wb["小区"]["D3"] = "很多"
        wb["账号"].append(["x", "", "物业经理", "怡乐花园", "", ""])
    workbook = tmp_path / "有错.xlsx"
    workbook.write_bytes(nanwan_workbook(bad))
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        sign_in(page, streamlit_server(empty_db), "rollout_admin", ADMIN_PASSWORD)
        goto(page, f"{streamlit_server(empty_db)}/onboarding")
        page.locator('input[type="file"]').set_input_files(str(workbook))
        wait_idle(page)
        page.get_by_role("button", name="检查").click()
        step(page, "phone_report", page.get_by_text("小区 第 3 行「户数」:应为正整数"))
        assert page.get_by_role("button", name="开通").count() == 0
        shot(page, SHOTS, "phone_report_full")
    finally:
        context.close()
