"""The "3+4" lifecycle: every (source, target) pair of stages, legal iff the table has it.

Legal moves go through the service a user would use for them (a meeting's decision, an
escalation's answer, the end of the objection window…); illegal ones are refused by every
service that could attempt them, with a Chinese message and nothing written."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from deliberation.model.errors import DomainError
from deliberation.model.lifecycle import TRANSITIONS, Stage
from deliberation.services import agenda as agenda_svc
from deliberation.services.clock import clock_at, now
from deliberation.services.escalation import answer_escalation, escalate
from deliberation.services.issues import merge_issues, transition_issue
from deliberation.services.meetings import schedule_meeting
from deliberation.services.publicity import close_expired_windows, publish_result
from deliberation.services.stats import compound_stats
from deliberation.store import one
from tests.factories import (
    decide, dump, event_count, held_meeting_with_quorum, is_chinese, issue_in_stage, last_event, make_issue,
    open_meeting, stage_of, version_of,
)

LEGAL = {(t.source, t.target) for t in TRANSITIONS}
ALL_PAIRS = list(itertools.product(Stage, Stage))


# --- legal moves, each through the service that makes it ---------------------------------
# Each returns what the move must leave behind: the actor on the event, and the level or
# reason the issue must keep.

def put_on_agenda(w, issue_id):
    meeting_id = schedule_meeting(w.db, w.actors["recorder_a"], w.a)
    agenda_svc.add_to_agenda(w.db, w.actors["recorder_a"], meeting_id, issue_id)
    return {"actor": "recorder_a", "meeting_id": meeting_id}


def close_as_withdrawn(w, issue_id):
    transition_issue(w.db, w.actors["secretary_a"], issue_id, "closed",
                     expected_version=version_of(w.db, issue_id), reason="withdrawn")
    return {"actor": "secretary_a", "closed_reason": "withdrawn"}


def close_as_not_our_remit(w, issue_id):
    transition_issue(w.db, w.actors["recorder_a"], issue_id, "closed",
                     expected_version=version_of(w.db, issue_id), reason="not_our_remit")
    return {"actor": "recorder_a", "closed_reason": "not_our_remit"}


def assign_actions_in_meeting(w, issue_id):
    meeting_id = held_meeting_with_quorum(w.db, w.actors["secretary_a"], w.a, {issue_id: {"outcome": "actions"}})
    return {"actor": "secretary_a", "meeting_id": meeting_id}


def settle_in_meeting(w, issue_id):
    meeting_id = held_meeting_with_quorum(w.db, w.actors["secretary_a"], w.a,
                                          {issue_id: {"outcome": "settled", "level": "community"}})
    return {"actor": "secretary_a", "meeting_id": meeting_id, "resolved_level": "community"}


def escalate_to_community(w, issue_id):
    escalate(w.db, w.actors["secretary_a"], issue_id, "community", "请社区协调")
    return {"actor": "secretary_a"}


def escalate_to_subdistrict(w, issue_id):
    escalate(w.db, w.actors["admin"], issue_id, "subdistrict", "请街道协调")
    return {"actor": "admin"}


def publish(w, issue_id):
    publish_result(w.db, w.actors["secretary_a"], issue_id, summary="已整改完毕,请居民监督")
    return {"actor": "secretary_a"}


def replan(w, issue_id):
    transition_issue(w.db, w.actors["secretary_a"], issue_id, "deliberating",
                     expected_version=version_of(w.db, issue_id), note="方案不可行,退回重新议事")
    return {"actor": "secretary_a"}


def pending_escalation(w, issue_id) -> int:
    return one(w.db, "SELECT id FROM escalations WHERE issue_id = ? AND answered_on IS NULL", [issue_id])["id"]


def answer_then_act(w, issue_id):
    answer_escalation(w.db, w.actors["officer"], pending_escalation(w, issue_id), "社区协调施工队进场",
                      next_stage="acting")
    return {"actor": "officer"}


def answer_then_publish(w, issue_id):
    answer_escalation(w.db, w.actors["officer"], pending_escalation(w, issue_id), "社区已协调解决",
                      next_stage="publicizing")
    return {"actor": "officer"}


def merge_into_another(w, issue_id):
    other = make_issue(w.db, w.actors["secretary_a"], w.a, title="车位不足(另一户反映)")
    merge_issues(w.db, w.actors["secretary_a"], issue_id, other, expected_version=version_of(w.db, issue_id))
    return {"actor": "secretary_a", "closed_reason": "duplicate", "merged_into": other}


def window_closes(w, issue_id):
    with clock_at(now() + timedelta(days=8)):
        assert close_expired_windows(w.db, w.actors["secretary_a"]) == 1
    return {"actor": "secretary_a", "resolved_level": "compound"}


def reopen(w, issue_id):
    transition_issue(w.db, w.actors["secretary_a"], issue_id, "deliberating",
                     expected_version=version_of(w.db, issue_id), note="居民再次反映,重新议事")
    return {"actor": "secretary_a"}


MOVES = {
    (Stage.COLLECTED, Stage.DELIBERATING): put_on_agenda,
    (Stage.COLLECTED, Stage.CLOSED): close_as_withdrawn,
    (Stage.DELIBERATING, Stage.ACTING): assign_actions_in_meeting,
    (Stage.DELIBERATING, Stage.ESCALATED): escalate_to_community,
    (Stage.DELIBERATING, Stage.RESOLVED): settle_in_meeting,
    (Stage.DELIBERATING, Stage.CLOSED): close_as_not_our_remit,
    (Stage.ACTING, Stage.PUBLICIZING): publish,
    (Stage.ACTING, Stage.ESCALATED): escalate_to_subdistrict,
    (Stage.ACTING, Stage.DELIBERATING): replan,
    (Stage.ACTING, Stage.CLOSED): merge_into_another,
    (Stage.ESCALATED, Stage.CLOSED): merge_into_another,
    (Stage.PUBLICIZING, Stage.CLOSED): merge_into_another,
    (Stage.ESCALATED, Stage.ACTING): answer_then_act,
    (Stage.ESCALATED, Stage.PUBLICIZING): answer_then_publish,
    (Stage.PUBLICIZING, Stage.RESOLVED): window_closes,
    (Stage.PUBLICIZING, Stage.DELIBERATING): reopen,
    (Stage.RESOLVED, Stage.DELIBERATING): reopen,
    (Stage.CLOSED, Stage.DELIBERATING): reopen,
}


# --- illegal moves, attempted through every service that could make them -----------------
# Each prepares what the attempt needs and returns the attempt itself, so the database can
# be compared before and after the attempt alone.

def by_transition_issue(w, issue_id, target):
    version = version_of(w.db, issue_id)
    return lambda: transition_issue(w.db, w.actors["secretary_a"], issue_id, target.value,
                                    expected_version=version, note="说明", level="compound", reason="withdrawn")


def by_escalate(w, issue_id, target):
    return lambda: escalate(w.db, w.actors["secretary_a"], issue_id, "community", "请社区协调")


def by_publish_result(w, issue_id, target):
    return lambda: publish_result(w.db, w.actors["secretary_a"], issue_id, summary="已整改完毕")


def by_merge(w, issue_id, target):
    other = make_issue(w.db, w.actors["secretary_a"], w.a, title="车位不足(另一户反映)")
    return lambda: merge_issues(w.db, w.actors["secretary_a"], issue_id, other)


def by_settling_in_meeting(w, issue_id, target):
    meeting_id = open_meeting(w.db, w.actors["secretary_a"], w.a, [issue_id])
    return lambda: decide(w.db, w.actors["secretary_a"], meeting_id, issue_id, outcome="settled")


def attempts(source: Stage, target: Stage):
    found = [by_transition_issue]
    if target == Stage.ESCALATED:
        found.append(by_escalate)
    if target == Stage.PUBLICIZING:
        found.append(by_publish_result)
    if target == Stage.CLOSED:
        found.append(by_merge)
    if target == Stage.RESOLVED and source == Stage.ACTING:
        found.append(by_settling_in_meeting)      # an overdue action's issue on the agenda
    return found


# DESIGN.md's lifecycle table ("leaves to"), written out by hand so the code's table is checked
# against the design rather than against itself.
DESIGNED = {
    ("collected", "deliberating"), ("collected", "closed"),
    ("deliberating", "acting"), ("deliberating", "escalated"), ("deliberating", "resolved"),
    ("deliberating", "closed"),
    ("acting", "publicizing"), ("acting", "escalated"), ("acting", "deliberating"),
    ("escalated", "acting"), ("escalated", "publicizing"),
    ("publicizing", "resolved"), ("publicizing", "deliberating"),
    # Duplicates at any open stage (issue 13, item 7): merged, they close as 重复.
    ("acting", "closed"), ("escalated", "closed"), ("publicizing", "closed"),
    ("resolved", "deliberating"),
    ("closed", "deliberating"),
}


def test_the_transition_table_is_the_one_in_the_design():
    assert {(s.value, t.value) for s, t in LEGAL} == DESIGNED


def test_every_transition_in_the_table_has_a_service_that_performs_it():
    assert set(MOVES) == LEGAL


@pytest.mark.parametrize("source,target", ALL_PAIRS, ids=[f"{s.value}->{t.value}" for s, t in ALL_PAIRS])
def test_a_stage_changes_only_along_the_transition_table(world, source, target):
    issue_id = issue_in_stage(world.db, world.actors["secretary_a"], world.a, source)
    if (source, target) in LEGAL:
        assert_moves(world, issue_id, source, target)
    else:
        assert_refused(world, issue_id, source, target)


def assert_moves(w, issue_id, source, target):
    before = last_event(w.db, issue_id)["id"]
    expected = MOVES[(source, target)](w, issue_id)
    issue = one(w.db, "SELECT * FROM issues WHERE id = ?", [issue_id])
    assert issue["stage"] == target.value
    actor = w.actors[expected["actor"]]
    moves = [dict(from_stage=e["from_stage"], to_stage=e["to_stage"], actor_id=e["actor_id"],
                  actor_label=e["actor_label"])
             for e in w.db.query("SELECT * FROM events WHERE issue_id = ? AND id > ? AND kind = 'transition'",
                                 [issue_id, before])]
    assert moves == [dict(from_stage=source.value, to_stage=target.value, actor_id=actor.user_id,
                          actor_label=actor.label)]
    if "meeting_id" in expected:
        assert last_event(w.db, issue_id)["meeting_id"] == expected["meeting_id"]
    assert issue["resolved_level"] == expected.get("resolved_level")
    assert issue["closed_reason"] == expected.get("closed_reason")
    stats = compound_stats(w.db, w.actors["secretary_a"], w.a)
    if "merged_into" in expected:       # counted as 合并; only the issue it joined is live
        assert issue["merged_into_id"] == expected["merged_into"]
        assert stats["by_stage"] == {s.value: int(s == Stage.COLLECTED) for s in Stage}
        assert (stats["resolved"], stats["closed"], stats["merged"]) == (0, 0, 1)
        return
    assert stats["by_stage"] == {s.value: int(s == target) for s in Stage}
    assert (stats["resolved"], stats["closed"], stats["merged"]) == (
        int(target == Stage.RESOLVED), int(target == Stage.CLOSED), 0)


def assert_refused(w, issue_id, source, target):
    for prepare in attempts(source, target):
        attempt = prepare(w, issue_id, target)
        state = lambda: (stage_of(w.db, issue_id), version_of(w.db, issue_id), event_count(w.db))  # noqa: E731
        before, everything = state(), dump(w.db)
        with pytest.raises(DomainError) as refused:
            attempt()
        assert is_chinese(refused.value.message), (prepare.__name__, refused.value.message)
        assert state() == before == (source.value, before[1], before[2]), prepare.__name__
        assert dump(w.db) == everything, prepare.__name__          # nor anything else


def test_resolved_and_closed_issues_are_counted_apart(world):
    secretary = world.actors["secretary_a"]
    issue_in_stage(world.db, secretary, world.a, Stage.RESOLVED)
    issue_in_stage(world.db, secretary, world.a, Stage.RESOLVED)
    issue_in_stage(world.db, secretary, world.a, Stage.CLOSED)
    stats = compound_stats(world.db, world.actors["secretary_a"], world.a)
    assert (stats["issues"], stats["resolved"], stats["closed"]) == (3, 2, 1)
    assert stats["resolved_by_level"] == {"compound": 2}


def test_reopening_a_resolved_issue_clears_its_level_until_it_is_resolved_again(world):
    secretary = world.actors["secretary_a"]
    issue_id = issue_in_stage(world.db, secretary, world.a, Stage.RESOLVED)
    reopen(world, issue_id)
    issue = one(world.db, "SELECT * FROM issues WHERE id = ?", [issue_id])
    assert (issue["stage"], issue["resolved_level"], issue["resolved_on"]) == ("deliberating", None, None)
    held_meeting_with_quorum(world.db, secretary, world.a, {issue_id: {"outcome": "settled", "level": "subdistrict"}})
    assert one(world.db, "SELECT resolved_level FROM issues WHERE id = ?", [issue_id])["resolved_level"] == "subdistrict"


def test_escalation_through_the_issue_page_points_to_the_escalation_form(world):
    issue_id = issue_in_stage(world.db, world.actors["secretary_a"], world.a, Stage.DELIBERATING)
    before = dump(world.db)
    with pytest.raises(DomainError, match="上报请使用"):
        transition_issue(world.db, world.actors["secretary_a"], issue_id, "escalated",
                         expected_version=version_of(world.db, issue_id), note="请社区协调")
    assert dump(world.db) == before
