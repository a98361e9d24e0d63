"""Taking the roll at a meeting in one go: the whole attendance form is one transaction."""
from __future__ import annotations

from ..model.defaults import ATTENDANCE
from ..model.errors import DomainError
from ..model.quorum import Quorum, meeting_quorum
from ..model.roles import Action
from ..store import attendance as attendance_store
from ..store import meetings as meeting_store
from .actors import Actor
from .use_case import changing


def record_attendance(db, actor: Actor, meeting_id: int, marks: dict[int, tuple[str, str]]) -> Quorum:
    """`marks`: member_id -> (status, proxy name). Returns the quorum after the change."""
    compound_id = meeting_store.require_meeting(db, meeting_id)["compound_id"]
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        # Read inside the transaction: a meeting approved meanwhile keeps the roll it was approved with.
        meeting = meeting_store.require_meeting(db, meeting_id)
        if meeting["status"] not in ("in_progress", "held"):
            raise DomainError("会议开始后才能记录出席")
        listed = attendance_store.roll_seat_names(db, meeting_id)
        for member_id, (status, proxy_name) in marks.items():
            if member_id not in listed:
                raise DomainError("该成员不在本次会议名单中")
            if status not in ATTENDANCE:
                raise DomainError("出席状态不正确")
            if status == "proxy" and not proxy_name.strip():
                raise DomainError(f"{listed[member_id]}委托出席,需要填写受托人")
        for member_id, (status, proxy_name) in marks.items():
            attendance_store.mark_attendance(db, meeting_id, member_id, status,
                                             proxy_name.strip() if status == "proxy" else "")
        present = sum(1 for status, _ in marks.values() if status in ("present", "proxy"))
        change.record("attendance_recorded", meeting_id=meeting_id,
                      note=f"第{meeting['number']}次会议出席:{present}/{len(marks)} 人")
    return meeting_quorum(*attendance_store.quorum_facts(db, meeting_id))
