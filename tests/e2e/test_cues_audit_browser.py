"""Issue 13, items 4 and 9, in Chromium: hx_secretary's 工作台 lists what waits for them (the
held meeting's minutes to approve, the meeting under way) as links, and the 审计日志 shows a
title edit as old → new, with markup left as text and a personal field only as "changed"."""
from __future__ import annotations

from functools import partial

from deliberation.services.actors import load_actor
from deliberation.services.issues import update_issue
from deliberation.store import one, open_db
from tests.factories import held_meeting_with_quorum, make_issue, version_of

from .helpers import goto, sign_in, step_in

SHOTS = "test_cues_audit_browser"
step = partial(step_in, SHOTS)
MARKUP_TITLE = "<b>楼道灯</b>[修好了](javascript:alert(1))"
PHONE = "13912345678"


def seed(db_path) -> dict:
    """A held meeting whose minutes wait for approval, and an issue whose title and internal note
    were edited, through the real services."""
    db = open_db(db_path)
    try:
        secretary = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'hx_secretary'")["id"])
        compound_id = min(secretary.compound_ids)
        category = one(db, "SELECT id FROM categories WHERE compound_id = ? LIMIT 1", [compound_id])["id"]
        seat = one(db, "SELECT id FROM seats WHERE compound_id = ? LIMIT 1", [compound_id])["id"]
        issue_id = make_issue(db, secretary, compound_id, title="楼道灯坏了", category_id=category,
                              raised_by_seat_id=seat)
        meeting_id = held_meeting_with_quorum(db, secretary, compound_id, {issue_id: {"outcome": "settled"}})
        update_issue(db, secretary, issue_id, version_of(db, issue_id), title=MARKUP_TITLE,
                     internal_note=f"联系人电话{PHONE}")
        update_issue(db, secretary, issue_id, version_of(db, issue_id), internal_note="已回访")   # phone gone
        return {"meeting": one(db, "SELECT number FROM meetings WHERE id = ?", [meeting_id])["number"],
                "meeting_id": meeting_id, "issue_id": issue_id}
    finally:
        db.close()


def test_the_workbench_cues_and_the_audit_values(page, demo_db, streamlit_server):
    seeded = seed(demo_db)
    url = streamlit_server(demo_db)
    sign_in(page, url, "hx_secretary")
    cue = page.get_by_role("link", name=f"第{seeded['meeting']}次会议已结束,纪要待审定")
    step(page, "workbench_cues", expect=cue)
    page.get_by_text("待办提醒").first.scroll_into_view_if_needed()
    step(page, "workbench_cues_panel")
    cue.click()
    step(page, "cue_opens_the_meeting")
    assert f"meeting={seeded['meeting_id']}" in page.url

    goto(page, f"{url}/audit")
    grid = page.get_by_test_id("stDataFrame").first
    step(page, "audit_values", expect=grid)
    details = page.get_by_test_id("stText").first
    details.scroll_into_view_if_needed()
    step(page, "audit_change_details", expect=details)
    shown = [t.inner_text().splitlines() for t in page.get_by_test_id("stText").all()]
    assert ["内部备注:已修改(可能含个人信息,不记录内容)"] in shown, shown
    assert [f"标题:「楼道灯坏了」→「{MARKUP_TITLE}」",
            "内部备注:已修改(可能含个人信息,不记录内容)"] in shown, shown          # markup stays text
    assert page.locator("b", has_text="楼道灯").count() == 0
    assert PHONE not in page.content()

    goto(page, f"{url}/issue?issue={seeded['issue_id']}")         # the issue's own timeline
    timeline = page.get_by_test_id("stDataFrame").first
    timeline.scroll_into_view_if_needed()
    step(page, "issue_timeline", expect=timeline)
    in_full = page.get_by_test_id("stText").filter(has_text="楼道灯坏了").first
    in_full.scroll_into_view_if_needed()
    step(page, "issue_timeline_edits", expect=in_full)
    assert in_full.inner_text().splitlines() == [f"标题:「楼道灯坏了」→「{MARKUP_TITLE}」",
                                                 "内部备注:已修改(可能含个人信息,不记录内容)"]
    assert PHONE not in page.content()
    assert not page.dialogs_seen
