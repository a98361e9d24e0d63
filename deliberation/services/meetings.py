"""Meetings (第N次协商议事会): schedule, attendance, quorum, finish, minutes."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from ..model.errors import DomainError, StaleRecord
from ..model.quorum import Quorum, meeting_quorum
from ..model.roles import Action
from ..store import agenda as agenda_store
from ..store import attendance as attendance_store
from ..store import meetings as meeting_store
from .actors import Actor
from .clock import now
from .compounds import get_compound
from .permissions import authorize
from .use_case import Change, changing

STATUS_FLOW = {"planned": "in_progress", "in_progress": "held", "held": "minutes_approved",
               "minutes_approved": "published"}
# Starting this far from the scheduled time (or on another day) is confirmed once in the console.
OFF_SCHEDULE = timedelta(hours=2)


def starts_off_schedule(meeting: dict, at: datetime | None = None) -> bool:
    """Opening the planned `meeting` at `at` (now) is on another day than scheduled or more than
    two hours off: the console asks once, then the actual moment is what every record uses."""
    scheduled, moment = datetime.fromisoformat(meeting["scheduled_at"]), at or now()
    return scheduled.date() != moment.date() or abs(moment - scheduled) > OFF_SCHEDULE


def held_at(meeting: dict) -> str:
    """When the meeting took place, to the minute: its actual start once begun, else the plan."""
    return (meeting["started_at"] or meeting["scheduled_at"])[:16]


def _slot_floor(db, compound_id: int, after: datetime) -> datetime:
    """The next meeting comes after `after` and after the last begun meeting's day and planned day:
    one held early (12-02, set for 12-08) has used the 12-08 slot, and never two on one day."""
    begun = next((m for m in meeting_store.meetings_of_compound(db, compound_id) if m["status"] != "planned"), None)
    if begun is None:
        return after
    days = [datetime.fromisoformat(begun["scheduled_at"]).date()]
    if begun["started_at"]:
        days.append(datetime.fromisoformat(begun["started_at"]).date())
    return max(after, datetime.combine(max(days), time(23, 59)))
def list_meetings(db, actor: Actor, compound_id: int) -> list[dict]:
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return meeting_store.meetings_of_compound(db, compound_id)


def meeting_id_by_number(db, actor: Actor, compound_id: int, number: int) -> int | None:
    """The id of the compound's 第N次 meeting, or None."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return meeting_store.meeting_id_by_number(db, compound_id, number)


def next_meeting_time(db, actor: Actor, compound_id: int, after: datetime | None = None) -> datetime:
    """When the standing "3 fixed" rule puts the next meeting, counted from the last meeting held."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return get_compound(db, compound_id).schedule.next_after(_slot_floor(db, compound_id, after or now()))


def schedule_meeting(db, actor: Actor, compound_id: int, *, scheduled_at: datetime | None = None,
                     place: str | None = None, demo: bool = False) -> int:
    """The next 第N次 meeting; time and place default to the standing "3 fixed" rule."""
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        compound = get_compound(db, compound_id)
        when = scheduled_at or compound.schedule.next_after(_slot_floor(db, compound_id, now()))
        place = (place if place is not None else compound.place).strip()
        if not place:
            raise DomainError("请填写会议地点")
        if meeting_store.has_planned_meeting(db, compound_id) and not demo:
            raise DomainError("已有一次计划中的会议,请先召开或调整它")
        number = meeting_store.next_meeting_number(db, compound_id)
        meeting_id = meeting_store.insert_meeting(db, {
            "compound_id": compound_id, "number": number, "scheduled_at": when.isoformat(sep=" ", timespec="minutes"),
            "place": place, "status": "planned", "demo": int(demo),
        })
        change.record("meeting_scheduled", meeting_id=meeting_id, note=f"第{number}次会议 {when:%Y-%m-%d %H:%M}",
                      public=True)
    return meeting_id


def reschedule_meeting(db, actor: Actor, meeting_id: int, expected_version: int, *,
                       scheduled_at: datetime, place: str) -> None:
    compound_id = meeting_store.require_meeting(db, meeting_id)["compound_id"]
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        if meeting_store.require_meeting(db, meeting_id)["status"] != "planned":
            raise DomainError("只有计划中的会议可以调整时间地点")
        if not place.strip():
            raise DomainError("请填写会议地点")
        _claim(db, meeting_id, expected_version)
        meeting_store.update_meeting(db, meeting_id, {
            "scheduled_at": scheduled_at.isoformat(sep=" ", timespec="minutes"), "place": place.strip()})
        change.record("meeting_rescheduled", meeting_id=meeting_id, note=f"{scheduled_at:%Y-%m-%d %H:%M}",
                      data={"fields": ["scheduled_at", "place"]})      # the place is read from the meeting


def _claim(db, meeting_id: int, expected_version: int | None) -> None:
    if not meeting_store.claim_meeting_version(db, meeting_id, expected_version):
        raise StaleRecord()


def _advance(change: Change, meeting_id: int, status: str, changes: dict, expected_version: int | None,
             note: str) -> None:
    """Move the meeting one step along STATUS_FLOW, checked on the row read inside the change."""
    if STATUS_FLOW.get(meeting_store.require_meeting(change.db, meeting_id)["status"]) != status:
        raise DomainError("会议当前状态不能执行此操作")
    _claim(change.db, meeting_id, expected_version)
    meeting_store.update_meeting(change.db, meeting_id, {"status": status, **changes})
    change.record(f"meeting_{status}", meeting_id=meeting_id, note=note, public=status == "published")


def start_meeting(db, actor: Actor, meeting_id: int, *, expected_version: int | None = None,
                  chair_member_id: int | None = None, recorder_name: str = "", at: datetime | None = None) -> None:
    """Opens the meeting; every member of the standing roster gets an attendance line (缺席 until marked),
    but the chair, who is there to open it: 出席. The actual moment is recorded as started_at (the
    console has asked first when it is off schedule, see starts_off_schedule); the event says both."""
    meeting = meeting_store.require_meeting(db, meeting_id)
    compound_id, moment = meeting["compound_id"], at or now()
    day = moment.date().isoformat()
    note = "会议开始"
    if starts_off_schedule(meeting, moment):
        note = f"会议开始(原定 {meeting['scheduled_at'][:16]},实际 {moment:%Y-%m-%d %H:%M})"
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        _advance(change, meeting_id, "in_progress", {
            "started_at": moment.isoformat(sep=" "), "chair_member_id": chair_member_id,
            "recorder_name": recorder_name.strip() or actor.label}, expected_version, note)
        attendance_store.insert_roll(db, meeting_id, compound_id, day)
        if chair_member_id is not None:      # whoever opens the meeting as its chair is in the room
            attendance_store.mark_attendance(db, meeting_id, chair_member_id, "present", "")


def attendance(db, actor: Actor, meeting_id: int) -> list[dict]:
    """Who came, by name (and proxies): internal. Seat representatives read the public minutes."""
    meeting = meeting_store.require_meeting(db, meeting_id)
    authorize(db, actor, Action.READ_INTERNAL, meeting["compound_id"])
    return attendance_store.attendance_lines(db, meeting_id)


def quorum(db, actor: Actor, meeting_id: int) -> Quorum:
    """Seats present (someone present or by proxy) against the compound's rule."""
    authorize(db, actor, Action.READ_COMPOUND, meeting_store.require_meeting(db, meeting_id)["compound_id"])
    return meeting_quorum(*attendance_store.quorum_facts(db, meeting_id))


def finish_meeting(db, actor: Actor, meeting_id: int, *, expected_version: int | None = None,
                   at: datetime | None = None) -> None:
    """Items left undecided are carried over (暂缓) to the next meeting's proposed agenda."""
    compound_id = meeting_store.require_meeting(db, meeting_id)["compound_id"]
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        undecided = agenda_store.undecided_issue_ids(db, meeting_id)
        agenda_store.defer_undecided_items(db, meeting_id, (at or now()).isoformat(sep=" "))
        for issue_id in undecided:
            change.record("deferred", issue_id=issue_id, meeting_id=meeting_id, note="会上未及审议,顺延至下次会议",
                          public=True)
        _advance(change, meeting_id, "held", {"ended_at": (at or now()).isoformat(sep=" ")}, expected_version,
                 "会议结束")


def approve_minutes(db, actor: Actor, meeting_id: int, *, expected_version: int | None = None) -> None:
    compound_id = meeting_store.require_meeting(db, meeting_id)["compound_id"]
    with changing(db, actor, Action.PUBLISH, compound_id) as change:
        _advance(change, meeting_id, "minutes_approved", {"minutes_approved_at": now().isoformat(sep=" ")},
                 expected_version, "纪要审定")


def publish_minutes(db, actor: Actor, meeting_id: int, public_summary: str, *,
                    expected_version: int | None = None) -> None:
    """The public version of the minutes goes on the residents' board."""
    compound_id = meeting_store.require_meeting(db, meeting_id)["compound_id"]
    with changing(db, actor, Action.PUBLISH, compound_id) as change:
        if not public_summary.strip():
            raise DomainError("请填写向居民公开的会议摘要")
        _advance(change, meeting_id, "published", {"published_at": now().isoformat(sep=" "),
                                                   "public_summary": public_summary.strip()},
                 expected_version, "会议纪要已向居民公开")
