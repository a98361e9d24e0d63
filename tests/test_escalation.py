"""社区吹哨,街道报到: escalating a concern upward, the answer coming back onto the issue's
timeline, and the level that fixed it kept for the "721" figure."""
from __future__ import annotations

from datetime import timedelta

import pytest

from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.compounds import create_compound
from deliberation.services.actors import SYSTEM
from deliberation.services.clock import clock_at, now
from deliberation.services.escalation import answer_escalation, escalate, pending_escalations
from deliberation.services.issue_view import issue_detail
from deliberation.services.issues import transition_issue
from deliberation.services.public import public_escalations, public_timeline
from deliberation.services.publicity import close_expired_windows, publish_result
from deliberation.services.stats import compound_stats
from deliberation.store import one
from tests.factories import answered, dump, escalated_issue, issue_in_stage, make_issue, stage_of, version_of


def test_escalating_goes_to_the_area_above_the_compound(world):
    db, secretary = world.db, world.actors["secretary_a"]
    _, to_community = escalated_issue(db, secretary, world.a, "community")
    _, to_subdistrict = escalated_issue(db, secretary, world.a, "subdistrict")
    areas = {e: one(db, "SELECT a.name FROM escalations e JOIN areas a ON a.id = e.area_id WHERE e.id = ?", [e])["name"]
             for e in (to_community, to_subdistrict)}
    assert areas == {to_community: "松园社区", to_subdistrict: "桂园街道"}


def test_an_escalation_needs_a_request(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = issue_in_stage(db, secretary, world.a, "acting")
    before = dump(db)
    with pytest.raises(DomainError, match="请求事项"):
        escalate(db, secretary, issue_id, "community", "  ")
    assert dump(db) == before


def test_a_compound_directly_under_a_subdistrict_cannot_escalate_to_a_community(world):
    db = world.db
    compound_id = create_compound(db, SYSTEM, world.areas["东门街道"], "丁花园", place="丁花园服务站")
    issue_id = issue_in_stage(db, SYSTEM, compound_id, "deliberating")
    with pytest.raises(DomainError, match="没有上级社区"):
        escalate(db, SYSTEM, issue_id, "community", "请社区协调")
    escalate(db, SYSTEM, issue_id, "subdistrict", "请街道协调")
    assert stage_of(db, issue_id) == "escalated"


def test_each_officer_sees_the_escalations_waiting_in_their_area(world):
    db, secretary = world.db, world.actors["secretary_a"]
    _, to_community = escalated_issue(db, secretary, world.a, "community")
    _, to_subdistrict = escalated_issue(db, secretary, world.a, "subdistrict")
    _, from_c = escalated_issue(db, SYSTEM, world.compounds["C"], "community")
    waiting = lambda name: [e["id"] for e in pending_escalations(db, world.actors[name])]   # noqa: E731
    assert waiting("officer") == [to_community]
    assert waiting("officer_other") == [from_c]               # 湖贝社区 lies under 东门街道
    assert waiting("admin") == [to_community, to_subdistrict, from_c]
    assert waiting("secretary_a") == []


def test_an_officer_of_the_subdistrict_answers_for_a_community_below_it(world):
    db = world.db
    issue_id, escalation_id = escalated_issue(db, SYSTEM, world.compounds["C"], "community")
    answered(db, world.actors["officer_other"], escalation_id)
    assert stage_of(db, issue_id) == "acting"


def test_the_answer_appears_on_the_issue_timeline_for_staff_and_residents(world):
    db, secretary, officer = world.db, world.actors["secretary_a"], world.actors["officer"]
    issue_id, escalation_id = escalated_issue(db, secretary, world.a, "community")
    answer_escalation(db, officer, escalation_id, "社区已协调城管部门清理", next_stage="acting")
    timeline = issue_detail(db, secretary, issue_id)["timeline"]
    answer = [(e["kind"], e["actor_label"], e["note"], e["data"]) for e in timeline
              if e["kind"] == "escalation_answered"]
    assert answer == [("escalation_answered", officer.label, "社区已协调城管部门清理",
                       {"escalation_id": escalation_id, "level": "community"})]
    assert [(e["from_stage"], e["to_stage"]) for e in timeline if e["kind"] == "transition"][-2:] == [
        ("acting", "escalated"), ("escalated", "acting")]
    assert "社区已协调城管部门清理" in [e["note"] for e in public_timeline(db, issue_id)]
    assert [(e["issue_id"], e["answer"]) for e in public_escalations(db, world.a)] == [
        (issue_id, "社区已协调城管部门清理")]


def test_the_answering_level_is_kept_when_the_issue_is_resolved(world):
    db, secretary = world.db, world.actors["secretary_a"]
    by_community, community_escalation = escalated_issue(db, secretary, world.a, "community")
    by_subdistrict, subdistrict_escalation = escalated_issue(db, secretary, world.a, "subdistrict")
    answered(db, world.actors["officer"], community_escalation, next_stage="acting")
    publish_result(db, secretary, by_community, summary="社区协调后已整改")
    answered(db, world.actors["admin"], subdistrict_escalation, next_stage="publicizing")
    with clock_at(now() + timedelta(days=8)):
        assert close_expired_windows(db, secretary) == 2
    levels = {r["id"]: (r["stage"], r["resolved_level"]) for r in db.query(
        "SELECT id, stage, resolved_level FROM issues WHERE id IN (?, ?)", [by_community, by_subdistrict])}
    assert levels == {by_community: ("resolved", "community"), by_subdistrict: ("resolved", "subdistrict")}
    assert compound_stats(db, world.actors["secretary_a"], world.a)["resolved_by_level"] == {"community": 1, "subdistrict": 1}


def test_an_escalation_is_answered_once(world):
    db, officer = world.db, world.actors["officer"]
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    answered(db, officer, escalation_id)
    before = dump(db)
    with pytest.raises(DomainError, match="已答复"):
        answered(db, officer, escalation_id)
    assert dump(db) == before


def test_an_empty_answer_is_refused(world):
    db = world.db
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    with pytest.raises(DomainError, match="答复内容"):
        answer_escalation(db, world.actors["officer"], escalation_id, " ")


def test_an_officer_cannot_answer_for_the_subdistrict_above_and_the_attempt_is_recorded(world):
    db, officer = world.db, world.actors["officer"]
    issue_id, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "subdistrict")
    with pytest.raises(PermissionDenied, match="其他区域"):
        answered(db, officer, escalation_id)
    refused = one(db, "SELECT * FROM events ORDER BY id DESC LIMIT 1")
    assert (refused["kind"], refused["actor_id"], refused["compound_id"]) == ("refused", officer.user_id, world.a)
    assert stage_of(db, issue_id) == "escalated"


def test_an_escalated_issue_waits_outside_the_proposed_agenda(world):
    from deliberation.services.agenda import propose_agenda
    db, secretary = world.db, world.actors["secretary_a"]
    escalated_issue(db, secretary, world.a, "community")
    waiting = make_issue(db, secretary, world.a)
    assert [r["id"] for r in propose_agenda(db, secretary, world.a)] == [waiting]


def test_an_escalated_issue_waits_for_the_answer_before_it_moves_on(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id, escalation_id = escalated_issue(db, secretary, world.a, "community")
    before = dump(db)
    with pytest.raises(DomainError, match="上级尚未答复"):
        transition_issue(db, secretary, issue_id, "acting", expected_version=version_of(db, issue_id))
    with pytest.raises(DomainError, match="上级尚未答复"):
        publish_result(db, secretary, issue_id, summary="小区自行解决")
    assert dump(db) == before
    answered(db, world.actors["officer"], escalation_id)
    assert pending_escalations(db, world.actors["officer"]) == []
