"""One meeting as the console follows it: the meeting, its agenda with decisions, actions and
votes, the attendance and the quorum (internal view)."""
from __future__ import annotations

from ..model.roles import Action
from ..store import one, rows
from .agenda import agenda
from .actors import Actor
from .permissions import authorize
from .meetings import attendance, load_meeting, quorum


def meeting_detail(db, actor: Actor, meeting_id: int) -> dict:
    meeting = load_meeting(db, meeting_id)
    authorize(db, actor, Action.READ_COMPOUND, meeting["compound_id"])
    chair = one(db, "SELECT name FROM members WHERE id = ?", [meeting["chair_member_id"]]) \
        if meeting["chair_member_id"] else None
    items = agenda(db, meeting_id)
    for item in items:
        item["actions"] = rows(db, """SELECT id, seat_id, seat_name, member_id, task, due_on, status, done_on
                                      FROM actions WHERE agenda_item_id = ? ORDER BY id""", [item["id"]])
        item["votes"] = rows(db, "SELECT seat_id, seat_name, vote FROM votes WHERE agenda_item_id = ? ORDER BY seat_id",
                             [item["id"]])
    started = meeting["status"] != "planned"
    return {"meeting": {**meeting, "chair_name": chair["name"] if chair else ""},
            "items": items,
            "attendance": attendance(db, actor, meeting_id) if started else [],
            "quorum": quorum(db, meeting_id) if started else None}

