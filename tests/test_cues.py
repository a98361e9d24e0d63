"""Issue 13, item 9: the 工作台 says what waits for the user, and only what they may act on:
tasks done → 待公示, minutes to approve or publish, answers from above since the last visit,
meetings started but not finished."""
from __future__ import annotations

from datetime import timedelta

import pytest

from deliberation.model.errors import DomainError
from deliberation.services import meetings as meeting_svc
from deliberation.services.actions import update_action
from deliberation.services.clock import clock_at, now
from deliberation.services.workbench import cues, visit_workbench
from deliberation.store import rows
from tests.factories import (
    answered,
    escalated_issue,
    held_meeting_with_quorum,
    issue_in_stage,
    make_issue,
    open_meeting,
)


def _kinds(found) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.issue_id, c.meeting_id) for c in found]


def test_finished_tasks_cue_the_secretary_to_publicize_and_nobody_without_the_right(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    issue_id = issue_in_stage(db, secretary, world.a, "acting")
    assert ("to_publicize", issue_id, None) not in _kinds(cues(db, secretary, world.a, since=None))
    for action in rows(db, "SELECT id, version FROM actions WHERE issue_id = ?", [issue_id]):
        update_action(db, secretary, action["id"], action["version"], status="done", note="已完成")
    assert ("to_publicize", issue_id, None) in _kinds(cues(db, secretary, world.a, since=None))
    assert not [c for c in cues(db, actors["recorder_a"], world.a, since=None) if c.kind == "to_publicize"]
    assert cues(db, actors["seat_rep_owners_a"], world.a, since=None) == []


def test_meetings_cue_who_runs_them_and_who_approves_the_minutes(world, actors):
    db, secretary, recorder = world.db, actors["secretary_a"], actors["recorder_a"]
    meeting_id = open_meeting(db, secretary, world.a, [make_issue(db, secretary, world.a)])
    assert ("meeting_open", None, meeting_id) in _kinds(cues(db, recorder, world.a, since=None))
    meeting_svc.finish_meeting(db, secretary, meeting_id)
    assert ("minutes_to_approve", None, meeting_id) in _kinds(cues(db, secretary, world.a, since=None))
    assert not [c for c in cues(db, recorder, world.a, since=None) if c.meeting_id == meeting_id]
    meeting_svc.approve_minutes(db, secretary, meeting_id)
    assert ("minutes_to_publish", None, meeting_id) in _kinds(cues(db, secretary, world.a, since=None))
    meeting_svc.publish_minutes(db, secretary, meeting_id, "第1次会议纪要公开")
    assert not [c for c in cues(db, secretary, world.a, since=None) if c.meeting_id == meeting_id]


def test_an_answer_is_a_cue_until_the_next_visit(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    issue_id, escalation_id = escalated_issue(db, secretary, world.a)
    start = now()
    with clock_at(start + timedelta(minutes=1)):
        assert visit_workbench(db, secretary) is None            # the first visit ever
    with clock_at(start + timedelta(minutes=2)):
        answered(db, actors["officer"], escalation_id)
    with clock_at(start + timedelta(minutes=3)):
        previous = visit_workbench(db, secretary)              # the answer came after the visit before
    assert ("answer_arrived", issue_id, None) in _kinds(cues(db, secretary, world.a, since=previous))
    with clock_at(start + timedelta(minutes=4)):
        later = visit_workbench(db, secretary)                 # the visit after: already seen
    assert ("answer_arrived", issue_id, None) not in _kinds(cues(db, secretary, world.a, since=later))


def test_another_compound_s_cues_are_refused(world, actors):
    with pytest.raises(DomainError):
        cues(world.db, actors["secretary_b"], world.a, since=None)


def test_a_held_meeting_s_minutes_show_on_the_workbench(demo_env):
    """(That the cue is a link that opens the meeting: tests/e2e/test_cues_audit_browser.py.)"""
    from deliberation.services.actors import load_actor
    from tests.page_output import everything, open_page
    from tests.page_session import user_id
    db = demo_env
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    compound_id = min(secretary.compound_ids)
    issue_id = make_issue(db, secretary, compound_id, title="<i>楼道</i>灯坏了",
                          category_id=rows(db, "SELECT id FROM categories WHERE compound_id = ? LIMIT 1",
                                           [compound_id])[0]["id"],
                          raised_by_seat_id=rows(db, "SELECT id FROM seats WHERE compound_id = ? LIMIT 1",
                                                 [compound_id])[0]["id"])
    meeting_id = held_meeting_with_quorum(db, secretary, compound_id, {issue_id: {"outcome": "settled"}})
    number = rows(db, "SELECT number FROM meetings WHERE id = ?", [meeting_id])[0]["number"]
    at = open_page("home", user=secretary.user_id)
    assert not at.exception
    shown = everything(at)
    assert "待办提醒" in shown and f"第{number}次会议已结束,纪要待审定" in shown
