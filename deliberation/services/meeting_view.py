"""One meeting as the console follows it: the meeting, its agenda with decisions, actions and
votes, the attendance and the quorum (internal view)."""
from __future__ import annotations

from ..model.quorum import meeting_quorum
from ..model.roles import Action
from ..store import actions as action_store
from ..store import agenda as agenda_store
from ..store import attendance as attendance_store
from ..store import meetings as meeting_store
from ..store import roster as roster_store
from .actors import Actor
from .meetings import attendance
from .permissions import authorize


def meeting_detail(db, actor: Actor, meeting_id: int) -> dict:
    meeting = meeting_store.require_meeting(db, meeting_id)
    # The console: 讨论情况, votes, names, attendance. Internal, as the meetings page is.
    authorize(db, actor, Action.READ_INTERNAL, meeting["compound_id"])
    chair = roster_store.get_member(db, meeting["chair_member_id"]) if meeting["chair_member_id"] else None
    items = agenda_store.agenda_of_meeting(db, meeting_id)
    for item in items:
        item["actions"] = action_store.actions_of_agenda_item(db, item["id"])
        item["votes"] = agenda_store.votes_of_item(db, item["id"])
    started = meeting["status"] != "planned"
    return {"meeting": {**meeting, "chair_name": chair["name"] if chair else ""},
            "items": items,
            "attendance": attendance(db, actor, meeting_id) if started else [],
            "quorum": meeting_quorum(*attendance_store.quorum_facts(db, meeting_id)) if started else None}
