"""Tasks change only as the decision allows (issue 10, item 8): a seat marks its own actions 进行中
or 已完成 with a note; cancelling or moving a due date is the secretary's, with a reason, recorded
with the old and new due dates, and told to the next meeting (任务变更). Tried as 物业 would when
its own task is overdue."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from deliberation.model.errors import DomainError, PermissionDenied, StaleRecord
from deliberation.services import meetings as meeting_svc
from deliberation.services.actions import (
    action_changes_for_next_meeting,
    actions_for_seat,
    cancel_action,
    reschedule_action,
    update_action,
)
from deliberation.services.clock import clock_at, now
from deliberation.store import one, rows
from tests.factories import (
    actions_for,
    dump,
    held_meeting_with_quorum,
    is_chinese,
    make_issue,
    open_meeting,
)

REASON = "施工队春节停工,业委会同意延后"


@pytest.fixture
def plan(world) -> dict:
    """A decision gave 物业 a task now 3 days overdue and 业委会 one due in 10 days."""
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, title="东门道闸失灵")
    held_meeting_with_quorum(db, secretary, world.a, {issue_id: {
        "outcome": "actions", "actions": actions_for(db, world.a, "property", due_in_days=-3)
        + actions_for(db, world.a, "owners", due_in_days=10)}})
    found = {a["seat_name"]: a for a in rows(db, """SELECT a.*, s.code FROM actions a JOIN seats s ON s.id = a.seat_id
                                                    WHERE a.issue_id = ?""", [issue_id])}
    by_code = {a["code"]: a for a in found.values()}
    return {"issue": issue_id, "property": by_code["property"], "owners": by_code["owners"]}


@pytest.fixture(autouse=True)
def a_minute_later(plan):
    """Changes are made a minute after the fixture's meeting ended (timestamps are to the second)."""
    with clock_at(now() + timedelta(minutes=1)):
        yield


def overdue(world) -> int:
    return sum(a["overdue"] for a in actions_for_seat(world.db, world.actors["secretary_a"], world.a))


def action(db, action_id: int) -> dict:
    return one(db, "SELECT status, due_on, note, version FROM actions WHERE id = ?", [action_id])


def refused_once(world, call) -> PermissionDenied:
    db = world.db
    before = dump(db)
    with pytest.raises(PermissionDenied) as refused:
        call()
    after = dump(db)
    assert {k: v for k, v in after.items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}
    new = after["events"][len(before["events"]):]
    assert [e["kind"] for e in new] == ["refused"]
    assert is_chinese(refused.value.message)
    return refused.value


def test_property_cannot_cancel_its_own_overdue_task_and_the_overdue_count_stays(world, plan):
    db, rep = world.db, world.actors["seat_rep_property_a"]
    task = plan["property"]
    assert overdue(world) == 1
    refused = refused_once(world, lambda: update_action(db, rep, task["id"], task["version"], status="cancelled",
                                                        note="已无必要"))
    assert "支部书记" in refused.message
    refused_once(world, lambda: cancel_action(db, rep, task["id"], task["version"], reason="已无必要"))
    refused_once(world, lambda: reschedule_action(db, rep, task["id"], task["version"],
                                                  due_on=date.today() + timedelta(days=30), reason="来不及"))
    assert overdue(world) == 1 and action(db, task["id"])["status"] == "open"


@pytest.mark.parametrize("who", ["recorder_a", "seat_rep_owners_a", "officer", "secretary_b", "resident"])
def test_nobody_but_the_secretary_and_admin_cancels_or_moves_a_task(world, plan, who):
    db, task = world.db, plan["property"]
    refused_once(world, lambda: cancel_action(db, world.actors[who], task["id"], task["version"], reason=REASON))
    refused_once(world, lambda: reschedule_action(db, world.actors[who], task["id"], task["version"],
                                                  due_on=date.today() + timedelta(days=7), reason=REASON))
    assert overdue(world) == 1


def test_property_marks_its_task_in_progress_then_done_with_a_note(world, plan):
    db, rep, task = world.db, world.actors["seat_rep_property_a"], plan["property"]
    update_action(db, rep, task["id"], task["version"], status="in_progress", note="已联系厂家,配件在途")
    assert action(db, task["id"])["status"] == "in_progress" and overdue(world) == 1    # still late
    update_action(db, rep, task["id"], task["version"] + 1, status="done", note="控制器已更换")
    assert action(db, task["id"])["status"] == "done" and overdue(world) == 0


def test_a_seat_needs_a_note_and_may_not_set_a_task_back_to_open(world, plan):
    db, rep, task = world.db, world.actors["seat_rep_property_a"], plan["property"]
    before = dump(db)
    with pytest.raises(DomainError, match="进展说明"):
        update_action(db, rep, task["id"], task["version"], status="done", note="  ")
    with pytest.raises(DomainError, match="进行中、已完成"):
        update_action(db, rep, task["id"], task["version"], status="open", note="重新开始")
    with pytest.raises(DomainError, match="任务状态"):
        update_action(db, rep, task["id"], task["version"], status="finished!", note="x")
    assert dump(db) == before


def test_another_seats_task_is_refused(world, plan):
    db, task = world.db, plan["property"]
    refused_once(world, lambda: update_action(db, world.actors["seat_rep_owners_a"], task["id"], task["version"],
                                              status="done", note="物业已完成"))


def test_the_secretary_cancels_through_cancel_action_with_a_reason_not_a_status(world, plan):
    db, secretary, task = world.db, world.actors["secretary_a"], plan["property"]
    before = dump(db)
    with pytest.raises(DomainError, match="取消任务"):
        update_action(db, secretary, task["id"], task["version"], status="cancelled", note="取消")
    with pytest.raises(DomainError, match="理由"):
        cancel_action(db, secretary, task["id"], task["version"], reason="   ")
    assert dump(db) == before
    cancel_action(db, secretary, task["id"], task["version"], reason=REASON)
    assert action(db, task["id"])["status"] == "cancelled" and overdue(world) == 0
    event = one(db, "SELECT * FROM events ORDER BY id DESC LIMIT 1")
    assert (event["kind"], event["issue_id"], event["public"]) == ("action_cancelled", plan["issue"], 0)
    data = json.loads(event["data"])
    assert (data["action_id"], data["old_due_on"], data["new_due_on"]) == (task["id"], task["due_on"], None)
    with pytest.raises(DomainError, match="已取消"):
        cancel_action(db, secretary, task["id"], task["version"] + 1, reason=REASON)
    with pytest.raises(DomainError, match="已取消"):
        update_action(db, world.actors["seat_rep_property_a"], task["id"], task["version"] + 1, status="done",
                      note="做完了")


def test_the_secretary_moves_a_due_date_with_a_reason_recorded_with_old_and_new_dates(world, plan):
    db, secretary, task = world.db, world.actors["secretary_a"], plan["property"]
    new_due = date.today() + timedelta(days=14)
    reschedule_action(db, secretary, task["id"], task["version"], due_on=new_due, reason=REASON)
    assert action(db, task["id"])["due_on"] == new_due.isoformat() and overdue(world) == 0
    event = one(db, "SELECT * FROM events ORDER BY id DESC LIMIT 1")
    data = json.loads(event["data"])
    assert (event["kind"], event["actor_label"], data["old_due_on"], data["new_due_on"]) == (
        "action_rescheduled", secretary.label, task["due_on"], new_due.isoformat())
    # The reason is staff's free text: kept on the change (editable), never in the append-only trail.
    assert not rows(db, "SELECT id FROM events WHERE note LIKE ? OR data LIKE ?", [f"%{REASON}%", f"%{REASON}%"])
    changes = action_changes_for_next_meeting(db, world.actors["seat_rep_property_a"], world.a)
    assert [(c["kind"], c["old_due_on"], c["new_due_on"], c["reason"], c["issue_id"]) for c in changes] == [
        ("rescheduled", task["due_on"], new_due.isoformat(), REASON, plan["issue"])]


def test_a_moved_date_must_be_new_and_not_in_the_past_and_a_stale_version_is_refused(world, plan):
    db, secretary, task = world.db, world.actors["secretary_a"], plan["owners"]
    before = dump(db)
    with pytest.raises(DomainError, match="不能早于今天"):
        reschedule_action(db, secretary, task["id"], task["version"], due_on=date.today() - timedelta(days=1),
                          reason=REASON)
    with pytest.raises(DomainError, match="相同"):
        reschedule_action(db, secretary, task["id"], task["version"], due_on=date.fromisoformat(task["due_on"]),
                          reason=REASON)
    with pytest.raises(DomainError, match="300"):
        reschedule_action(db, secretary, task["id"], task["version"], due_on=date.today(), reason="长" * 301)
    with pytest.raises(StaleRecord):
        reschedule_action(db, secretary, task["id"], task["version"] + 5, due_on=date.today(), reason=REASON)
    assert dump(db) == before


def test_the_next_meeting_hears_only_of_changes_since_the_last_meeting(world, plan):
    db, secretary = world.db, world.actors["secretary_a"]
    reschedule_action(db, secretary, plan["owners"]["id"], plan["owners"]["version"],
                      due_on=date.today() + timedelta(days=20), reason="等业主大会表决")
    assert [c["reason"] for c in action_changes_for_next_meeting(db, secretary, world.a)] == ["等业主大会表决"]
    meeting_id = open_meeting(db, secretary, world.a)          # while it runs, it still hears of it
    assert len(action_changes_for_next_meeting(db, secretary, world.a)) == 1
    with clock_at(now() + timedelta(minutes=60)):
        meeting_svc.finish_meeting(db, secretary, meeting_id)
    assert action_changes_for_next_meeting(db, secretary, world.a) == []
    with clock_at(now() + timedelta(minutes=61)):
        cancel_action(db, world.actors["admin"], plan["property"]["id"], plan["property"]["version"], reason=REASON)
    assert [(c["kind"], c["changed_by_label"]) for c in action_changes_for_next_meeting(db, secretary, world.a)] == [
        ("cancelled", world.actors["admin"].label)]
