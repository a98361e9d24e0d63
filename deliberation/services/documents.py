"""View-models for the documents a compound prints or hands out: minutes, the 公示 notice, the
register export and the meeting calendar. The exporters in `deliberation.exports` turn them into
bytes; this module decides what each reader may see.

The monthly report lives in `reports.py`, the register import in `register_import.py`.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ..exports.views import AgendaLine, MinutesView, NoticeItem, NoticeView, PhotoThumb, QuorumLine, ScheduleView
from ..model.defaults import CHANNELS, PRIORITIES, RAISED_BY_KINDS
from ..model.errors import DomainError
from ..model.lifecycle import CLOSE_REASONS, STAGE_LABELS, Level, Stage
from ..model.quorum import meeting_quorum
from ..model.roles import Action
from ..store import actions as action_store
from ..store import agenda as agenda_store
from ..store import attendance as attendance_store
from ..store import issues as issue_store
from ..store import meetings as meeting_store
from ..store import public as public_store
from ..store import roster as roster_store
from .actors import Actor
from .clock import today
from .compounds import get_compound
from .deployment import public_address
from .markers import public_read
from .minutes import minutes_view as _minutes_view
from .minutes_workflow import amendment_notes
from .permissions import authorize
from .photos import public_thumbs_of_issues, staff_photos_for_document
from .register import IssueFilter

__all__ = ["board_url", "minutes_state", "minutes_view", "notice_view", "register_rows",
           "register_vocabulary", "schedule_view"]

def board_url(compound_id: int, base: str) -> str:
    """The residents' light board (web/resident): what every QR code and printed link opens.
    `base` is the deployment's public address (services/deployment.public_address)."""
    return f"{base.rstrip('/')}/board/{compound_id}"


# ------------------------------------------------------------------ minutes

def minutes_state(db, actor: Actor, meeting_id: int) -> dict:
    """What the download panel needs to know before building anything: which versions exist and
    a version stamp that changes when the minutes do."""
    meeting = meeting_store.require_meeting(db, meeting_id)
    authorize(db, actor, Action.READ_COMPOUND, meeting["compound_id"])
    return {"meeting_id": meeting_id, "number": meeting["number"], "status": meeting["status"],
            "version": meeting["version"], "published": meeting["status"] == "published",
            "compound": get_compound(db, meeting["compound_id"]).name}


def minutes_view(db, actor: Actor, meeting_id: int, *, public: bool = False, preview: bool = False) -> MinutesView:
    """The minutes as printed (services/minutes.py), with what a filed paper adds: the recorded
    end, the quorum, the person named for each task (责任人), the branch's full name, whether it
    is still a draft, and each item's photos: in the public version those marked public; in the
    internal one (READ_INTERNAL) the staff's photos too, public or not. A resident's photo is
    printed only once marked public: a file is forwarded.

    A meeting not yet held has no minutes: refused (its papers are the 议程 and the 签到表)."""
    view = _minutes_view(db, actor, meeting_id, public=public, preview=preview)    # preview: services/minutes.py
    meeting = meeting_store.require_meeting(db, meeting_id)
    if meeting["status"] == "planned":
        raise DomainError(f"第{meeting['number']}次会议尚未召开，还没有会议纪要。会前请打印议程和签到表。")
    view = replace(view, ends_at=_recorded_end(meeting), branch=get_compound(db, meeting["compound_id"]).branch_name,
                   quorum=_quorum(db, meeting_id), draft=meeting["status"] in ("in_progress", "held"),
                   approved_on=(meeting["minutes_approved_at"] or "")[:10],
                   amendments=() if public else amendment_notes(db, actor, meeting_id),
                   items=_with_owners(db, meeting_id, view.items, public))
    issue_ids = [item.issue_id for item in view.items if item.issue_id is not None]
    found = public_thumbs_of_issues(db, issue_ids) if public else \
        staff_photos_for_document(db, actor, issue_ids, public_only=False)
    if not found:
        return view
    return replace(view, items=tuple(replace(item, photos=_thumbs(found.get(item.issue_id, ())))
                                     for item in view.items))


def _recorded_end(meeting: dict) -> str:
    """The end as recorded, to the minute; none when it is missing or not after the start."""
    start, end = (meeting["started_at"] or "")[:16], (meeting["ended_at"] or "")[:16]
    return end if start and end > start else ""


def _quorum(db, meeting_id: int) -> QuorumLine:
    present, required, min_seats = attendance_store.quorum_facts(db, meeting_id)
    quorum = meeting_quorum(present, required, min_seats)
    seats = set(attendance_store.roll_seat_names(db, meeting_id).values())
    return QuorumLine(met=quorum.met, seats_present=quorum.seats_present, seats_total=len(seats),
                      min_seats=min_seats, required=tuple(required.values()),
                      missing_required=quorum.missing_required)


def _with_owners(db, meeting_id: int, items: tuple[AgendaLine, ...], public: bool) -> tuple[AgendaLine, ...]:
    """Each task's 责任人: the member the decision named for it (in the order services/minutes.py
    lists the tasks); none in the public version, which names no one."""
    if public:
        return items
    rows_of = {row["issue_id"]: action_store.actions_of_agenda_item(db, row["id"])
               for row in agenda_store.agenda_of_meeting(db, meeting_id)}
    names: dict[int, str] = {}

    def owner(row) -> str | None:
        if not row["member_id"]:
            return None
        if row["member_id"] not in names:
            member = roster_store.get_member(db, row["member_id"])
            names[row["member_id"]] = member["name"] if member else ""
        return names[row["member_id"]] or None

    return tuple(replace(item, actions=tuple(replace(action, owner=owner(row)) for action, row
                                             in zip(item.actions, rows_of.get(item.issue_id, ()))))
                 for item in items)


PHOTO_LABELS = {"concern": "居民拍摄", "issue": "现场/整改前", "result": "整改后"}


def _thumbs(rows) -> tuple[PhotoThumb, ...]:
    return tuple(PhotoThumb(jpeg=r["data"], width=r["width"], height=r["height"], label=PHOTO_LABELS[r["kind"]])
                 for r in rows)


# ------------------------------------------------------------------ the 公示 notice

def notice_view(db, actor: Actor, compound_id: int) -> NoticeView:
    """The results now under 公示 in the compound, with their photos marked public. Built only
    from the public_* views, so no name, phone, unit or internal note can reach the printed notice.
    Its QR code opens the board at the deployment's public address; while that is unset or local
    the notice prints a red warning (address_warning)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    compound = get_compound(db, compound_id)
    found = public_store.results_under_publicity(db, compound_id)
    photos = public_thumbs_of_issues(db, [r["id"] for r in found])        # marked public only
    # The level that will be credited when the window closes: the answering level, else the compound.
    items = tuple(NoticeItem(title=r["title"], category=r["category"], summary=r["public_summary"],
                             resolved_level=Level(r["answered_level"] or Level.COMPOUND.value).label,
                             photos=_thumbs(photos.get(r["id"], ())))
                  for r in found)
    day = today()
    opens = min((r["stage_entered_on"] for r in found), default=day.isoformat())
    closes = max((r["objection_closes_on"] or "" for r in found), default="") or \
        (day + timedelta(days=compound.objection_window_days)).isoformat()
    address = public_address(db)
    return NoticeView(compound=compound.name, items=items, window_opens=opens, window_closes=closes,
                      board_url=board_url(compound_id, address.url), demo=compound.demo,
                      address_warning=address.warning, branch=compound.branch_name, office=compound.place)


# ------------------------------------------------------------------ the register as a file

def register_rows(db, actor: Actor, compound_id: int, f: IssueFilter = IssueFilter()) -> list[dict]:
    """Every issue the register page would list for `f`, in its order, keyed like
    exports.register.REGISTER_COLUMNS and already in Chinese. For everyone who reads the compound
    (seat representatives and officers too), so it holds the staff's text only: `description` is
    issues.description; a resident's own words, name, unit and contact (reports) are never in it —
    a file is forwarded, the words stay in the app with the secretary and recorder."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    found = issue_store.register_export_rows(db, issue_store.register_where(compound_id, f, today().isoformat()))
    return [{
        "title": r["title"], "category": r["category"], "stage": STAGE_LABELS[Stage(r["stage"])],
        "raised_by": r["raised_by_seat_name"] if r["raised_by_kind"] == "seat"
        else RAISED_BY_KINDS.get(r["raised_by_kind"], ""),
        "channel": CHANNELS.get(r["channel"], r["channel"]), "raised_on": r["raised_on"],
        "building": r["building"], "priority": PRIORITIES.get(r["priority"], r["priority"]),
        "description": r["description"], "public_summary": r["public_summary"],
        "resolved_level": Level(r["resolved_level"]).label if r["resolved_level"] else "",
        "resolved_on": r["resolved_on"] or "",
        "closed_reason": CLOSE_REASONS.get(r["closed_reason"] or "", r["closed_reason"] or ""),
        "households": r["households"],
    } for r in found]


def register_vocabulary(db, actor: Actor, compound_id: int) -> tuple[list[str], list[str]]:
    """(active category names, active seat names): what an imported file may use, and what the
    import template lists on its 说明 sheet."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return ([r["name"] for r in roster_store.categories_of_compound(db, compound_id)],
            [r["name"] for r in roster_store.seats_of_compound(db, compound_id)])


# ------------------------------------------------------------------ the standing schedule

@public_read
def schedule_view(db, compound_id: int, months: int = 12) -> ScheduleView:
    """The next `months` of the "3 fixed" meeting rule. Public facts only (time and place)."""
    compound = get_compound(db, compound_id)
    start = today()
    year, month = divmod(start.month - 1 + max(1, months), 12)
    end = date(start.year + year, month + 1, 1) - timedelta(days=1)
    return ScheduleView(compound=compound.name, place=compound.place, rule_label=compound.schedule.label,
                        occurrences=tuple(compound.schedule.occurrences(start, end)),
                        board_url=board_url(compound_id, public_address(db).url))
