"""The papers for the room, before a meeting: its 议程 (each item with its background and who
raised it) and its 签到表 (the standing roster by seat, with room for signatures, proxies and
列席). For everyone who reads the compound: staff text and the members' names only — a
resident who raised an issue is printed as 居民, never by name, and no phone is printed.
"""
from __future__ import annotations

from ..exports.views import AgendaView, PaperItem, SignInRow, SignInView
from ..model.defaults import OUTCOMES, RAISED_BY_KINDS
from ..model.roles import Action
from ..store import agenda as agenda_store
from ..store import issues as issue_store
from ..store import meetings as meeting_store
from ..store import roster as roster_store
from .actors import Actor
from .compounds import get_compound
from .permissions import authorize

__all__ = ["agenda_view", "sign_in_view"]


def _meeting(db, actor: Actor, meeting_id: int) -> dict:
    meeting = meeting_store.require_meeting(db, meeting_id)
    authorize(db, actor, Action.READ_COMPOUND, meeting["compound_id"])
    return meeting


def _raised_by(issue: dict) -> str:
    if issue["raised_by_kind"] == "seat" and issue["raised_by_seat_name"]:
        return issue["raised_by_seat_name"]
    return RAISED_BY_KINDS.get(issue["raised_by_kind"], issue["raised_by_kind"])


def _history(db, issue_id: int, before_number: int) -> tuple[str, ...]:
    """Earlier meetings that took the issue up, with what they decided (the outcome's label)."""
    return tuple(f"第{m['number']}次会议：{OUTCOMES.get(m['outcome'] or '', '未议')}"
                 for m in agenda_store.meetings_of_issue(db, issue_id) if m["number"] < before_number)


def agenda_view(db, actor: Actor, meeting_id: int) -> AgendaView:
    """The meeting's agenda as handed out: at its scheduled time, whatever state it is in now."""
    meeting = _meeting(db, actor, meeting_id)
    compound = get_compound(db, meeting["compound_id"])
    items = []
    for position, row in enumerate(agenda_store.agenda_of_meeting(db, meeting_id), start=1):
        issue = issue_store.require_issue(db, row["issue_id"])
        items.append(PaperItem(position=position, number=row["issue_number"], title=row["title"],
                               category=row["category"], raised_by=_raised_by(issue), raised_on=issue["raised_on"],
                               background=issue["description"],
                               history=_history(db, row["issue_id"], meeting["number"])))
    chair = roster_store.get_member(db, meeting["chair_member_id"]) if meeting["chair_member_id"] else None
    return AgendaView(compound=compound.name, number=meeting["number"], scheduled_at=meeting["scheduled_at"][:16],
                      place=meeting["place"], branch=compound.branch_name, chair=chair["name"] if chair else None,
                      seats=tuple(s["name"] for s in roster_store.seats_of_compound(db, compound.id)),
                      items=tuple(items), demo=bool(meeting["demo"]))


def sign_in_view(db, actor: Actor, meeting_id: int) -> SignInView:
    """The members serving on the meeting's day, seat by seat in roster order; a seat with nobody
    serving gets an empty line, so whoever comes for it can sign."""
    meeting = _meeting(db, actor, meeting_id)
    compound = get_compound(db, meeting["compound_id"])
    day = (meeting["started_at"] or meeting["scheduled_at"])[:10]
    members = roster_store.members_on(db, compound.id, day)
    seats = roster_store.seats_of_compound(db, compound.id)
    rows = []
    for seat in seats:
        serving = [m for m in members if m["seat_id"] == seat["id"]]
        rows += [SignInRow(seat=seat["name"], name=m["name"], title=m["title"]) for m in serving] or \
            [SignInRow(seat=seat["name"], name="")]
    return SignInView(compound=compound.name, number=meeting["number"], scheduled_at=meeting["scheduled_at"][:16],
                      place=meeting["place"], branch=compound.branch_name, rows=tuple(rows),
                      min_seats=compound.quorum_min_seats,
                      required=tuple(s["name"] for s in seats if s["quorum_required"]), demo=bool(meeting["demo"]))
