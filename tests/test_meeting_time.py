"""Issue 13, item 2: time is one truth. A meeting set for 12-08 and opened on 12-02 is recorded as
held on 12-02 from its actual start to its actual end; the minutes, the residents' card, the
suggested summary and the next meeting's proposal all follow it."""
from __future__ import annotations

from datetime import datetime, timedelta

from deliberation.exports import minutes_markdown
from deliberation.services import meetings as meeting_svc
from deliberation.services.agenda import add_to_agenda
from deliberation.services.attendance import record_attendance
from deliberation.services.clock import clock_at
from deliberation.services.compounds import get_compound
from deliberation.services.documents import minutes_view
from deliberation.services.minutes import suggested_public_summary
from deliberation.store import one, rows
from tests.factories import make_issue

SET_FOR = datetime(2026, 12, 8, 19, 0)


def test_starting_on_another_day_or_hours_off_needs_a_confirmation_and_on_time_does_not():
    meeting = {"scheduled_at": "2026-12-08 19:00"}
    assert not meeting_svc.starts_off_schedule(meeting, datetime(2026, 12, 8, 18, 40))
    assert not meeting_svc.starts_off_schedule(meeting, datetime(2026, 12, 8, 20, 55))
    assert meeting_svc.starts_off_schedule(meeting, datetime(2026, 12, 8, 21, 5))       # 2 h 5 min late
    assert meeting_svc.starts_off_schedule(meeting, datetime(2026, 12, 2, 19, 0))       # same hour, other day
    assert meeting_svc.starts_off_schedule(meeting, datetime(2026, 12, 9, 0, 30))       # past midnight


def _held_early(world, *, start=datetime(2026, 12, 2, 18, 5), end=datetime(2026, 12, 2, 20, 45)) -> int:
    """Compound A's meeting set for 12-08 19:00, held (opened, roll taken, closed) at start..end."""
    db, secretary = world.db, world.actors["secretary_a"]
    with clock_at(start - timedelta(days=3)):
        meeting_id = meeting_svc.schedule_meeting(db, secretary, world.a, scheduled_at=SET_FOR)
        add_to_agenda(db, secretary, meeting_id, make_issue(db, secretary, world.a))
    with clock_at(start):
        meeting_svc.start_meeting(db, secretary, meeting_id)
        record_attendance(db, secretary, meeting_id, {
            line["member_id"]: ("present", "") for line in meeting_svc.attendance(db, secretary, meeting_id)})
    with clock_at(end):
        meeting_svc.finish_meeting(db, secretary, meeting_id)
    return meeting_id


def test_a_meeting_opened_early_is_recorded_at_its_actual_start_and_end_and_says_what_was_planned(world):
    meeting_id = _held_early(world)
    meeting = one(world.db, "SELECT * FROM meetings WHERE id = ?", [meeting_id])
    assert (meeting["scheduled_at"], meeting["started_at"], meeting["ended_at"]) == (
        "2026-12-08 19:00", "2026-12-02 18:05:00", "2026-12-02 20:45:00")
    note = one(world.db, "SELECT note FROM events WHERE meeting_id = ? AND kind = 'meeting_in_progress'",
               [meeting_id])["note"]
    assert note == "会议开始(原定 2026-12-08 19:00,实际 2026-12-02 18:05)"
    view = minutes_view(world.db, world.actors["secretary_a"], meeting_id)
    assert "- **时间**：2026年12月2日 18:05—20:45" in minutes_markdown(view)
    assert "12月8日" not in minutes_markdown(view)
    summary = suggested_public_summary(view)
    assert "于2026-12-02在" in summary and "12-08" not in summary


def test_an_on_time_start_notes_nothing_extra(world):
    db, secretary = world.db, world.actors["secretary_a"]
    with clock_at(datetime(2026, 12, 1, 9, 0)):
        meeting_id = meeting_svc.schedule_meeting(db, secretary, world.a, scheduled_at=SET_FOR)
    with clock_at(datetime(2026, 12, 8, 19, 10)):
        meeting_svc.start_meeting(db, secretary, meeting_id)
    assert one(db, "SELECT note FROM events WHERE meeting_id = ? AND kind = 'meeting_in_progress'",
               [meeting_id])["note"] == "会议开始"


def test_the_residents_card_of_a_published_meeting_carries_the_day_it_was_held(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id = _held_early(world)
    with clock_at(datetime(2026, 12, 3, 10, 0)):
        meeting_svc.approve_minutes(db, secretary, meeting_id)
        meeting_svc.publish_minutes(db, secretary, meeting_id, "第1次会议已召开")
    card = rows(db, "SELECT * FROM public_meetings WHERE id = ?", [meeting_id])[0]
    assert card["held_at"][:16] == "2026-12-02 18:05" and card["scheduled_at"] == "2026-12-08 19:00"


def test_after_a_meeting_held_early_the_next_one_is_proposed_after_the_slot_it_used(world):
    """Held on 12-02 for the 12-08 slot: not 12-08 again, the rule's next date after it."""
    db, secretary = world.db, world.actors["secretary_a"]
    rule = get_compound(db, world.a).schedule
    _held_early(world)
    with clock_at(datetime(2026, 12, 2, 21, 0)):
        proposed = meeting_svc.next_meeting_time(db, secretary, world.a)
        assert proposed.date() > SET_FOR.date()
        assert proposed == rule.next_after(datetime(2026, 12, 8, 23, 59))
        assert one(db, "SELECT scheduled_at FROM meetings WHERE id = ?", [
            meeting_svc.schedule_meeting(db, secretary, world.a)])["scheduled_at"] == f"{proposed:%Y-%m-%d %H:%M}"


def test_after_a_meeting_held_late_the_next_one_is_never_on_the_same_day(world):
    """Set for 12-08, held on 12-10 (the rule's date for the compound may fall on any day): the
    proposal is after 12-10 and not on it."""
    db, secretary = world.db, world.actors["secretary_a"]
    _held_early(world, start=datetime(2026, 12, 10, 19, 0), end=datetime(2026, 12, 10, 21, 0))
    with clock_at(datetime(2026, 12, 10, 8, 0)):          # a clock behind the meeting (a replay)
        proposed = meeting_svc.next_meeting_time(db, secretary, world.a)
    assert proposed.date() > datetime(2026, 12, 10).date()


def test_without_any_meeting_held_the_proposal_is_the_rules_next_date(world):
    rule = get_compound(world.db, world.a).schedule
    with clock_at(datetime(2026, 12, 2, 9, 0)):
        assert meeting_svc.next_meeting_time(world.db, world.actors["secretary_a"], world.a) == \
            rule.next_after(datetime(2026, 12, 2, 9, 0))
