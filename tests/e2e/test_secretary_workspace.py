"""工作台 → 议题台账 → 议题详情 in a real browser: the 怡乐花园 secretary follows a link from the
workbench to an issue, and two sessions edit the same issue: the later one is told it is stale,
keeps the note it typed, refreshes and succeeds. From the register, ticked issues go onto the
planned meeting's agenda, each with its own result."""
from __future__ import annotations

from functools import partial

import re

import pytest

from deliberation.services.actors import load_actor
from deliberation.services.meetings import schedule_meeting
from deliberation.store import open_db, one

from .helpers import shot, sign_in, step_in, wait_idle

SHOTS = "test_secretary_workspace"
step = partial(step_in, SHOTS)
NOTE = "物业更换灯管后仍不亮,需重新议定方案"



def form_with(page, button: str):
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=button, exact=True))


@pytest.fixture(scope="module")
def planned(demo_db, streamlit_server):
    """怡乐花园 with its 37th meeting planned, served."""
    db = open_db(demo_db)
    schedule_meeting(db, load_actor(db, one(db, "SELECT id FROM users WHERE username = 'yl_secretary'")["id"]), 2)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return streamlit_server(demo_db)


def test_a_stale_edit_keeps_the_typed_note_until_refreshed(page, browser, planned):
    sign_in(page, planned, "yl_secretary")
    page.get_by_role("heading", name="工作台 · 怡乐花园").wait_for()
    step(page, "workbench")
    page.get_by_role("link", name="#41 地下车库照明不足 〔示例〕").first.click()     # 怡乐花园's #41 is the database's issue 56
    step(page, "issue_56")
    assert "issue=56" in page.url
    replan = form_with(page, "退回重新议事")
    replan.wait_for()
    replan.get_by_label("说明").fill(NOTE)

    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:                                             # meanwhile another session edits the same issue
        second = other.new_page()
        sign_in(second, planned, "yl_secretary")
        second.get_by_role("link", name="#41 地下车库照明不足 〔示例〕").first.click()
        wait_idle(second)
        second.get_by_text("修改议题信息").click()
        second.get_by_label("楼栋/位置").last.wait_for()
        second.get_by_label("楼栋/位置").last.fill("B区")
        second.get_by_role("button", name="保存修改").click()
        wait_idle(second)
        second.get_by_test_id("stAlertContentSuccess").filter(has_text="已保存:议题信息").wait_for()
        shot(second, SHOTS, "other_session_saved")
    except Exception:
        shot(second, SHOTS, "other_session_FAILED")     # the failure hook only sees the first session
        raise
    finally:
        other.close()

    replan.get_by_role("button", name="退回重新议事").click()
    page.get_by_text("该记录已被他人修改,请刷新后重试").wait_for()
    step(page, "stale")
    assert replan.get_by_label("说明").input_value() == NOTE
    assert page.get_by_role("button", name="刷新").count() == 2     # at the top, and next to the refused form
    page.get_by_role("button", name="刷新").last.click()
    step(page, "refreshed")
    assert form_with(page, "退回重新议事").get_by_label("说明").input_value() == NOTE
    form_with(page, "退回重新议事").get_by_role("button", name="退回重新议事").click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text="已保存:退回重新议事").wait_for()
    step(page, "replanned")
    assert page.get_by_text("民主议事", exact=True).count() >= 1
    assert page.dialogs_seen == [] and page.errors_seen == []


def test_ticked_issues_go_onto_the_planned_agenda_one_by_one(page, planned):
    sign_in(page, planned, "yl_secretary")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="议题台账", exact=True).click()
    step(page, "register")
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    box = grid.bounding_box()
    header, row = 36, 35                           # glide-data-grid geometry at the default row height
    for position in (0, 1):                        # #59 楼顶太阳能热水器漏水, #58 小区主干道减速带 (in 公示)
        page.mouse.click(box["x"] + 18, box["y"] + header + row * position + row / 2)
        wait_idle(page)
    page.get_by_text("已选 2 个议题").wait_for()
    page.mouse.move(0, 0)                          # away from the grid, so its hover toolbar hides
    page.get_by_role("button", name="列入下次会议议程").click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text="已列入第37次会议议程").wait_for()
    step(page, "added")
    assert page.get_by_test_id("stAlertContentError").filter(
        has_text=re.compile("公示监督.*不能列入议程")).count() == 1
