"""What the roll-up page needs beyond `rollup.area_rollup`: the areas an actor may roll up, the
category × compound counts for the heat map, and the escalations waiting in an area."""
from __future__ import annotations

import json
from datetime import timedelta

from ..model.roles import Action
from ..store import rows
from .actors import Actor
from .clock import today
from .permissions import authorize
from .escalation import pending_escalations
from .rollup import rollup_scope

def areas_for(db, actor: Actor) -> list[dict]:
    """[{id, name, level, depth}] the actor may roll up: an admin every area, an officer their own
    area and those under it. Tree order, parents first."""
    authorize(db, actor, Action.REPORTS)
    if actor.is_admin:
        roots, params = "parent_id IS NULL", []
    elif actor.area_id is None:
        return []
    else:
        roots, params = "id = ?", [actor.area_id]
    return rows(db, f"""
        WITH RECURSIVE tree(id, depth, path) AS (
          SELECT id, 0, printf('%08d', id) FROM areas WHERE {roots}
          UNION ALL SELECT a.id, tree.depth + 1, tree.path || '/' || printf('%08d', a.id)
          FROM areas a JOIN tree ON a.parent_id = tree.id)
        SELECT a.id, a.name, a.level, tree.depth FROM tree JOIN areas a ON a.id = tree.id
        ORDER BY tree.path""", params)


def category_matrix(db, actor: Actor, area_id: int, *, window_days: int = 365) -> list[dict]:
    """[{compound_id, compound, category, n}]: issues raised in the window per compound and category,
    for the heat map. Aggregated in SQL in one GROUP BY."""
    scope = rollup_scope(db, actor, area_id)
    since = (today() - timedelta(days=window_days)).isoformat()
    return rows(db, """
        SELECT i.compound_id, co.name AS compound, c.name AS category, count(*) AS n
        FROM issues i JOIN categories c ON c.id = i.category_id JOIN compounds co ON co.id = i.compound_id
        WHERE i.compound_id IN (SELECT value FROM json_each(?)) AND i.raised_on >= ? AND i.merged_into_id IS NULL
        GROUP BY i.compound_id, c.name ORDER BY i.compound_id, c.name""", [json.dumps(sorted(scope)), since])


def waiting_escalations(db, actor: Actor, area_id: int) -> list[dict]:
    """The escalations this actor may answer, from compounds under `area_id`."""
    scope = rollup_scope(db, actor, area_id)
    authorize(db, actor, Action.ANSWER_ESCALATION)
    return [e for e in pending_escalations(db, actor) if e["compound_id"] in scope]


def demo_compounds(db, actor: Actor, area_id: int) -> frozenset[int]:
    """Compounds under the area whose records are demo data (shown with a 示例 badge)."""
    scope = rollup_scope(db, actor, area_id)
    return frozenset(r["id"] for r in rows(db, """SELECT id FROM compounds WHERE demo = 1
        AND id IN (SELECT value FROM json_each(?))""", [json.dumps(sorted(scope))]))
