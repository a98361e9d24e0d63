"""公示监督 as residents see it: the result posted with an objection window, 不满意 reopening
the issue onto the next agenda, a quiet window resolving it, merged concerns counting households."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from deliberation.model.errors import DomainError
from deliberation.services.agenda import propose_agenda
from deliberation.services.compounds import get_compound, update_compound_rules
from deliberation.services.actors import RESIDENT, SYSTEM
from deliberation.services.clock import clock_at, today
from deliberation.services.issues import add_household, merge_issues, transition_issue
from deliberation.services.public import public_issue, public_timeline
from deliberation.services.publicity import close_expired_windows, give_feedback, publish_result
from deliberation.store import one, rows
from tests.factories import seat_id, dump, household_codes, issue_in_stage, last_event, make_issue, stage_of, version_of


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour))


@pytest.fixture
def posted(world) -> int:
    """An issue whose result has just been posted (公示监督)."""
    return issue_in_stage(world.db, world.actors["secretary_a"], world.a, "publicizing")


def test_posting_a_result_opens_a_seven_day_window_on_the_public_board(world, posted):
    board = public_issue(world.db, posted)
    assert (board.stage, board.summary, board.objection_closes_on, board.days_left) == (
        "publicizing", "已整改完毕", (today() + timedelta(days=7)).isoformat(), 7)


def test_a_result_needs_a_public_summary(world):
    issue_id = issue_in_stage(world.db, world.actors["secretary_a"], world.a, "acting")
    with pytest.raises(DomainError, match="结果说明"):
        publish_result(world.db, world.actors["secretary_a"], issue_id, summary="")


def test_three_unsatisfied_residents_reopen_the_issue_onto_the_next_agenda(world, posted):
    db = world.db
    codes = household_codes(db, world.a, 3)
    stages = [give_feedback(db, posted, "unsatisfied", "仍有车辆占道", session_key=f"s{n}", household_code=code)
              for n, code in enumerate(codes)]
    assert stages == ["publicizing", "publicizing", "deliberating"]
    assert stage_of(db, posted) == "deliberating"
    reopened = last_event(db, posted)
    assert (reopened["kind"], reopened["from_stage"], reopened["to_stage"], reopened["actor_label"]) == (
        "transition", "publicizing", "deliberating", SYSTEM.label)
    assert "3 户居民(凭议事码)不满意" in reopened["note"]
    assert [(r["id"], r["reason"]) for r in propose_agenda(db, world.actors["secretary_a"], world.a)] == [
        (posted, "carry_over")]


def test_satisfied_residents_do_not_count_towards_the_objection_threshold(world, posted):
    db = world.db
    codes = household_codes(db, world.a, 5)
    for n, rating in enumerate(["unsatisfied", "satisfied", "basic", "unsatisfied", "satisfied"]):
        assert give_feedback(db, posted, rating, session_key=f"s{n}", household_code=codes[n]) == "publicizing"


def test_a_window_that_closes_below_the_threshold_resolves_the_issue_quietly(world, posted):
    db = world.db
    codes = household_codes(db, world.a, 2)
    give_feedback(db, posted, "unsatisfied", session_key="s1", household_code=codes[0])
    give_feedback(db, posted, "unsatisfied", session_key="s2", household_code=codes[1])
    closes = date.fromisoformat(public_issue(db, posted).objection_closes_on)
    with clock_at(at(closes)):
        assert close_expired_windows(db) == 0            # the last day of the window is still open
    assert stage_of(db, posted) == "publicizing"
    with clock_at(at(closes + timedelta(days=1), 0)):
        assert close_expired_windows(db) == 1
    issue = one(db, "SELECT stage, resolved_level, resolved_on FROM issues WHERE id = ?", [posted])
    assert issue == {"stage": "resolved", "resolved_level": "compound",
                     "resolved_on": (closes + timedelta(days=1)).isoformat()}
    assert [(e["from_stage"], e["to_stage"]) for e in public_timeline(db, posted) if e["kind"] == "transition"][-1] == (
        "publicizing", "resolved")


def test_feedback_after_the_window_closed_is_refused(world, posted):
    db = world.db
    closes = date.fromisoformat(public_issue(db, posted).objection_closes_on)
    with clock_at(at(closes + timedelta(days=1))):
        before = dump(db)
        with pytest.raises(DomainError, match="不在公示期内"):
            give_feedback(db, posted, "unsatisfied", session_key="late")
        assert dump(db) == before


def test_a_resident_gives_feedback_once_per_publication(world, posted):
    db = world.db
    give_feedback(db, posted, "unsatisfied", session_key="same")
    with pytest.raises(DomainError, match="已评价"):
        give_feedback(db, posted, "unsatisfied", session_key="same")
    assert rows(db, "SELECT count(*) AS n FROM feedback WHERE issue_id = ?", [posted]) == [{"n": 1}]


def test_a_compound_can_lower_its_objection_threshold(world, posted):
    db = world.db
    update_compound_rules(db, world.actors["secretary_a"], world.a, get_compound(db, world.a).version,
                          objection_threshold=1)
    assert give_feedback(db, posted, "unsatisfied", session_key="s1") == "publicizing"     # no code: never counts
    assert give_feedback(db, posted, "unsatisfied", session_key="s2",
                         household_code=household_codes(db, world.a, 1)[0]) == "deliberating"


def test_objections_count_per_publication_round(world, posted):
    db, secretary = world.db, world.actors["secretary_a"]
    codes = household_codes(db, world.a, 3)
    for n in range(3):
        give_feedback(db, posted, "unsatisfied", session_key=f"r1-{n}", household_code=codes[n])
    transition_issue(db, secretary, posted, "acting", expected_version=version_of(db, posted))
    publish_result(db, secretary, posted, summary="二次整改完毕")
    assert public_issue(db, posted).summary == "二次整改完毕"
    assert one(db, "SELECT publication_round FROM issues WHERE id = ?", [posted])["publication_round"] == 2
    assert give_feedback(db, posted, "unsatisfied", session_key="r1-0", household_code=codes[0]) == "publicizing"


def test_feedback_is_only_taken_during_publicity(world):
    issue_id = issue_in_stage(world.db, world.actors["secretary_a"], world.a, "acting")
    with pytest.raises(DomainError, match="不在公示期内"):
        give_feedback(world.db, issue_id, "satisfied", session_key="s1")


def number_of(db, issue_id: int) -> int:
    return one(db, "SELECT number FROM issues WHERE id = ?", [issue_id])["number"]


def test_a_merged_duplicate_adds_its_households_to_the_issue_it_joins(world):
    db, secretary = world.db, world.actors["secretary_a"]
    make_issue(db, world.actors["secretary_b"], world.compounds["B"])      # ids and A's numbers now differ
    kept = make_issue(db, secretary, world.a, title="车位不足")
    add_household(db, kept, session_key="h1", actor=RESIDENT, unit="3栋")
    # Raised by another seat (the same seat raising both would count once: one voice per reporter).
    duplicate = make_issue(db, secretary, world.a, title="晚上没地方停车",
                           raised_by_seat_id=seat_id(db, world.a, "property"))
    merge_issues(db, secretary, duplicate, kept)
    assert public_issue(db, kept).households == 3
    gone = one(db, "SELECT stage, closed_reason, merged_into_id, public_reply FROM issues WHERE id = ?", [duplicate])
    assert gone == {"stage": "closed", "closed_reason": "duplicate", "merged_into_id": kept,
                    "public_reply": f"已并入议题 #{number_of(db, kept)}"}
    assert public_issue(db, duplicate).households == 0
    # The kept issue's public story names the duplicate by the number residents know it by.
    assert f"并入重复议题 #{number_of(db, duplicate)}" in [e["note"] for e in public_timeline(db, kept)]


def test_a_merged_duplicate_cannot_be_reopened(world):
    db, secretary = world.db, world.actors["secretary_a"]
    make_issue(db, world.actors["secretary_b"], world.compounds["B"])      # ids and A's numbers now differ
    kept, duplicate = make_issue(db, secretary, world.a), make_issue(db, secretary, world.a, title="停车难")
    merge_issues(db, secretary, duplicate, kept)
    before = dump(db)
    with pytest.raises(DomainError, match=f"已并入议题 #{number_of(db, kept)},"):
        transition_issue(db, secretary, duplicate, "deliberating", expected_version=version_of(db, duplicate),
                         note="重新打开")
    assert dump(db) == before


def test_a_household_cannot_join_a_resolved_issue(world):
    issue_id = issue_in_stage(world.db, world.actors["secretary_a"], world.a, "resolved")
    with pytest.raises(DomainError, match="已办结或关闭"):
        add_household(world.db, issue_id, session_key="h1", actor=RESIDENT)
