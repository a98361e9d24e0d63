"""The 概览 charts of one compound: counts over its live issues, meetings and attendance."""
from __future__ import annotations

from ..model.lifecycle import OPEN_STAGES
from .db import rows
from .issues import LIVE

_OPEN = tuple(s.value for s in OPEN_STAGES)
_OPEN_MARKS = ", ".join("?" for _ in _OPEN)
_COUNTED = "i.compound_id = ? AND " + LIVE      # a merged duplicate is not a problem of its own


def open_and_done_by_category(db, compound_id: int) -> list[dict]:
    """[{category, open, done}] with done = resolved or closed; most issues first."""
    return rows(db, f"""
        SELECT c.name AS category,
               sum(i.stage IN ({_OPEN_MARKS})) AS open,
               sum(i.stage NOT IN ({_OPEN_MARKS})) AS done
        FROM issues i JOIN categories c ON c.id = i.category_id WHERE {_COUNTED}
        GROUP BY c.id ORDER BY count(*) DESC, c.position""", [*_OPEN, *_OPEN, compound_id])


def issue_counts_by_raiser(db, compound_id: int) -> list[dict]:
    """[{kind, seat, n}]: seat is the raising seat's name when kind == 'seat', else ''."""
    return rows(db, f"""
        SELECT i.raised_by_kind AS kind,
               CASE WHEN i.raised_by_kind = 'seat' THEN i.raised_by_seat_name ELSE '' END AS seat, count(*) AS n
        FROM issues i WHERE {_COUNTED} GROUP BY 1, 2 ORDER BY n DESC, kind, seat""", [compound_id])


def raised_and_open_at_each_meeting(db, compound_id: int) -> list[dict]:
    """[{number, day, raised, open}] per meeting held: issues raised by its day and those open at
    the day's end (the last stage each had entered by then, from the stage events)."""
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
              IN ({_OPEN_MARKS})) AS open
        FROM held h ORDER BY h.number""", [compound_id, compound_id, compound_id, *_OPEN])


def resolved_issue_durations(db, compound_id: int) -> list[dict]:
    """[{title, category, level, days}] of resolved issues, days from raised to resolved, fastest first."""
    return rows(db, f"""
        SELECT i.title, c.name AS category, i.resolved_level AS level,
               CAST(julianday(i.resolved_on) - julianday(i.raised_on) AS INTEGER) AS days
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE {_COUNTED} AND i.stage = 'resolved' AND i.resolved_on IS NOT NULL
        ORDER BY days""", [compound_id])


def seat_attendance_by_meeting(db, compound_id: int) -> list[dict]:
    """[{number, seat, position, present, excused}] per meeting held and seat on its roll."""
    return rows(db, """
        SELECT m.number, a.seat_name AS seat, s.position,
               avg(a.status IN ('present', 'proxy')) AS present, max(a.status = 'excused') AS excused
        FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN seats s ON s.id = a.seat_id
        WHERE m.compound_id = ? AND m.status != 'planned'
        GROUP BY m.number, a.seat_id ORDER BY s.position, m.number""", [compound_id])
