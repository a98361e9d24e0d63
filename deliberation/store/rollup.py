"""The area roll-up (社区/街道/区 汇总): per-compound figures over a set of compounds, and the
area tree an officer picks from. A set of compounds goes in as one JSON parameter (json_each), so
each query's text is the same for any number of compounds. Every figure is computed over indexes
(migration m010_rollup_indexes)."""
from __future__ import annotations

import json
from typing import Iterable

from ..model.lifecycle import OPEN_STAGES
from .db import rows
from .issues import LIVE

_IN_SCOPE = "IN (SELECT value FROM json_each(?))"
_OPEN_SQL = ", ".join(f"'{s.value}'" for s in OPEN_STAGES)      # enum values: a fixed fragment
_DUE_STAGES = "'collected', 'deliberating', 'acting', 'escalated'"


def scope_param(compound_ids: Iterable[int]) -> str:
    """A set of compound ids as the JSON text `json_each(?)` reads."""
    return json.dumps(sorted(compound_ids))


def compounds_with_area(db, compound_ids: Iterable[int]) -> list[dict]:
    """[{compound_id, compound, area_id, area}] by compound id."""
    return rows(db, f"""
        SELECT c.id AS compound_id, c.name AS compound, c.area_id, a.name AS area
        FROM compounds c JOIN areas a ON a.id = c.area_id WHERE c.id {_IN_SCOPE} ORDER BY c.id""",
                [scope_param(compound_ids)])


def open_and_overdue_by_compound(db, compound_ids: Iterable[int], day: str) -> list[dict]:
    """[{compound_id, open, overdue}]: live issues in an open stage, and those of them past their
    stage's due date or with an action not done and due before `day`."""
    return rows(db, f"""
        SELECT i.compound_id, count(*) AS open,
               sum((i.stage IN ({_DUE_STAGES}) AND i.stage_due_on < ?)
                   OR EXISTS (SELECT 1 FROM actions a WHERE a.issue_id = i.id
                              AND a.status IN ('open', 'in_progress') AND a.due_on < ?)) AS overdue
        FROM issues i
        WHERE i.compound_id {_IN_SCOPE} AND i.stage IN ({_OPEN_SQL}) AND {LIVE}
        GROUP BY i.compound_id""", [day, day, scope_param(compound_ids)])


def outcomes_by_compound(db, compound_ids: Iterable[int], since: str) -> list[dict]:
    """[{compound_id, raised, resolved, closed, l_compound, l_community, l_subdistrict}] over live
    issues raised on or after `since`; l_<level>: resolved at that level."""
    return rows(db, f"""
        SELECT compound_id, count(*) AS raised, sum(stage = 'resolved') AS resolved, sum(stage = 'closed') AS closed,
               sum(resolved_level = 'compound') AS l_compound, sum(resolved_level = 'community') AS l_community,
               sum(resolved_level = 'subdistrict') AS l_subdistrict
        FROM issues WHERE compound_id {_IN_SCOPE} AND raised_on >= ? AND merged_into_id IS NULL
        GROUP BY compound_id""", [scope_param(compound_ids), since])


def duplicates_by_compound(db, compound_ids: Iterable[int], since: str) -> list[dict]:
    """[{compound_id, merged, closed_as_duplicate}] over issues raised on or after `since`: 合并 is
    every duplicate (merged into another, or closed as 重复 before merging existed); the second
    figure is the part of them that outcomes_by_compound counted as closed. Duplicates are all
    closed, so only the closed rows of the compound-stage index are read."""
    return rows(db, f"""
        SELECT compound_id, count(*) AS merged, sum(merged_into_id IS NULL) AS closed_as_duplicate
        FROM issues WHERE compound_id {_IN_SCOPE} AND stage = 'closed' AND raised_on >= ?
          AND (merged_into_id IS NOT NULL OR closed_reason = 'duplicate')
        GROUP BY compound_id""", [scope_param(compound_ids), since])


def days_to_resolve_by_compound(db, compound_ids: Iterable[int], since: str) -> list[tuple[int, float]]:
    """(compound_id, days from raised to resolved) of each live resolved issue raised since `since`."""
    # Plain tuples: a district has many thousands of these rows.
    return db.execute(f"""
        SELECT compound_id, julianday(resolved_on) - julianday(raised_on) FROM issues
        WHERE compound_id {_IN_SCOPE} AND raised_on >= ? AND stage = 'resolved' AND merged_into_id IS NULL""",
                      [scope_param(compound_ids), since]).fetchall()


def meetings_and_attendance_by_compound(db, compound_ids: Iterable[int], start: str, end: str) -> list[dict]:
    """[{compound_id, meetings, present, lines}] of meetings held and scheduled from `start` to
    `end`: present (in person or by proxy) over attendance lines."""
    return rows(db, f"""
        SELECT m.compound_id, count(DISTINCT m.id) AS meetings,
               sum(a.status IN ('present', 'proxy')) AS present, count(a.meeting_id) AS lines
        FROM meetings m LEFT JOIN attendance a ON a.meeting_id = m.id
        WHERE m.compound_id {_IN_SCOPE} AND m.status != 'planned' AND m.scheduled_at >= ?
          AND m.scheduled_at <= ?
        GROUP BY m.compound_id""", [scope_param(compound_ids), start, end])


_TREE_FROM = """
        WITH RECURSIVE tree(id, depth, path) AS (
          SELECT id, 0, printf('%08d', id) FROM areas WHERE {roots}
          UNION ALL SELECT a.id, tree.depth + 1, tree.path || '/' || printf('%08d', a.id)
          FROM areas a JOIN tree ON a.parent_id = tree.id WHERE a.retired_at IS NULL)
        SELECT a.id, a.name, a.level, tree.depth FROM tree JOIN areas a ON a.id = tree.id
        ORDER BY tree.path"""
_WHOLE_TREE = _TREE_FROM.format(roots="parent_id IS NULL AND retired_at IS NULL")
_TREE_BELOW = _TREE_FROM.format(roots="id = ?")


def areas_in_tree_order(db, root_area_id: int | None = None) -> list[dict]:
    """[{id, name, level, depth}] of the area and every area under it (None: every area), parents first."""
    if root_area_id is None:
        return rows(db, _WHOLE_TREE)
    return rows(db, _TREE_BELOW, [root_area_id])


def issue_counts_by_compound_and_category(db, compound_ids: Iterable[int], since: str) -> list[dict]:
    """[{compound_id, compound, category, n}]: live issues raised since `since`."""
    return rows(db, f"""
        SELECT i.compound_id, co.name AS compound, c.name AS category, count(*) AS n
        FROM issues i JOIN categories c ON c.id = i.category_id JOIN compounds co ON co.id = i.compound_id
        WHERE i.compound_id {_IN_SCOPE} AND i.raised_on >= ? AND {LIVE}
        GROUP BY i.compound_id, c.name ORDER BY i.compound_id, c.name""", [scope_param(compound_ids), since])


def demo_compound_ids(db, compound_ids: Iterable[int]) -> frozenset[int]:
    """Those of the compounds whose records are demo data."""
    return frozenset(r["id"] for r in rows(db, f"SELECT id FROM compounds WHERE demo = 1 AND id {_IN_SCOPE}",
                                           [scope_param(compound_ids)]))
