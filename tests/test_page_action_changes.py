"""任务变更 on the pages: 我的任务 offers a seat only 进行中/已完成 and the secretary the change form;
the next meeting's console lists each cancelled or moved action with its reason."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from deliberation.services import meetings as meeting_svc
from deliberation.services.actions import reschedule_action
from deliberation.services.actors import load_actor
from deliberation.services.agenda import ActionDraft
from deliberation.services.clock import clock_at, now
from deliberation.store import one
from tests.factories import decide, make_issue, open_meeting, seat_id
from tests.page_output import open_page
from tests.page_session import user_id

HONGXIANG = 1
REASON = "配件缺货,厂家月底到货"


@pytest.fixture
def moved(demo_copy) -> dict:
    """物业's overdue task on a new issue, moved by the secretary with a reason after the meeting."""
    db = demo_copy
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    issue_id = make_issue(db, secretary, HONGXIANG, title="东门道闸失灵")
    meeting_id = open_meeting(db, secretary, HONGXIANG, [issue_id])
    decide(db, secretary, meeting_id, issue_id, outcome="actions", actions=[
        ActionDraft(seat_id(db, HONGXIANG, "property"), "更换东门道闸控制器", date.today() - timedelta(days=3))])
    meeting_svc.finish_meeting(db, secretary, meeting_id)
    action = one(db, "SELECT id, version, due_on FROM actions WHERE task = ?", ["更换东门道闸控制器"])
    with clock_at(now() + timedelta(minutes=1)):
        reschedule_action(db, secretary, action["id"], action["version"], due_on=date.today() + timedelta(days=20),
                          reason=REASON)
        next_meeting = meeting_svc.schedule_meeting(db, secretary, HONGXIANG)
    return {"db": db, "action": action, "meeting": next_meeting, "issue": issue_id}


def texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "subheader") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def test_the_next_meetings_console_lists_the_moved_task_with_its_reason(moved):
    at = open_page("meetings", user=user_id(moved["db"], "hx_secretary"), query={"meeting": moved["meeting"]})
    assert not at.exception
    old, new = moved["action"]["due_on"], (date.today() + timedelta(days=20)).isoformat()
    line = next(t for t in texts(at).splitlines() if "任务变更" in t)
    assert old in line and new in line and "配件缺货" in line and "更换东门道闸控制器" in line
    assert any(b.label == "加入议程" and b.key.startswith("meetings_add_change_") for b in at.button)


def test_a_seat_is_offered_progress_only_and_no_change_form(moved):
    at = open_page("tasks", user=user_id(moved["db"], "hx_property"))
    assert not at.exception
    radio = at.radio(key=f"tasks_update_status_{moved['action']['id']}")
    assert list(radio.options) == ["进行中", "已完成"]
    assert not [e for e in at.expander if "任务变更" in e.label]


def test_the_secretary_moves_a_due_date_from_the_tasks_page(moved):
    db, action_id = moved["db"], moved["action"]["id"]
    at = open_page("tasks", user=user_id(db, "hx_secretary"))
    assert [e for e in at.expander if "任务变更" in e.label]
    at.selectbox(key="tasks_replan_pick").set_value(action_id).run()
    at.text_area(key=f"tasks_replan_reason_{action_id}").input("业主大会延期")
    at.date_input(key=f"tasks_replan_due_{action_id}").set_value(date.today() + timedelta(days=40))
    next(b for b in at.button if b.label == "确认变更").click().run()
    assert not at.exception
    assert one(db, "SELECT due_on FROM actions WHERE id = ?", [action_id])["due_on"] == (
        date.today() + timedelta(days=40)).isoformat()
