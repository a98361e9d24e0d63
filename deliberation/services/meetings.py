"""Meetings (第N次协商议事会): schedule, attendance, quorum, finish, minutes."""
from __future__ import annotations

from datetime import datetime

from ..model.errors import DomainError, NotFound, StaleRecord
from ..model.quorum import Quorum, meeting_quorum
from ..model.roles import Action
from ..store import one, rows, write
from .compounds import get_compound
from .actors import Actor
from .clock import now
from .event_log import append_event
from .permissions import authorize

STATUS_FLOW = {"planned": "in_progress", "in_progress": "held", "held": "minutes_approved",
               "minutes_approved": "published"}


def load_meeting(db, meeting_id: int) -> dict:
    meeting = one(db, "SELECT * FROM meetings WHERE id = ?", [meeting_id])
    if meeting is None:
        raise NotFound("找不到该会议")
    return meeting


def list_meetings(db, actor: Actor, compound_id: int) -> list[dict]:
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return rows(db, """
        SELECT m.*, (SELECT count(*) FROM agenda_items a WHERE a.meeting_id = m.id) AS items
        FROM meetings m WHERE m.compound_id = ? ORDER BY m.number DESC""", [compound_id])


def next_meeting_time(db, compound_id: int, after: datetime | None = None) -> datetime:
    return get_compound(db, compound_id).schedule.next_after(after or now())


def schedule_meeting(db, actor: Actor, compound_id: int, *, scheduled_at: datetime | None = None,
                     place: str | None = None, demo: bool = False) -> int:
    """The next 第N次 meeting; time and place default to the standing "3 fixed" rule."""
    authorize(db, actor, Action.RUN_MEETING, compound_id)
    compound = get_compound(db, compound_id)
    when = scheduled_at or compound.schedule.next_after(now())
    place = (place if place is not None else compound.place).strip()
    if not place:
        raise DomainError("请填写会议地点")
    with write(db):
        if one(db, "SELECT id FROM meetings WHERE compound_id = ? AND status = 'planned'", [compound_id]) and not demo:
            raise DomainError("已有一次计划中的会议,请先召开或调整它")
        number = (one(db, "SELECT max(number) AS n FROM meetings WHERE compound_id = ?", [compound_id])["n"] or 0) + 1
        meeting_id = db["meetings"].insert({
            "compound_id": compound_id, "number": number, "scheduled_at": when.isoformat(sep=" ", timespec="minutes"),
            "place": place, "status": "planned", "demo": int(demo),
        }).last_pk
        append_event(db, actor=actor, kind="meeting_scheduled", compound_id=compound_id, meeting_id=meeting_id,
                     note=f"第{number}次会议 {when:%Y-%m-%d %H:%M} {place}", public=True)
    return meeting_id


def reschedule_meeting(db, actor: Actor, meeting_id: int, expected_version: int, *,
                       scheduled_at: datetime, place: str) -> None:
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    if meeting["status"] != "planned":
        raise DomainError("只有计划中的会议可以调整时间地点")
    if not place.strip():
        raise DomainError("请填写会议地点")
    with write(db):
        _bump(db, meeting_id, expected_version)
        db["meetings"].update(meeting_id, {"scheduled_at": scheduled_at.isoformat(sep=" ", timespec="minutes"),
                                           "place": place.strip()})
        append_event(db, actor=actor, kind="meeting_rescheduled", compound_id=meeting["compound_id"],
                     meeting_id=meeting_id, note=f"{scheduled_at:%Y-%m-%d %H:%M} {place}")


def _bump(db, meeting_id: int, expected_version: int | None) -> None:
    if expected_version is None:
        db.execute("UPDATE meetings SET version = version + 1 WHERE id = ?", [meeting_id])
        return
    cur = db.execute("UPDATE meetings SET version = version + 1 WHERE id = ? AND version = ?",
                     [meeting_id, expected_version])
    if cur.rowcount != 1:
        raise StaleRecord()


def _advance(db, actor: Actor, meeting: dict, status: str, changes: dict, expected_version: int | None,
             note: str) -> None:
    if STATUS_FLOW.get(meeting["status"]) != status:
        raise DomainError("会议当前状态不能执行此操作")
    _bump(db, meeting["id"], expected_version)
    db["meetings"].update(meeting["id"], {"status": status, **changes})
    append_event(db, actor=actor, kind=f"meeting_{status}", compound_id=meeting["compound_id"],
                 meeting_id=meeting["id"], note=note, public=status == "published")


def start_meeting(db, actor: Actor, meeting_id: int, *, expected_version: int | None = None,
                  chair_member_id: int | None = None, recorder_name: str = "", at: datetime | None = None) -> None:
    """Opens the meeting; every member of the standing roster gets an attendance line (缺席 until marked)."""
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    day = (at or now()).date().isoformat()
    with write(db):
        _advance(db, actor, meeting, "in_progress", {
            "started_at": (at or now()).isoformat(sep=" "), "chair_member_id": chair_member_id,
            "recorder_name": recorder_name.strip() or actor.label}, expected_version, "会议开始")
        db.execute("""
            INSERT OR IGNORE INTO attendance (meeting_id, member_id, seat_id, seat_name, status)
            SELECT ?, m.id, s.id, s.name, 'absent' FROM members m JOIN seats s ON s.id = m.seat_id
            WHERE m.compound_id = ? AND m.active_from <= ? AND (m.active_to IS NULL OR m.active_to >= ?)
              AND s.retired_at IS NULL""", [meeting_id, meeting["compound_id"], day, day])


def set_attendance(db, actor: Actor, meeting_id: int, member_id: int, status: str, proxy_name: str = "") -> None:
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    if meeting["status"] not in ("in_progress", "held"):
        raise DomainError("会议开始后才能记录出席")
    if status not in ("present", "absent", "excused", "proxy"):
        raise DomainError("出席状态不正确")
    if status == "proxy" and not proxy_name.strip():
        raise DomainError("委托出席需要填写受托人")
    with write(db):
        cur = db.execute("UPDATE attendance SET status = ?, proxy_name = ? WHERE meeting_id = ? AND member_id = ?",
                         [status, proxy_name.strip(), meeting_id, member_id])
        if cur.rowcount != 1:
            raise NotFound("该成员不在本次会议名单中")


def attendance(db, actor: Actor, meeting_id: int) -> list[dict]:
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.READ_COMPOUND, meeting["compound_id"])
    return rows(db, """
        SELECT a.*, m.name AS member_name, m.title, s.code AS seat_code, s.position
        FROM attendance a JOIN members m ON m.id = a.member_id JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id = ? ORDER BY s.position, m.id""", [meeting_id])


def quorum(db, meeting_id: int) -> Quorum:
    """Seats present (someone present or by proxy) against the compound's rule."""
    meeting = load_meeting(db, meeting_id)
    present = {r["code"] for r in rows(db, """
        SELECT DISTINCT s.code FROM attendance a JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id = ? AND a.status IN ('present', 'proxy')""", [meeting_id])}
    required = {r["code"]: r["name"] for r in rows(
        db, "SELECT code, name FROM seats WHERE compound_id = ? AND quorum_required = 1 AND retired_at IS NULL",
        [meeting["compound_id"]])}
    rule = one(db, "SELECT quorum_min_seats FROM compounds WHERE id = ?", [meeting["compound_id"]])
    return meeting_quorum(present, required, rule["quorum_min_seats"])


def finish_meeting(db, actor: Actor, meeting_id: int, *, expected_version: int | None = None,
                   at: datetime | None = None) -> None:
    """Items left undecided are carried over (暂缓) to the next meeting's proposed agenda."""
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    with write(db):
        undecided = rows(db, "SELECT issue_id FROM agenda_items WHERE meeting_id = ? AND outcome IS NULL", [meeting_id])
        db.execute("UPDATE agenda_items SET outcome = 'deferred', decided_at = ? WHERE meeting_id = ? AND outcome IS NULL",
                   [(at or now()).isoformat(sep=" "), meeting_id])
        for item in undecided:
            append_event(db, actor=actor, kind="deferred", compound_id=meeting["compound_id"], issue_id=item["issue_id"],
                         meeting_id=meeting_id, note="会上未及审议,顺延至下次会议", public=True)
        _advance(db, actor, meeting, "held", {"ended_at": (at or now()).isoformat(sep=" ")}, expected_version,
                 "会议结束")


def approve_minutes(db, actor: Actor, meeting_id: int, *, expected_version: int | None = None) -> None:
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.PUBLISH, meeting["compound_id"])
    with write(db):
        _advance(db, actor, meeting, "minutes_approved", {"minutes_approved_at": now().isoformat(sep=" ")},
                 expected_version, "纪要审定")


def publish_minutes(db, actor: Actor, meeting_id: int, public_summary: str, *,
                    expected_version: int | None = None) -> None:
    """The public version of the minutes goes on the residents' board."""
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.PUBLISH, meeting["compound_id"])
    if not public_summary.strip():
        raise DomainError("请填写向居民公开的会议摘要")
    with write(db):
        _advance(db, actor, meeting, "published", {"published_at": now().isoformat(sep=" "),
                                                   "public_summary": public_summary.strip()},
                 expected_version, "会议纪要已向居民公开")
