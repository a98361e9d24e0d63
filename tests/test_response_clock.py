"""The response clock: a resident's concern is accepted, merged or answered within its compound's
limit (default 24 h). responded_at keeps the first answer and is never moved; the 工作台 lists
concerns near and past the limit; the track page reads the clock of one concern."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.clock import clock_at
from deliberation.services.compounds import get_compound, update_compound_rules
from deliberation.services.concerns import raise_concern
from deliberation.services.issues import accept_concern, merge_issues, reject_concern, transition_issue
from deliberation.services.public import public_issue
from deliberation.services.response_clock import concerns_on_the_clock, response_status
from deliberation.services.workbench import workbench
from deliberation.store import one
from tests.factories import category_id, is_chinese, make_issue, version_of

START = datetime(2026, 5, 4, 9, 0)


def concern(world, when: datetime, compound: str = "A") -> int:
    with clock_at(when):
        return raise_concern(world.db, world.compounds[compound], category_id=category_id(world.db, world.compounds[compound]),
                             description="楼道灯坏了一个多星期", session_key=f"k-{compound}-{when:%d%H%M}")


def responded_at(world, issue_id: int) -> str | None:
    return one(world.db, "SELECT responded_at FROM issues WHERE id = ?", [issue_id])["responded_at"]


def number_of(world, issue_id: int) -> int:
    return one(world.db, "SELECT number FROM issues WHERE id = ?", [issue_id])["number"]


# ------------------------------------------------------------------ responded_at: set once

def test_a_new_concern_has_no_answer_yet_and_a_staff_issue_is_answered_as_it_is_raised(world):
    assert responded_at(world, concern(world, START)) is None
    with clock_at(START):
        staff = make_issue(world.db, world.actors["secretary_a"], world.a)
    assert responded_at(world, staff) == "2026-05-04 09:00:00"


def test_accepting_stamps_the_answer_and_later_steps_never_move_it(world):
    issue_id = concern(world, START)
    with clock_at(START + timedelta(hours=3)):
        accept_concern(world.db, world.actors["secretary_a"], issue_id, version_of(world.db, issue_id))
    assert responded_at(world, issue_id) == "2026-05-04 12:00:00"
    with clock_at(START + timedelta(days=2)):
        transition_issue(world.db, world.actors["secretary_a"], issue_id, "closed",
                         expected_version=version_of(world.db, issue_id), reason="withdrawn", note="居民撤回")
        transition_issue(world.db, world.actors["secretary_a"], issue_id, "deliberating",
                         expected_version=version_of(world.db, issue_id), note="重新议事")
    assert responded_at(world, issue_id) == "2026-05-04 12:00:00"


def test_rejecting_with_a_reason_is_an_answer(world):
    issue_id = concern(world, START)
    with clock_at(START + timedelta(hours=30)):
        reject_concern(world.db, world.actors["secretary_a"], issue_id, version_of(world.db, issue_id), "不属小区职责")
    assert responded_at(world, issue_id) == "2026-05-05 15:00:00"


def test_closing_an_unaccepted_concern_on_the_issue_page_is_an_answer(world):
    issue_id = concern(world, START)
    with clock_at(START + timedelta(hours=5)):
        transition_issue(world.db, world.actors["recorder_a"], issue_id, "closed",
                         expected_version=version_of(world.db, issue_id), reason="withdrawn", note="居民电话撤回")
    assert responded_at(world, issue_id) == "2026-05-04 14:00:00"


def test_merging_answers_the_duplicate_keeps_the_target_s_answer_and_names_issue_numbers(world):
    with clock_at(START - timedelta(days=1)):
        make_issue(world.db, world.actors["secretary_b"], world.compounds["B"])     # ids and numbers differ
    target, duplicate = concern(world, START), concern(world, START + timedelta(hours=1))
    with clock_at(START + timedelta(hours=2)):
        accept_concern(world.db, world.actors["secretary_a"], target, version_of(world.db, target))
    with clock_at(START + timedelta(hours=4)):
        merge_issues(world.db, world.actors["secretary_a"], duplicate, target)
    assert responded_at(world, duplicate) == "2026-05-04 13:00:00"
    assert responded_at(world, target) == "2026-05-04 11:00:00"
    assert number_of(world, target) != target
    reply = public_issue(world.db, duplicate).reply
    assert reply == f"已并入议题 #{number_of(world, target)}"


# ------------------------------------------------------------------ near and past, for the 工作台

def test_the_workbench_lists_concerns_near_and_past_the_limit_most_urgent_first(world):
    fresh = concern(world, START + timedelta(hours=20))       # 10 h old at the look: early, not listed
    near = concern(world, START + timedelta(hours=12))        # 18 h old: three quarters gone
    past = concern(world, START)                              # 30 h old: 6 h over
    answered = concern(world, START + timedelta(hours=1))
    with clock_at(START + timedelta(hours=2)):
        accept_concern(world.db, world.actors["secretary_a"], answered, version_of(world.db, answered))
    concern(world, START, compound="B")                       # another compound's
    with clock_at(START + timedelta(hours=30)):
        found = concerns_on_the_clock(world.db, world.actors["secretary_a"], world.a)
        shown = workbench(world.db, world.actors["secretary_a"], world.a).response_clock
    assert [(c.id, c.past, c.hours_left) for c in found] == [(past, True, -6.0), (near, False, 6.0)]
    assert found[0].hours_over == 6.0 and found[0].due_at == START + timedelta(hours=24)
    assert fresh not in [c.id for c in found]
    assert [c.id for c in shown] == [past, near]


def test_the_compound_s_own_limit_sets_the_clock(world):
    update_compound_rules(world.db, world.actors["secretary_a"], world.a, get_compound(world.db, world.a).version,
                          response_limit_hours=4)
    issue_id = concern(world, START)
    with clock_at(START + timedelta(hours=3)):
        assert [c.id for c in concerns_on_the_clock(world.db, world.actors["secretary_a"], world.a)] == [issue_id]
    with clock_at(START + timedelta(hours=2)):
        assert concerns_on_the_clock(world.db, world.actors["secretary_a"], world.a) == []


def test_an_officer_of_another_area_cannot_read_the_clock(world):
    with pytest.raises(PermissionDenied):
        concerns_on_the_clock(world.db, world.actors["officer_other"], world.a)


# ------------------------------------------------------------------ the track page's status

def test_the_status_of_a_waiting_concern_turns_overdue_after_the_limit(world):
    issue_id = concern(world, START)
    with clock_at(START + timedelta(hours=23)):
        assert response_status(world.db, issue_id) == {"limit_hours": 24, "due_at": "2026-05-05 09:00:00",
                                                       "responded_at": None, "overdue": False}
    with clock_at(START + timedelta(hours=25)):
        assert response_status(world.db, issue_id)["overdue"] is True


def test_an_answer_exactly_at_the_limit_is_in_time_and_one_after_it_late(world):
    on_time, late = concern(world, START), concern(world, START + timedelta(minutes=1))
    with clock_at(START + timedelta(hours=24)):
        accept_concern(world.db, world.actors["secretary_a"], on_time, version_of(world.db, on_time))
    with clock_at(START + timedelta(hours=24, minutes=2)):
        accept_concern(world.db, world.actors["secretary_a"], late, version_of(world.db, late))
    with clock_at(START + timedelta(days=3)):
        assert response_status(world.db, on_time) == {"limit_hours": 24, "due_at": "2026-05-05 09:00:00",
                                                      "responded_at": "2026-05-05 09:00:00", "overdue": False}
        assert response_status(world.db, late)["overdue"] is True


def test_the_status_holds_times_only_and_an_unknown_issue_has_none(world):
    with clock_at(START):
        staff = make_issue(world.db, world.actors["secretary_a"], world.a, contact="13912345678")
    status = response_status(world.db, staff)
    assert status == {"limit_hours": 24, "due_at": None, "responded_at": "2026-05-04 09:00:00", "overdue": False}
    assert response_status(world.db, 999_999) is None


# ------------------------------------------------------------------ the limit itself

@pytest.mark.parametrize("hours", [0, -1, 721, 10_000])
def test_a_response_limit_outside_1_to_720_hours_is_refused_in_chinese(world, hours):
    with pytest.raises(DomainError) as refused:
        update_compound_rules(world.db, world.actors["secretary_a"], world.a, get_compound(world.db, world.a).version,
                              response_limit_hours=hours)
    assert is_chinese(refused.value.message) and "720" in refused.value.message
    assert get_compound(world.db, world.a).response_limit_hours == 24


@pytest.mark.parametrize("hours", [1, 48, 720])
def test_a_response_limit_from_1_to_720_hours_is_kept(world, hours):
    update_compound_rules(world.db, world.actors["secretary_a"], world.a, get_compound(world.db, world.a).version,
                          response_limit_hours=hours)
    assert get_compound(world.db, world.a).response_limit_hours == hours


def test_only_who_manages_the_compound_sets_its_limit(world):
    with pytest.raises(PermissionDenied):
        update_compound_rules(world.db, world.actors["recorder_a"], world.a, get_compound(world.db, world.a).version,
                              response_limit_hours=48)
