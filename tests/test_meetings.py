"""Meetings as the secretary sees them: 第N次 numbering, quorum by seat, decisions, the
proposed next agenda, and seat names that history keeps."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from deliberation.model.errors import DomainError
from deliberation.model.quorum import Quorum
from deliberation.services import meetings as meeting_svc
from deliberation.services.agenda import propose_agenda, record_decision
from deliberation.services.attendance import record_attendance
from deliberation.services.clock import clock_at, now
from deliberation.services.compounds import get_compound
from deliberation.services.roster import rename_seat
from deliberation.store import meetings as meeting_store
from deliberation.store import one, rows
from tests.factories import (
    actions_for, decide, dump, held_meeting_with_quorum, is_chinese, issue_in_stage, item_of, make_issue,
    open_meeting, seat_id, stage_of,
)


def member(db, compound_id, code) -> int:
    return one(db, "SELECT id FROM members WHERE compound_id = ? AND seat_id = ?",
               [compound_id, seat_id(db, compound_id, code)])["id"]


def test_a_full_meeting_meets_hongxiangs_quorum_rule(world):
    meeting_id = open_meeting(world.db, world.actors["secretary_a"], world.a)
    q = meeting_svc.quorum(world.db, world.actors["secretary_a"], meeting_id)
    assert q == Quorum(met=True, seats_present=9, min_seats=5, missing_required=())
    assert q.summary == "已达法定人数:9 个主体出席(要求至少 5 个)"


def test_without_the_property_manager_there_is_no_quorum_and_the_summary_says_who_is_missing(world):
    meeting_id = open_meeting(world.db, world.actors["secretary_a"], world.a, absent=("property",))
    q = meeting_svc.quorum(world.db, world.actors["secretary_a"], meeting_id)
    assert q == Quorum(met=False, seats_present=8, min_seats=5, missing_required=("物业服务企业",))
    assert q.summary == "未达法定人数:出席主体 8/5;必须出席的主体未到:物业服务企业"


def test_too_few_seats_is_no_quorum_even_with_every_required_seat_present(world):
    meeting_id = open_meeting(world.db, world.actors["secretary_a"], world.a,
                              absent=("residents_committee", "resident_group", "deputies", "representatives",
                                      "cobuilding"))
    assert meeting_svc.quorum(world.db, world.actors["secretary_a"], meeting_id) == Quorum(
        met=False, seats_present=4, min_seats=5, missing_required=())


def test_a_proxy_counts_for_the_seat(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id = open_meeting(db, secretary, world.a, absent=("property",))
    record_attendance(db, secretary, meeting_id, {member(db, world.a, "property"): ("proxy", "物业副经理")})
    assert meeting_svc.quorum(db, world.actors["secretary_a"], meeting_id).met


def test_a_proxy_needs_a_name(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id = open_meeting(db, secretary, world.a)
    with pytest.raises(DomainError, match="受托人"):
        record_attendance(db, secretary, meeting_id, {member(db, world.a, "property"): ("proxy", "")})


def test_a_decision_is_refused_without_quorum_and_nothing_changes(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    meeting_id = open_meeting(db, secretary, world.a, [issue_id], absent=("property",))
    before = dump(db)
    for outcome in ("settled", "actions", "escalated"):
        with pytest.raises(DomainError, match="未达法定人数") as refused:
            decide(db, secretary, meeting_id, issue_id, outcome=outcome)
        assert is_chinese(refused.value.message)
    assert dump(db) == before
    assert stage_of(db, issue_id) == "deliberating"


def test_without_quorum_an_item_can_still_be_deferred(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    meeting_id = open_meeting(db, secretary, world.a, [issue_id], absent=("property",))
    decide(db, secretary, meeting_id, issue_id, outcome="deferred", decision="")
    item = one(db, "SELECT outcome, decision FROM agenda_items WHERE id = ?", [item_of(db, meeting_id, issue_id)])
    assert item == {"outcome": "deferred", "decision": ""}
    assert stage_of(db, issue_id) == "deliberating"


def test_meetings_are_numbered_per_compound(world):
    db = world.db
    for _ in range(3):
        held_meeting_with_quorum(db, world.actors["secretary_a"], world.a, {})
    b_meeting = meeting_svc.schedule_meeting(db, world.actors["secretary_b"], world.compounds["B"])
    numbers = {(r["compound_id"], r["number"]) for r in rows(db, "SELECT compound_id, number FROM meetings")}
    assert numbers == {(world.a, 1), (world.a, 2), (world.a, 3), (world.compounds["B"], 1)}
    scheduled = one(db, "SELECT note FROM events WHERE meeting_id = ? AND kind = 'meeting_scheduled'", [b_meeting])
    assert scheduled["note"].startswith("第1次会议")


def test_a_meeting_defaults_to_the_standing_time_and_place(world):
    db = world.db
    moment = datetime(2025, 3, 1, 9, 0)
    with clock_at(moment):
        meeting_id = meeting_svc.schedule_meeting(db, world.actors["secretary_a"], world.a)
    meeting = meeting_store.require_meeting(db, meeting_id)
    # The default rule is the second Tuesday of the month at 19:00: 2025-03-11.
    assert (meeting["scheduled_at"], meeting["place"], meeting["status"]) == ("2025-03-11 19:00", "甲花园党群服务站",
                                                                               "planned")
    assert get_compound(db, world.a).schedule.label == "每月第二个周二 19:00"


def test_only_one_meeting_can_be_planned_at_a_time(world):
    db = world.db
    meeting_svc.schedule_meeting(db, world.actors["secretary_a"], world.a)
    with pytest.raises(DomainError, match="计划中的会议"):
        meeting_svc.schedule_meeting(db, world.actors["secretary_a"], world.a)


def test_a_meeting_moves_through_its_statuses_in_order(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id = held_meeting_with_quorum(db, secretary, world.a, {})
    with pytest.raises(DomainError, match="当前状态"):
        meeting_svc.publish_minutes(db, secretary, meeting_id, "摘要")
    meeting_svc.approve_minutes(db, secretary, meeting_id)
    meeting_svc.publish_minutes(db, secretary, meeting_id, "审议了车位问题。")
    kinds = [r["kind"] for r in rows(db, "SELECT kind FROM events WHERE meeting_id = ? ORDER BY id", [meeting_id])]
    assert kinds == ["meeting_scheduled", "meeting_in_progress", "attendance_recorded", "meeting_held",
                     "meeting_minutes_approved", "meeting_published"]


def test_decisions_need_a_meeting_in_progress(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    meeting_id = held_meeting_with_quorum(db, secretary, world.a, {issue_id: {"outcome": "deferred"}})
    with pytest.raises(DomainError, match="进行中的会议"):
        record_decision(db, secretary, item_of(db, meeting_id, issue_id), outcome="settled", decision="解决")


def test_a_decided_item_cannot_be_decided_again(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    meeting_id = open_meeting(db, secretary, world.a, [issue_id])
    decide(db, secretary, meeting_id, issue_id, outcome="settled")
    before = dump(db)
    for outcome in ("deferred", "actions", "settled"):
        with pytest.raises(DomainError, match="已形成决议"):
            decide(db, secretary, meeting_id, issue_id, outcome=outcome)
    assert dump(db) == before


def test_finishing_a_meeting_defers_undecided_items_onto_the_proposed_agenda(world):
    db, secretary = world.db, world.actors["secretary_a"]
    decided, undecided = make_issue(db, secretary, world.a, title="高空抛物"), make_issue(db, secretary, world.a)
    meeting_id = open_meeting(db, secretary, world.a, [decided, undecided])
    decide(db, secretary, meeting_id, decided, outcome="settled")
    meeting_svc.finish_meeting(db, secretary, meeting_id)
    outcomes = {r["issue_id"]: r["outcome"] for r in rows(
        db, "SELECT issue_id, outcome FROM agenda_items WHERE meeting_id = ?", [meeting_id])}
    assert outcomes == {decided: "settled", undecided: "deferred"}
    assert [(r["id"], r["reason"]) for r in propose_agenda(db, secretary, world.a)] == [(undecided, "carry_over")]


def test_the_proposed_agenda_lists_carry_overs_then_overdue_actions_then_waiting_concerns(world):
    db, secretary = world.db, world.actors["secretary_a"]
    waiting = make_issue(db, secretary, world.a, title="宠物乱跑")
    carried = issue_in_stage(db, secretary, world.a, "deliberating", title="门禁系统失灵")
    late = make_issue(db, secretary, world.a, title="外墙瓷砖脱落")
    on_time = make_issue(db, secretary, world.a, title="地下车库渗水")
    held_meeting_with_quorum(db, secretary, world.a, {
        late: {"outcome": "actions", "actions": actions_for(db, world.a, "property", due_in_days=10)},
        on_time: {"outcome": "actions", "actions": actions_for(db, world.a, "property", due_in_days=60)},
    })
    issue_in_stage(db, secretary, world.a, "resolved", title="夜间装修噪音")
    with clock_at(now() + timedelta(days=20)):
        proposed = propose_agenda(db, secretary, world.a)
    assert [(r["id"], r["reason"]) for r in proposed] == [
        (carried, "carry_over"), (late, "overdue_actions"), (waiting, "waiting")]


def test_an_issue_already_on_the_next_agenda_is_not_proposed_again(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    meeting_id = meeting_svc.schedule_meeting(db, secretary, world.a)
    from deliberation.services.agenda import add_to_agenda
    add_to_agenda(db, secretary, meeting_id, issue_id)
    assert propose_agenda(db, secretary, world.a) == []


def test_renaming_a_seat_keeps_the_old_name_on_past_attendance_and_actions(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    past = held_meeting_with_quorum(db, secretary, world.a, {issue_id: {"outcome": "actions"}})
    rename_seat(db, secretary, seat_id(db, world.a, "property"), "物业管理处")
    later = open_meeting(db, secretary, world.a)

    def seat_names(meeting_id):
        return {r["seat_code"]: r["seat_name"] for r in meeting_svc.attendance(db, secretary, meeting_id)}

    assert seat_names(past)["property"] == "物业服务企业"
    assert seat_names(later)["property"] == "物业管理处"
    assert [r["seat_name"] for r in rows(db, "SELECT seat_name FROM actions WHERE issue_id = ?", [issue_id])] == [
        "物业服务企业"]
    assert meeting_svc.quorum(db, world.actors["secretary_a"], later).met
    assert one(db, "SELECT note FROM events WHERE kind = 'seat_renamed'")["note"] == "物业服务企业 → 物业管理处"
