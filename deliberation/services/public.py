"""The residents' read model. Built only on the public_* views (store/public.py): no personal field
can reach it. The board's lists are cached until the next write (public_cache.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.errors import NotFound
from ..model.lifecycle import Stage
from ..store import public as public_store
from .clock import today
from .markers import public_read
from .public_cache import cached_public_read


@dataclass(frozen=True)
class PublicIssue:
    id: int
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


_RAISED_BY = {"resident": "居民", "patrol": "巡访", "hotline": "热线"}


def _issue(row: dict) -> PublicIssue:
    days_left = None
    if row["stage"] == Stage.PUBLICIZING.value and row["objection_closes_on"]:
        days_left = max(0, (date.fromisoformat(row["objection_closes_on"]) - today()).days)
    return PublicIssue(
        id=row["id"], title=row["title"], category=row["category"], stage=row["stage"], raised_on=row["raised_on"],
        raised_by=row["raised_by_seat_name"] or _RAISED_BY.get(row["raised_by_kind"], ""), building=row["building"],
        summary=row["public_summary"], reply=row["public_reply"], households=row["households"],
        resolved_level=row["resolved_level"], objection_closes_on=row["objection_closes_on"], days_left=days_left,
        accepted=bool(row["accepted_at"]), closed_reason=row["closed_reason"], demo=bool(row["demo"]))


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
@cached_public_read
def public_stage_counts(db, compound_id: int) -> dict[str, int]:
    return public_store.public_stage_counts(db, compound_id)


@public_read
def public_timeline(db, issue_id: int) -> list[dict]:
    """Only events marked public; the actor is shown as a role, never a person's name."""
    return public_store.public_events_of_issue(db, issue_id)


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
