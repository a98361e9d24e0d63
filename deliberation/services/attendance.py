"""Taking the roll at a meeting in one go: the whole attendance form is one transaction."""
from __future__ import annotations

from ..model.defaults import ATTENDANCE
from ..model.errors import DomainError
from ..model.quorum import Quorum
from ..model.roles import Action
from ..store import rows, write
from .actors import Actor
from .event_log import append_event
from .permissions import authorize
from .meetings import load_meeting, quorum


def record_attendance(db, actor: Actor, meeting_id: int, marks: dict[int, tuple[str, str]]) -> Quorum:
    """`marks`: member_id -> (status, proxy name). Returns the quorum after the change."""
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    if meeting["status"] not in ("in_progress", "held"):
        raise DomainError("会议开始后才能记录出席")
    listed = {r["member_id"]: r["seat_name"] for r in rows(
        db, "SELECT member_id, seat_name FROM attendance WHERE meeting_id = ?", [meeting_id])}
    for member_id, (status, proxy_name) in marks.items():
        if member_id not in listed:
            raise DomainError("该成员不在本次会议名单中")
        if status not in ATTENDANCE:
            raise DomainError("出席状态不正确")
        if status == "proxy" and not proxy_name.strip():
            raise DomainError(f"{listed[member_id]}委托出席,需要填写受托人")
    with write(db):
        for member_id, (status, proxy_name) in marks.items():
            db.execute("UPDATE attendance SET status = ?, proxy_name = ? WHERE meeting_id = ? AND member_id = ?",
                       [status, proxy_name.strip() if status == "proxy" else "", meeting_id, member_id])
        present = sum(1 for status, _ in marks.values() if status in ("present", "proxy"))
        append_event(db, actor=actor, kind="attendance_recorded", compound_id=meeting["compound_id"],
                     meeting_id=meeting_id, note=f"第{meeting['number']}次会议出席:{present}/{len(marks)} 人")
    return quorum(db, meeting_id)
