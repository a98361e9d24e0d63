"""The escalation ladder and duplicates at any stage (issue 13, items 7 and 8) in a real browser.

鸿翔花园's secretary escalates an issue (上报到 offers 松园社区 and 桂园街道; 怡乐花园's only 南湾街道);
松园社区's officer passes it up to 桂园街道 with a note; 桂园街道's officer reads the note and answers;
the answer is on the compound's issue page and on the residents' page. Then 怡乐花园's secretary
merges an accepted issue into another: it says where it went, on both pages."""
from __future__ import annotations

from functools import partial

import pytest

from deliberation.services.actors import load_actor
from deliberation.store import one, open_db
from tests.factories import issue_in_stage

from .helpers import (
    artifacts_dir,
    assert_no_exception,
    goto,
    sign_in,
    step_in,
    wait_idle,
)

SHOTS = "test_ladder_and_merge_browser"
step = partial(step_in, SHOTS)
REQUEST = "小区东门外市政人行道被施工围挡占用,请社区协调施工单位留出通道"
NOTE = "社区已约谈施工单位两次,围挡属市政道路工程,需街道协调城管和交警"
ANSWER = "街道已协调城管与施工单位,本周五前在东门外留出1.5米临时通道"


def form_with(page, button: str):
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=button, exact=True))


@pytest.fixture(scope="module")
def served(demo_db, streamlit_server):
    """鸿翔花园 with one more issue carried over from a meeting (民主议事), served."""
    db = open_db(demo_db)
    secretary = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'hx_secretary'")["id"])
    issue_id = issue_in_stage(db, secretary, 1, "deliberating", title="东门外人行道被施工围挡占用",
                              description="施工围挡占用人行道,老人推车只能走机动车道")
    number = one(db, "SELECT number FROM issues WHERE id = ?", [issue_id])["number"]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return streamlit_server(demo_db), issue_id, number


def as_user(browser, url: str, username: str, height: int = 1000):
    context = browser.new_context(viewport={"width": 1400, "height": height}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    sign_in(page, url, username)
    return context, page


def test_a_community_officer_passes_it_up_and_the_subdistricts_answer_comes_back(browser, served):
    url, issue_id, number = served

    context, page = as_user(browser, url, "hx_secretary")
    try:
        goto(page, f"{url}/issue?issue={issue_id}")
        escalate = form_with(page, "上报")
        escalate.wait_for()
        assert escalate.get_by_role("radiogroup").inner_text().split() == ["社区(松园社区)", "街道(桂园街道)"]
        assert escalate.get_by_role("radio", name="社区(松园社区)").is_checked()        # the lowest rung first
        step(page, "secretary_escalate_form")
        escalate.get_by_label("请求事项(请上级协调什么)").fill(REQUEST)
        escalate.get_by_role("button", name="上报", exact=True).click()
        step(page, "secretary_escalated", expect=page.get_by_text("已上报,等待社区/街道答复").first)
    finally:
        context.close()

    context, page = as_user(browser, url, "songyuan_officer")
    try:
        page.get_by_role("heading", name="待答复的上报事项").wait_for()
        passing = form_with(page, "转报桂园街道")
        passing.scroll_into_view_if_needed()
        step(page, "community_officer_inbox")
        passing.get_by_role("textbox").fill(NOTE)
        passing.get_by_role("button", name="转报桂园街道").click()
        step(page, "community_passed_up", expect=page.get_by_text("已转报桂园街道,等待其答复。"))
        assert page.get_by_text("目前没有待答复的上报事项。").is_visible()
    finally:
        context.close()

    context, page = as_user(browser, url, "guiyuan_officer")
    try:
        page.get_by_role("heading", name="待答复的上报事项").wait_for()
        page.get_by_text(NOTE).first.scroll_into_view_if_needed()
        assert page.get_by_text("松园社区转报桂园街道").first.is_visible()
        step(page, "subdistrict_officer_reads_the_note")
        answer = form_with(page, "提交答复")
        answer.get_by_role("textbox").fill(ANSWER)
        answer.get_by_text("公示监督").click()
        answer.get_by_role("button", name="提交答复").click()
        step(page, "subdistrict_answered", expect=page.get_by_text("已答复,议题已转入“公示监督”。"))
    finally:
        context.close()

    context, page = as_user(browser, url, "hx_secretary")
    try:
        goto(page, f"{url}/issue?issue={issue_id}")
        banner = page.get_by_test_id("stAlertContentSuccess").filter(has_text="上级已答复(桂园街道")
        banner.wait_for()
        assert ANSWER in banner.inner_text()
        step(page, "secretary_sees_the_answer")
        page.get_by_role("tab", name="上报 (1)").click()
        step(page, "escalation_tab", expect=page.get_by_text(NOTE).first)
        assert page.get_by_text("计入 721 层级:街道").is_visible()
        assert_no_exception(page)
    finally:
        context.close()

    resident = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        phone = resident.new_page()
        phone.goto(f"{url}/board/1/issues/{number}")
        body = phone.locator("body").inner_text()
        assert ANSWER in body and "转报街道" in body and NOTE not in body
        phone.screenshot(path=str(artifacts_dir(SHOTS) / "resident_issue_page.png"), full_page=True)
    finally:
        resident.close()


def test_yile_garden_is_offered_only_its_subdistrict(browser, served):
    url, _, _ = served
    context, page = as_user(browser, url, "yl_secretary")
    try:
        goto(page, f"{url}/issue?issue=56")                   # 怡乐花园 #41, in 合力干事
        escalate = form_with(page, "上报")
        escalate.wait_for()
        assert escalate.get_by_role("radiogroup").inner_text().split() == ["街道(南湾街道)"]
        escalate.scroll_into_view_if_needed()
        step(page, "yile_escalate_form")
    finally:
        context.close()


def test_an_accepted_issue_is_merged_and_both_pages_say_so(browser, served):
    url, _, _ = served
    # Tall enough that the picker's list opens below it (near the window's foot it opens upwards,
    # where Chromium keeps re-placing it and the click never lands).
    context, page = as_user(browser, url, "yl_secretary", height=2000)
    try:
        goto(page, f"{url}/issue?issue=59")                   # 怡乐花园 #44, accepted, in 巡访问事
        page.get_by_text("重复议题:合并到另一议题").click()
        merge = form_with(page, "合并(本条关闭为重复)")
        merge.wait_for()
        wait_idle(page)
        merge.get_by_role("combobox", name="并入哪个议题").click()
        page.get_by_role("option").filter(has_text="#41 地下车库照明不足").click()
        step(page, "merge_picked")
        merge.get_by_role("button", name="合并(本条关闭为重复)").click()
        step(page, "merged", expect=page.get_by_text("已并入议题 #41").first)
        goto(page, f"{url}/issue?issue=56")
        page.get_by_text("2 户反映").first.wait_for()        # #44's household counts here now
        step(page, "the_issue_it_joined")
    finally:
        context.close()

    resident = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        phone = resident.new_page()
        phone.goto(f"{url}/board/2/issues/44")
        assert "已并入 #41 一并办理" in phone.locator("body").inner_text()
        phone.screenshot(path=str(artifacts_dir(SHOTS) / "resident_merged_page.png"), full_page=True)
        phone.get_by_role("link", name="#41").first.click()
        assert phone.url.endswith("/board/2/issues/41")
    finally:
        resident.close()
