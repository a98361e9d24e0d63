"""The residents' read model. Built only on the public_* views (store/public.py): no personal field
can reach it. The board's lists are cached until the next write (public_cache.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from ..model.errors import NotFound
from ..model.lifecycle import MERGE, Level, Stage, find_transition
from ..store import public as public_store
from ..store import compound_token
from .clock import today
from .markers import public_read
from .public_cache import cached_public_read


@dataclass(frozen=True)
class PublicIssue:
    id: int
    number: int | None      # per compound: 鸿翔花园's #16, what residents see and type
    title: str
    category: str
    stage: str
    raised_on: str
    raised_by: str          # a seat name or 居民/巡访/热线, never a person
    building: str
    summary: str
    reply: str
    households: int
    resolved_level: str | None
    objection_closes_on: str | None
    days_left: int | None
    accepted: bool
    closed_reason: str | None
    demo: bool
    merged_into: int | None = None    # the number of the issue a merged duplicate joined


_RAISED_BY = {"resident": "居民", "patrol": "巡访", "hotline": "热线"}


def _issue(row: dict) -> PublicIssue:
    days_left = None
    if row["stage"] == Stage.PUBLICIZING.value and row["objection_closes_on"]:
        days_left = max(0, (date.fromisoformat(row["objection_closes_on"]) - today()).days)
    return PublicIssue(
        id=row["id"], number=row["number"], title=row["title"], category=row["category"], stage=row["stage"], raised_on=row["raised_on"],
        raised_by=row["raised_by_seat_name"] or _RAISED_BY.get(row["raised_by_kind"], ""), building=row["building"],
        summary=row["public_summary"], reply=row["public_reply"], households=row["households"],
        resolved_level=row["resolved_level"], objection_closes_on=row["objection_closes_on"], days_left=days_left,
        accepted=bool(row["accepted_at"]), closed_reason=row["closed_reason"], demo=bool(row["demo"]),
        merged_into=row.get("merged_into_number"))


@public_read
@cached_public_read
def public_issues(db, compound_id: int, *, stage: str | None = None, text: str = "", page: int = 1,
                  page_size: int = 30) -> tuple[list[PublicIssue], int]:
    if not public_store.compound_exists(db, compound_id):
        raise NotFound("找不到该小区")
    found, total = public_store.public_issue_page(db, compound_id, stage=stage, text=text, limit=page_size,
                                                  offset=(max(1, page) - 1) * page_size)
    return [_issue(r) for r in found], total


@public_read
def public_issue(db, issue_id: int) -> PublicIssue | None:
    row = public_store.public_issue_row(db, issue_id)
    return _issue(row) if row else None


@public_read
def public_issue_by_number(db, compound_id: int, number: int) -> PublicIssue | None:
    """The compound's issue #number, or None: another compound's number finds nothing here."""
    row = public_store.public_issue_row_by_number(db, compound_id, number)
    return _issue(row) if row else None


@public_read
def board_version(db, compound_id: int) -> str:
    """What a resident page of the compound is keyed on (ETag, rendered-page cache): the compound's
    token, which every change of that compound or of no compound (areas) replaces, and today (days
    left in a 公示 window change at midnight). Changes in other compounds leave it as it is."""
    return f"{compound_token(db, compound_id)}:{today().isoformat()}"


@public_read
@cached_public_read
def public_stage_counts(db, compound_id: int) -> dict[str, int]:
    return public_store.public_stage_counts(db, compound_id)


# Lines the app itself writes for kinds that carry no field of their own.
_FIXED_LINES = {"accepted": "已受理,进入议题台账", "household_added": "又一户居民反映同一问题"}


def _timeline_line(e: dict) -> str:
    """What a public timeline row says, built from the kind and the current public fields only:
    never the event's note (old rows may hold typed text; see store/public.py)."""
    data = json.loads(e["data"] or "{}")
    kind, summary = e["kind"], e["item_summary"] or ""
    if kind == "raised":
        return e["title"]
    if kind in _FIXED_LINES:
        return _FIXED_LINES[kind]
    if kind == "merged":
        return f"并入重复议题 #{e['duplicate_number'] or ''}".rstrip(" #")
    if kind == "on_agenda":
        return f"列入第{e['meeting_number']}次会议议程" if e["meeting_number"] else "列入会议议程"
    if kind == "deferred":
        return summary or "暂缓,下次再议"
    if kind == "escalation_answered":
        return e["answer"] or ""
    if kind == "escalation_passed":
        level = data.get("to_level") or ""
        return f"转报{Level(level).label}" if level in {lv.value for lv in Level} else "转报上级"
    if kind == "action_updated":
        return e["action_line"] or ""
    if kind != "transition" or not e["to_stage"]:
        return ""
    target = Stage(e["to_stage"])
    if summary:
        return summary
    if target == Stage.PUBLICIZING:
        return e["public_summary"]
    if target == Stage.CLOSED and e["public_reply"]:
        return e["public_reply"]
    if target == Stage.ESCALATED:
        level = data.get("level_to") or ""
        return f"上报{Level(level).label}" if level in {lv.value for lv in Level} else "上报社区/街道"
    if e["meeting_number"] and target == Stage.DELIBERATING and e["from_stage"] == Stage.COLLECTED.value:
        return f"列入第{e['meeting_number']}次会议议程"
    transition = find_transition(Stage(e["from_stage"]), target) if e["from_stage"] else None
    return transition.label if transition else target.label


@public_read
def public_timeline(db, issue_id: int) -> list[dict]:
    """Only events marked public; the actor is shown as a role, never a person's name. The text
    comes from the issue's current public fields, so a corrected or redacted value is gone
    everywhere at once."""
    return [{"created_at": e["created_at"], "kind": e["kind"], "from_stage": e["from_stage"],
             "to_stage": e["to_stage"], "meeting_number": e["meeting_number"], "note": _timeline_line(e),
             "merge": json.loads(e["data"] or "{}").get("transition") == MERGE}      # closed as 合并, not 未解决
            for e in public_store.public_events_of_issue(db, issue_id)]


@public_read
@cached_public_read
def public_meetings(db, compound_id: int, *, limit: int = -1, offset: int = 0) -> list[dict]:
    """Published meetings, newest first (limit -1: all), with the seats present and the agenda."""
    meetings = public_store.published_meetings(db, compound_id, limit=limit, offset=offset)
    for meeting in meetings:
        meeting["seats_present"] = public_store.seat_names_present(db, meeting["id"])
        meeting["items"] = public_store.public_agenda_items(db, meeting["id"])
    return meetings


@public_read
@cached_public_read
def public_meeting_count(db, compound_id: int) -> int:
    return public_store.count_published_meetings(db, compound_id)


@public_read
@cached_public_read
def public_escalations(db, compound_id: int, *, limit: int = -1, offset: int = 0) -> list[dict]:
    """Concerns handed up to the community/subdistrict and the answers that came back (limit -1: all)."""
    return public_store.public_escalations(db, compound_id, limit=limit, offset=offset)


@public_read
@cached_public_read
def public_escalation_counts(db, compound_id: int) -> dict[str, int]:
    return public_store.count_public_escalations(db, compound_id)


@dataclass(frozen=True)
class PublicCompound:
    id: int
    name: str
    demo: bool


@public_read
@cached_public_read(shared=True)        # a whole district's names: shared, never copied per reader
def public_compounds(db) -> tuple[PublicCompound, ...]:
    return tuple(PublicCompound(r["id"], r["name"], bool(r["demo"])) for r in public_store.compound_names(db))


@public_read
def public_feedback_counts(db, issue_id: int) -> dict[str, int]:
    """How many households rated the current publication, by rating (counts only, no comments)."""
    return public_store.ratings_of_current_publication(db, issue_id)
