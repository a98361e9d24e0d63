"""Issue 13, item 3 in a real browser: the secretary corrects the draft minutes, approves them,
amends an approved text with a reason, and the 公开版 tab shows no name."""
from __future__ import annotations

from functools import partial

from deliberation.services import meetings as meeting_svc
from deliberation.services.actors import load_actor
from deliberation.services.agenda import add_to_agenda, record_decision
from deliberation.services.attendance import record_attendance
from deliberation.store import one, open_db
from tests.factories import make_issue

from .helpers import goto, sign_in, step_in, wait_idle

SHOTS = "test_minutes_workflow_browser"
step = partial(step_in, SHOTS)
TITLE = "东门道闸抬杆失灵"


def _held_meeting(db_path) -> tuple[int, str]:
    """鸿翔花园's 14th meeting, held, with one item deferred; (meeting id, the chair's name)."""
    db = open_db(db_path)
    try:
        secretary = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'hx_secretary'")["id"])
        meeting_id = meeting_svc.schedule_meeting(db, secretary, 1)
        item_id = add_to_agenda(db, secretary, meeting_id, make_issue(db, secretary, 1, title=TITLE))
        chair = one(db, """SELECT m.id, m.name FROM members m JOIN seats s ON s.id = m.seat_id
                           WHERE m.compound_id = 1 AND s.code = 'party' LIMIT 1""")
        meeting_svc.start_meeting(db, secretary, meeting_id, chair_member_id=chair["id"])
        record_attendance(db, secretary, meeting_id, {line["member_id"]: ("present", "")
                                                      for line in meeting_svc.attendance(db, secretary, meeting_id)})
        record_decision(db, secretary, item_id, outcome="deferred", discussion="物业称配件未到", decision="下次再议")
        meeting_svc.finish_meeting(db, secretary, meeting_id)
        return meeting_id, chair["name"]
    finally:
        db.close()


def test_draft_corrected_approved_then_amended_with_a_reason(page, app_url, demo_db):
    meeting_id, chair = _held_meeting(demo_db)
    sign_in(page, f"{app_url}/meetings", "hx_secretary")
    goto(page, f"{app_url}/meetings?meeting={meeting_id}")
    step(page, "held_minutes", page.get_by_role("tab", name="内部版"))
    assert chair in page.get_by_role("tabpanel").first.inner_text()

    page.get_by_role("tab", name="公开版预览").click()
    wait_idle(page)
    step(page, "public_preview", page.get_by_text("这就是公开后居民看到的纪要"))
    assert chair not in page.get_by_role("tabpanel", name="公开版预览").inner_text()
    assert "物业称配件未到" not in page.get_by_role("tabpanel", name="公开版预览").inner_text()

    page.get_by_role("tab", name="内部版").click()
    page.get_by_text(f"修改本项纪要(审定前) · {TITLE}").click()
    wait_idle(page)
    page.get_by_label("讨论情况").fill("物业称道闸配件下周到货")
    page.get_by_role("button", name="保存修改").click()
    step(page, "draft_corrected", page.get_by_text(f"已修改纪要:{TITLE}"))

    page.get_by_role("button", name="审定纪要").click()
    step(page, "approved", page.get_by_text("纪要已审定。可向居民公开会议摘要。"))
    assert page.get_by_role("button", name="保存修改").count() == 0

    page.get_by_text(f"更正本项纪要(已审定,需写明理由) · {TITLE}").click()
    wait_idle(page)
    page.get_by_label("讨论情况").fill("物业称道闸配件 12 月 15 日到货")
    page.get_by_label("更正理由").fill("核对会议录音")
    page.get_by_role("button", name="保存更正").click()
    step(page, "amended", page.get_by_text(f"已更正纪要:{TITLE}"))
    amendment = page.locator("[class*='st-key-meetings_amendment_']")
    text = amendment.inner_text()
    assert "物业称道闸配件下周到货" in text and "物业称道闸配件 12 月 15 日到货" in text and "核对会议录音" in text
