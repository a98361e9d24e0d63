"""One household, one voice, in a real browser (issue 10): a household code (议事码) typed on the
board counts once, however many fresh browsers use it; reloading changes nothing; three codes
reopen a result; one client over its limit does not close the concern form for another.

Client addresses: the server sees every test browser on 127.0.0.1. Streamlit's server (uvicorn)
trusts X-Forwarded-For from 127.0.0.1 — exactly what a reverse proxy on the same host sends in a
deployment — so each browser context here sends its own X-Forwarded-For to be a distinct client.
The tests run in order on one module database (issue 58 of 怡乐花园 is in 公示, threshold 3)."""
from __future__ import annotations

import re

import pytest

from deliberation.services.actors import SYSTEM
from deliberation.services.concerns import (
    CLIENT_LIMIT_PER_HOUR,
    client_key,
    raise_concern,
)
from deliberation.services.households import issue_codes
from deliberation.store import one, open_db

from .helpers import assert_no_exception, goto, shot, wait_idle

ARTIFACTS = "test_household_voice"
YILE, PUBLISHED = 2, 58


@pytest.fixture(scope="module")
def codes(demo_db) -> list[str]:
    db = open_db(demo_db)
    try:
        return [c.code for c in issue_codes(db, SYSTEM, YILE, "6栋101-104")]
    finally:
        db.close()


def fresh(browser, address: str | None = None, width: int = 1280, height: int = 800):
    """A brand-new browser (no cookie, no session), optionally arriving from `address`."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai",
                                  extra_http_headers={"X-Forwarded-For": address} if address else None)
    context.set_default_timeout(30000)
    return context, context.new_page()


def open_board(page, url: str) -> None:
    goto(page, f"{url}/public?compound={YILE}")
    assert_no_exception(page)


def enter_code(page, code: str) -> None:
    """The code form posts to /household, which sets the HttpOnly cookie and opens the board again."""
    page.get_by_label(re.compile(r"^议事码")).fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="使用议事码").click()
    settle(page)
    page.get_by_text(f"已以议事码 ****-{code[-4:]} 参与").wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == f"xsyz_household_{YILE}")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "xsyz_household" not in page.evaluate("document.cookie")      # no script in the page can read it


def settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_idle(page)


def rate(page, rating: str) -> None:
    page.get_by_role("tab", name="公示与评价").click()
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").filter(has_text="您对这个结果满意吗").first
    form.get_by_text(rating, exact=True).click()
    form.get_by_role("button", name="提交评价").click()
    wait_idle(page)


def stage(db_path) -> str:
    db = open_db(db_path, migrate=False)
    try:
        return one(db, "SELECT stage FROM issues WHERE id = ?", [PUBLISHED])["stage"]
    finally:
        db.close()


def households_unsatisfied(db_path) -> int:
    db = open_db(db_path, migrate=False)
    try:
        return one(db, """SELECT count(DISTINCT household_code_id) AS n FROM feedback WHERE issue_id = ?
                          AND rating = 'unsatisfied' AND household_code_id IS NOT NULL""", [PUBLISHED])["n"]
    finally:
        db.close()


def test_one_code_in_three_fresh_browsers_objects_once_and_a_reload_changes_nothing(browser, app_url, demo_db,
                                                                                    codes):
    code = codes[0]
    for n in range(3):
        context, page = fresh(browser, f"10.10.0.{n + 1}")
        try:
            open_board(page, app_url)
            enter_code(page, code)
            rate(page, "不满意")
            page.get_by_text("感谢您的评价!").wait_for()
            assert stage(demo_db) == "publicizing" and households_unsatisfied(demo_db) == 1
            if n == 2:
                page.get_by_text(re.compile(r"满意 0 · 基本满意 0 · 不满意 1")).wait_for()
                shot(page, ARTIFACTS, "one-household-counted")
                page.reload()                              # the code is remembered in this browser
                wait_idle(page)
                page.get_by_text(f"已以议事码 ****-{code[-4:]} 参与").wait_for()
                rate(page, "不满意")
                page.get_by_role("tab", name="公示与评价").click()
                page.get_by_text(re.compile(r"不满意 1$")).first.wait_for()
                assert stage(demo_db) == "publicizing" and households_unsatisfied(demo_db) == 1
                # The household changes its mind: its rating is replaced, not added.
                rate(page, "满意")
                page.get_by_text(re.compile(r"满意 1 · 基本满意 0 · 不满意 0")).wait_for()
                assert households_unsatisfied(demo_db) == 0
        finally:
            context.close()


def test_forgetting_the_code_leaves_the_voice_uncounted(browser, app_url, demo_db, codes):
    context, page = fresh(browser, "10.10.1.1", 390, 844)
    try:
        open_board(page, app_url)
        enter_code(page, codes[1])
        shot(page, ARTIFACTS, "code-remembered-phone")
        with page.expect_navigation():
            page.get_by_role("button", name="换一个议事码").click()
        settle(page)
        page.reload()
        wait_idle(page)
        assert page.get_by_text("已以议事码").count() == 0           # the cookie is gone too
        rate(page, "不满意")
        page.get_by_text("感谢您的评价!").wait_for()
        assert stage(demo_db) == "publicizing" and households_unsatisfied(demo_db) == 0
    finally:
        context.close()


def test_three_codes_reopen_the_result(browser, app_url, demo_db, codes):
    for n, code in enumerate(codes[1:4]):
        context, page = fresh(browser, f"10.10.2.{n + 1}")
        try:
            open_board(page, app_url)
            enter_code(page, code)
            rate(page, "不满意")
            if n < 2:
                page.get_by_text("感谢您的评价!").wait_for()
                assert stage(demo_db) == "publicizing"
            else:
                page.get_by_text(re.compile("不满意的住户已达到异议阈值")).wait_for()
                assert stage(demo_db) == "deliberating"
        finally:
            context.close()


def test_the_concern_form_stays_open_for_a_second_client_while_the_first_is_over_its_limit(browser, app_url,
                                                                                           demo_db):
    db = open_db(demo_db, migrate=False)
    try:
        category = one(db, "SELECT id FROM categories WHERE compound_id = ? AND name = '噪音'", [YILE])["id"]
        for n in range(CLIENT_LIMIT_PER_HOUR):       # the first client has already sent its five this hour
            raise_concern(db, YILE, category_id=category, description=f"第{n}次:晚上装修电钻声很吵",
                          session_key=f"earlier-session-{n}", client_address="10.30.0.1")
    finally:
        db.close()

    def send(page, text: str) -> None:
        page.get_by_role("tab", name="我要反映").click()
        wait_idle(page)
        page.get_by_label("问题类别").click()
        page.get_by_role("option", name="噪音").click()
        page.get_by_label(re.compile("问题描述")).fill(text)
        page.get_by_role("button", name="提交反映").click()
        wait_idle(page)
        anyway = page.get_by_role("button", name="不是同一件事,继续提交")
        if anyway.count():
            anyway.click()
            wait_idle(page)

    first, first_page = fresh(browser, "10.30.0.1")
    second, second_page = fresh(browser, "10.30.0.2")
    try:
        open_board(first_page, app_url)                 # a fresh browser: a reload does not reset the limit
        send(first_page, "楼下空调外机噪音很大,晚上睡不着")
        first_page.get_by_text(re.compile(r"这台设备一小时内已提交 5 次,请在 \d\d:\d\d 以后再试")).wait_for()
        shot(first_page, ARTIFACTS, "first-client-over-its-limit")
        open_board(second_page, app_url)
        send(second_page, "楼下空调外机噪音很大,晚上睡不着")
        second_page.get_by_text(re.compile(r"您的反映已收到,受理编号 #\d+")).wait_for()
        db = open_db(demo_db, migrate=False)
        try:       # the server told the two browsers apart by their forwarded addresses
            sent = {key: one(db, "SELECT count(*) AS n FROM reports WHERE client_key = ?", [client_key(key, "")])["n"]
                    for key in ("10.30.0.1", "10.30.0.2")}
        finally:
            db.close()
        assert sent == {"10.30.0.1": CLIENT_LIMIT_PER_HOUR, "10.30.0.2": 1}
    finally:
        first.close()
        second.close()
