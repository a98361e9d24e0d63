"""Chart datasets for the 概览 page of one compound. Plain rows; the page draws them."""
from __future__ import annotations

from ..model.lifecycle import OPEN_STAGES, Stage
from ..model.roles import Action
from ..store import rows
from .actors import Actor
from .permissions import authorize

_OPEN = tuple(s.value for s in OPEN_STAGES)
_COUNTED = "i.compound_id = ? AND i.merged_into_id IS NULL"   # a merged duplicate is not a problem of its own


def issues_by_stage(db, actor: Actor, compound_id: int) -> list[dict]:
    """Every stage in lifecycle order, zeros included: [{stage, n}]."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    counts = {r["stage"]: r["n"] for r in rows(
        db, f"SELECT i.stage, count(*) AS n FROM issues i WHERE {_COUNTED} GROUP BY i.stage", [compound_id])}
    return [{"stage": s.value, "n": counts.get(s.value, 0)} for s in Stage]


def issues_by_category(db, actor: Actor, compound_id: int) -> list[dict]:
    """[{category, open, done}] with done = resolved or closed; most issues first."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return rows(db, f"""
        SELECT c.name AS category,
               sum(i.stage IN ({', '.join('?' for _ in _OPEN)})) AS open,
               sum(i.stage NOT IN ({', '.join('?' for _ in _OPEN)})) AS done
        FROM issues i JOIN categories c ON c.id = i.category_id WHERE {_COUNTED}
        GROUP BY c.id ORDER BY count(*) DESC, c.position""", [*_OPEN, *_OPEN, compound_id])


def issues_by_raiser(db, actor: Actor, compound_id: int) -> list[dict]:
    """[{kind, seat, n}]: seat is the raising seat's name when kind == 'seat', else ''."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return rows(db, f"""
        SELECT i.raised_by_kind AS kind,
               CASE WHEN i.raised_by_kind = 'seat' THEN i.raised_by_seat_name ELSE '' END AS seat, count(*) AS n
        FROM issues i WHERE {_COUNTED} GROUP BY 1, 2 ORDER BY n DESC, kind, seat""", [compound_id])


def open_issues_by_meeting(db, actor: Actor, compound_id: int) -> list[dict]:
    """For each meeting held, the problems raised so far and those still open at the end of the
    meeting's day, from each issue's stage history (the last stage it entered by then).
    [{number, day, raised, open}]"""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return rows(db, f"""
        WITH held AS (
          SELECT number, date(coalesce(started_at, scheduled_at)) AS day,
                 date(coalesce(started_at, scheduled_at)) || ' 23:59:59' AS cutoff
          FROM meetings WHERE compound_id = ? AND status != 'planned')
        SELECT h.number, h.day,
          (SELECT count(*) FROM issues i WHERE {_COUNTED} AND i.raised_on <= h.day) AS raised,
          (SELECT count(*) FROM issues i WHERE {_COUNTED} AND i.raised_on <= h.day AND coalesce(
              (SELECT e.to_stage FROM events e WHERE e.issue_id = i.id AND e.to_stage IS NOT NULL
                 AND e.created_at <= h.cutoff ORDER BY e.created_at DESC, e.id DESC LIMIT 1), 'collected')
              IN ({', '.join('?' for _ in _OPEN)})) AS open
        FROM held h ORDER BY h.number""", [compound_id, compound_id, compound_id, *_OPEN])


def days_to_resolve(db, actor: Actor, compound_id: int) -> list[dict]:
    """Resolved issues with the days from raised to resolved: [{title, category, level, days}]."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return rows(db, f"""
        SELECT i.title, c.name AS category, i.resolved_level AS level,
               CAST(julianday(i.resolved_on) - julianday(i.raised_on) AS INTEGER) AS days
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE {_COUNTED} AND i.stage = 'resolved' AND i.resolved_on IS NOT NULL
        ORDER BY days""", [compound_id])


def attendance_by_seat(db, actor: Actor, compound_id: int) -> list[dict]:
    """For each meeting held and each seat on its roll: the share of the seat's members present
    (in person or by proxy) and whether anyone sent apologies. [{number, seat, position, present, excused}]"""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return rows(db, """
        SELECT m.number, a.seat_name AS seat, s.position,
               avg(a.status IN ('present', 'proxy')) AS present, max(a.status = 'excused') AS excused
        FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN seats s ON s.id = a.seat_id
        WHERE m.compound_id = ? AND m.status != 'planned'
        GROUP BY m.number, a.seat_id ORDER BY s.position, m.number""", [compound_id])
