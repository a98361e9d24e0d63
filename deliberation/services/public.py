"""The residents' read model. Built only on the public_* views: no personal field can reach it.
The board's lists are cached until the next write (public_cache.py)."""
from __future__ import annotations

from dataclasses import dataclass

from ..model.lifecycle import Stage
from ..store import one, rows, scalar
from .compounds import get_compound
from .clock import today
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
_PUBLIC_COLUMNS = """id, title, category, stage, raised_on, raised_by_kind, raised_by_seat_name, building,
    public_summary, public_reply, households, resolved_level, objection_closes_on, accepted_at, closed_reason,
    demo"""


def _issue(row: dict) -> PublicIssue:
    days_left = None
    if row["stage"] == Stage.PUBLICIZING.value and row["objection_closes_on"]:
        from datetime import date
        days_left = max(0, (date.fromisoformat(row["objection_closes_on"]) - today()).days)
    return PublicIssue(
        id=row["id"], title=row["title"], category=row["category"], stage=row["stage"], raised_on=row["raised_on"],
        raised_by=row["raised_by_seat_name"] or _RAISED_BY.get(row["raised_by_kind"], ""), building=row["building"],
        summary=row["public_summary"], reply=row["public_reply"], households=row["households"],
        resolved_level=row["resolved_level"], objection_closes_on=row["objection_closes_on"], days_left=days_left,
        accepted=bool(row["accepted_at"]), closed_reason=row["closed_reason"], demo=bool(row["demo"]))


@cached_public_read
def public_issues(db, compound_id: int, *, stage: str | None = None, text: str = "", page: int = 1,
                  page_size: int = 30) -> tuple[list[PublicIssue], int]:
    get_compound(db, compound_id)
    where, params = "compound_id = ? AND merged_into_id IS NULL", [compound_id]
    if stage:
        where += " AND stage = ?"
        params.append(stage)
    if text.strip():
        where += " AND (title LIKE ? OR public_summary LIKE ?)"
        params += [f"%{text.strip()}%"] * 2
    total = scalar(db, "SELECT count(*) FROM public_issues WHERE " + where, params)
    found = rows(db, "SELECT " + _PUBLIC_COLUMNS + " FROM public_issues WHERE " + where +
                 " ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
                 [*params, page_size, (max(1, page) - 1) * page_size])
    return [_issue(r) for r in found], total


def public_issue(db, issue_id: int) -> PublicIssue | None:
    row = one(db, "SELECT " + _PUBLIC_COLUMNS + " FROM public_issues WHERE id = ?", [issue_id])
    return _issue(row) if row else None


@cached_public_read
def public_stage_counts(db, compound_id: int) -> dict[str, int]:
    return {r["stage"]: r["n"] for r in rows(db, """SELECT stage, count(*) AS n FROM public_issues
        WHERE compound_id = ? AND merged_into_id IS NULL GROUP BY stage""", [compound_id])}


# Kinds whose note is a decision, an answer, a reason given publicly or a generated line. Any
# other note (e.g. the free-text note a seat adds when it updates an action) stays internal.
_PUBLIC_NOTE_KINDS = ("raised", "accepted", "transition", "deferred", "on_agenda", "escalation_answered",
                      "merged", "household_added")


def public_timeline(db, issue_id: int) -> list[dict]:
    """Only events marked public; the actor is shown as a role, never a person's name."""
    kinds = ", ".join("?" for _ in _PUBLIC_NOTE_KINDS)
    return rows(db, f"""SELECT e.created_at, e.kind, e.from_stage, e.to_stage, m.number AS meeting_number,
                              CASE WHEN e.kind IN ({kinds}) THEN e.note
                                   WHEN e.kind = 'action_updated' THEN (SELECT a.seat_name || ':' || a.task
                                        FROM actions a WHERE a.id = json_extract(e.data, '$.action_id'))
                                   ELSE '' END AS note
                       FROM events e LEFT JOIN meetings m ON m.id = e.meeting_id
                       WHERE e.issue_id = ? AND e.public = 1 ORDER BY e.id""", [*_PUBLIC_NOTE_KINDS, issue_id])


@cached_public_read
def public_meetings(db, compound_id: int, *, limit: int = -1, offset: int = 0) -> list[dict]:
    """Published meetings, newest first (limit -1: all)."""
    meetings = rows(db, """SELECT id, number, scheduled_at, place, public_summary, demo FROM public_meetings
                           WHERE compound_id = ? ORDER BY number DESC LIMIT ? OFFSET ?""",
                    [compound_id, limit, offset])
    for meeting in meetings:
        meeting["seats_present"] = [r["seat_name"] for r in rows(db, """
            SELECT DISTINCT a.seat_name FROM attendance a JOIN seats s ON s.id = a.seat_id
            WHERE a.meeting_id = ? AND a.status IN ('present', 'proxy') ORDER BY s.position""", [meeting["id"]])]
        meeting["items"] = rows(db, """SELECT i.title, a.decision, a.outcome FROM agenda_items a
            JOIN public_issues i ON i.id = a.issue_id WHERE a.meeting_id = ? ORDER BY a.position""", [meeting["id"]])
    return meetings


@cached_public_read
def public_meeting_count(db, compound_id: int) -> int:
    return scalar(db, "SELECT count(*) FROM public_meetings WHERE compound_id = ?", [compound_id])


@cached_public_read
def public_escalations(db, compound_id: int, *, limit: int = -1, offset: int = 0) -> list[dict]:
    """Concerns handed up to the community/subdistrict and the answers that came back (limit -1: all)."""
    return rows(db, """SELECT e.level_to, e.requested_on, e.answered_on, e.answer, i.title, i.id AS issue_id
                       FROM public_escalations e JOIN public_issues i ON i.id = e.issue_id
                       WHERE e.compound_id = ? ORDER BY e.requested_on DESC, e.id DESC LIMIT ? OFFSET ?""",
                [compound_id, limit, offset])


@cached_public_read
def public_escalation_counts(db, compound_id: int) -> dict[str, int]:
    row = one(db, """SELECT count(*) AS total, count(answered_on) AS answered FROM public_escalations
                     WHERE compound_id = ?""", [compound_id])
    return {"total": row["total"], "answered": row["answered"]}


@dataclass(frozen=True)
class PublicCompound:
    id: int
    name: str
    demo: bool


@cached_public_read(shared=True)        # a whole district's names: shared, never copied per reader
def public_compounds(db) -> tuple[PublicCompound, ...]:
    return tuple(PublicCompound(r["id"], r["name"], bool(r["demo"]))
                 for r in rows(db, "SELECT id, name, demo FROM compounds ORDER BY id"))


def public_feedback_counts(db, issue_id: int) -> dict[str, int]:
    """How many households rated the current publication, by rating (counts only, no comments)."""
    return {r["rating"]: r["n"] for r in rows(db, """
        SELECT f.rating, count(*) AS n FROM feedback f JOIN public_issues i ON i.id = f.issue_id
        WHERE f.issue_id = ? AND f.round = i.publication_round GROUP BY f.rating""", [issue_id])}
