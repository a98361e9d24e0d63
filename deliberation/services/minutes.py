"""The 会议纪要 of one meeting as a MinutesView: what the console shows and the exporters print."""
from __future__ import annotations

from ..exports.views import ActionLine, AgendaLine, AttendanceLine, MinutesView
from ..model.defaults import ACTION_STATUSES, ATTENDANCE, OUTCOMES, VOTES
from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import actions as action_store
from ..store import agenda as agenda_store
from ..store import attendance as attendance_store
from ..store import meetings as meeting_store
from ..store import roster as roster_store
from .actors import Actor
from .compounds import get_compound
from .permissions import authorize
from .use_case import changing


def _attendance(db, meeting_id: int, public: bool) -> tuple[AttendanceLine, ...]:
    lines = []
    for r in attendance_store.attendance_lines(db, meeting_id):
        name = r["member_name"] + (f"(委托 {r['proxy_name']})" if r["status"] == "proxy" and r["proxy_name"] else "")
        lines.append(AttendanceLine(seat=r["seat_name"], name=None if public else name,
                                    status=ATTENDANCE[r["status"]]))
    return tuple(lines)


def _items(db, meeting_id: int, public: bool) -> tuple[AgendaLine, ...]:
    """The public version carries no text staff typed at the meeting (讨论情况, 决议, tasks): only
    the item's public summary the secretary wrote, and the labels the app writes."""
    lines = []
    for item in agenda_store.agenda_of_meeting(db, meeting_id):
        actions = tuple(ActionLine(seat=r["seat_name"], task="" if public else r["task"], due_on=r["due_on"],
                                   status=ACTION_STATUSES[r["status"]])
                        for r in action_store.actions_of_agenda_item(db, item["id"]))
        votes = tuple((r["seat_name"], VOTES[r["vote"]])
                      for r in agenda_store.votes_in_roster_order(db, item["id"]))
        lines.append(AgendaLine(position=len(lines) + 1, title=item["title"],
                                discussion="" if public else item["discussion"],
                                decision="" if public else item["decision"],
                                outcome=OUTCOMES.get(item["outcome"] or "", "未议"),
                                actions=actions, votes=votes, public_summary=item["public_summary"],
                                issue_id=item["issue_id"]))
    return tuple(lines)


def minutes_view(db, actor: Actor, meeting_id: int, *, public: bool = False, preview: bool = False) -> MinutesView:
    """The internal minutes (names of chair, recorder and members) or, once published, the public
    version that names no one. `preview`: the public version before publication, for staff who
    read the internal one: the page shows exactly what publishing will show."""
    meeting = meeting_store.require_meeting(db, meeting_id)
    if public and preview:
        authorize(db, actor, Action.READ_INTERNAL, meeting["compound_id"])
    elif public:
        authorize(db, actor, Action.READ_PUBLIC, meeting["compound_id"])
        if meeting["status"] != "published":
            raise NotFound("该会议纪要尚未公开")
    else:
        # 讨论情况, votes and names: internal (not for seat representatives, who read the public version).
        authorize(db, actor, Action.READ_INTERNAL, meeting["compound_id"])
    compound = get_compound(db, meeting["compound_id"])
    chair = roster_store.get_member(db, meeting["chair_member_id"]) if meeting["chair_member_id"] else None
    return MinutesView(
        compound=compound.name, number=meeting["number"],
        starts_at=(meeting["started_at"] or meeting["scheduled_at"])[:16], place=meeting["place"],
        chair=None if public else (chair["name"] if chair else None),
        recorder=None if public else (meeting["recorder_name"] or None),
        attendance=_attendance(db, meeting_id, public), items=_items(db, meeting_id, public),
        public=public, demo=bool(meeting["demo"]))


def set_item_public_summary(db, actor: Actor, item_id: int, summary: str) -> None:
    """The secretary's summary of one item for residents: the only text of the item the public
    minutes and the board show. It may be corrected after publication (the correction shows at once)."""
    item = agenda_store.get_agenda_item(db, item_id)
    if item is None:
        raise NotFound("找不到该议程项")
    meeting = meeting_store.require_meeting(db, item["meeting_id"])
    with changing(db, actor, Action.PUBLISH, meeting["compound_id"]) as change:
        if len(summary) > 1000:
            raise DomainError("公开说明不能超过 1000 字")
        agenda_store.update_agenda_item(db, item_id, {"public_summary": summary.strip()})
        change.record("item_public_summary_set", issue_id=item["issue_id"], meeting_id=meeting["id"],
                      data={"agenda_item_id": item_id, "field": "public_summary"})


def suggested_public_summary(view: MinutesView) -> str:
    """A first draft of the summary residents see: seats and outcomes, never a person's name."""
    seats = len({a.seat for a in view.attendance if a.status in ("出席", "委托出席")})
    items = ";".join(f"{item.title}({item.outcome})" for item in view.items)
    text = f"{view.compound}第{view.number}次“1+8”协商议事会议于{view.starts_at[:10]}在{view.place}召开,{seats}个协商主体出席"
    return text + (f",审议议题{len(view.items)}项:{items}。" if view.items else "。")
