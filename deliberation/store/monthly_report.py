"""The 月报 (monthly report) of a set of compounds: what happened between two dates.

Dates are ISO text: `first` is the month's first day, `next_first` the next month's. A set of
compounds (or meetings) goes in as one JSON parameter read by json_each."""
from __future__ import annotations

import json
from typing import Iterable

from .db import one, rows
from .issues import LIVE

_IN = "IN (SELECT value FROM json_each(?))"


def _ids(ids: Iterable[int]) -> str:
    return json.dumps(sorted(ids))


def held_meeting_ids(db, compound_ids: Iterable[int], first: str, next_first: str) -> list[int]:
    """Meetings held (not merely planned) and scheduled in [first, next_first)."""
    return [r["id"] for r in rows(db, f"""SELECT id FROM meetings WHERE compound_id {_IN} AND status != 'planned'
                                         AND scheduled_at >= ? AND scheduled_at < ?""",
                                  [_ids(compound_ids), first, next_first])]


def any_demo_compound(db, compound_ids: Iterable[int]) -> bool:
    return bool(one(db, f"SELECT max(demo) AS d FROM compounds WHERE id {_IN}", [_ids(compound_ids)])["d"])


def attendance_by_seat_name(db, meeting_ids: Iterable[int]) -> list[dict]:
    """[{seat_name, position, lines, present}] over the meetings, in roster order."""
    return rows(db, f"""
        SELECT a.seat_name, min(s.position) AS position, count(*) AS lines,
               sum(a.status IN ('present', 'proxy')) AS present
        FROM attendance a JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id {_IN} GROUP BY a.seat_name ORDER BY position, a.seat_name""", [_ids(meeting_ids)])


def issues_possibly_in_play(db, compound_ids: Iterable[int], first: str, next_first: str) -> list[dict]:
    """[{stage, raised_on, resolved_on, category, stage_at_start, stage_at_end}] of live issues raised
    before `next_first` that are open now or changed since `first`: the only ones that can have been
    in play in the month. stage_at_*: the target of the last stage event before the month's
    start / end (None: no such event)."""
    # Open now, or touched since the month began: at a district's scale that skips the event history
    # of hundreds of thousands of long-finished issues (both halves use an index).
    ids = _ids(compound_ids)
    return rows(db, f"""
        WITH candidates(id) AS (
          SELECT id FROM issues WHERE compound_id {_IN} AND merged_into_id IS NULL
            AND stage IN ('collected', 'deliberating', 'acting', 'escalated', 'publicizing')
          UNION ALL
          SELECT id FROM issues WHERE compound_id {_IN} AND merged_into_id IS NULL
            AND updated_at >= ? AND stage IN ('resolved', 'closed'))
        SELECT i.stage, i.raised_on, i.resolved_on, c.name AS category,
          (SELECT e.to_stage FROM events e WHERE e.issue_id = i.id AND e.to_stage IS NOT NULL
             AND e.created_at < ? ORDER BY e.id DESC LIMIT 1) AS stage_at_end,
          (SELECT e.to_stage FROM events e WHERE e.issue_id = i.id AND e.to_stage IS NOT NULL
             AND e.created_at < ? ORDER BY e.id DESC LIMIT 1) AS stage_at_start
        FROM candidates JOIN issues i ON i.id = candidates.id JOIN categories c ON c.id = i.category_id
        WHERE i.raised_on < ?""", [ids, ids, first, next_first, first, next_first])


def resolved_counts_by_level(db, compound_ids: Iterable[int], first: str, next_first: str) -> dict[str, int]:
    """{resolved_level: n} of live issues resolved in [first, next_first)."""
    return {r["resolved_level"]: r["n"] for r in rows(db, f"""
        SELECT i.resolved_level, count(*) AS n FROM issues i
        WHERE i.compound_id {_IN} AND i.stage = 'resolved' AND i.resolved_on >= ? AND i.resolved_on < ?
          AND {LIVE} GROUP BY i.resolved_level""", [_ids(compound_ids), first, next_first])}


def escalations_open_during(db, compound_ids: Iterable[int], first: str, next_first: str) -> list[dict]:
    """[{compound, title, request, answer, answered_on}] of escalations requested before `next_first`
    and not answered before `first`, oldest request first."""
    return rows(db, f"""
        SELECT c.name AS compound, i.title, e.request, e.answer, e.answered_on
        FROM escalations e JOIN issues i ON i.id = e.issue_id JOIN compounds c ON c.id = i.compound_id
        WHERE i.compound_id {_IN} AND e.requested_on < ? AND (e.answered_on IS NULL OR e.answered_on >= ?)
          AND e.withdrawn_on IS NULL
        ORDER BY e.requested_on, e.id""", [_ids(compound_ids), next_first, first])


def actions_overdue_at(db, compound_ids: Iterable[int], cutoff: str) -> list[dict]:
    """[{id, compound, seat_name, task, due_on}] of actions due before `cutoff` and not done by then
    (still open, or done only on or after it), earliest due first."""
    # The first half reads the index of open actions per issue; the second scans actions once (no
    # index on done_on), which beats visiting every issue's actions across a district.
    ids = _ids(compound_ids)
    return rows(db, f"""
        SELECT * FROM (
          SELECT a.id, c.name AS compound, a.seat_name, a.task, a.due_on
          FROM issues i JOIN actions a ON a.issue_id = i.id JOIN compounds c ON c.id = i.compound_id
          WHERE i.compound_id {_IN} AND a.status IN ('open', 'in_progress') AND a.due_on < ?
          UNION ALL
          SELECT a.id, c.name, a.seat_name, a.task, a.due_on
          FROM actions a NOT INDEXED CROSS JOIN issues i ON i.id = a.issue_id JOIN compounds c ON c.id = i.compound_id
          WHERE a.status = 'done' AND a.done_on >= ? AND a.due_on < ? AND i.compound_id {_IN})
        ORDER BY due_on, id""", [ids, cutoff, cutoff, cutoff, ids])
