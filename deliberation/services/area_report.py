"""What the roll-up page needs beyond `rollup.area_rollup`: the areas an actor may roll up, the
category × compound counts for the heat map, and the escalations waiting in an area."""
from __future__ import annotations

from datetime import timedelta

from ..model.roles import Action
from ..store import rollup as rollup_store
from .actors import Actor
from .clock import today
from .escalation import pending_escalations
from .permissions import authorize
from .rollup import rollup_scope


def areas_for(db, actor: Actor) -> list[dict]:
    """[{id, name, level, depth}] the actor may roll up: an admin every area, an officer their own
    area and those under it. Tree order, parents first."""
    authorize(db, actor, Action.REPORTS)
    if actor.is_admin:
        return rollup_store.areas_in_tree_order(db)
    if actor.area_id is None:
        return []
    return rollup_store.areas_in_tree_order(db, actor.area_id)


def category_matrix(db, actor: Actor, area_id: int, *, window_days: int = 365) -> list[dict]:
    """[{compound_id, compound, category, n}]: issues raised in the window per compound and category,
    for the heat map, counted in one query."""
    scope = rollup_scope(db, actor, area_id)
    since = (today() - timedelta(days=window_days)).isoformat()
    return rollup_store.issue_counts_by_compound_and_category(db, scope, since)


def waiting_escalations(db, actor: Actor, area_id: int) -> list[dict]:
    """The escalations this actor may answer, from compounds under `area_id`."""
    scope = rollup_scope(db, actor, area_id)
    authorize(db, actor, Action.ANSWER_ESCALATION)
    return [e for e in pending_escalations(db, actor) if e["compound_id"] in scope]


def demo_compounds(db, actor: Actor, area_id: int) -> frozenset[int]:
    """Compounds under the area whose records are demo data (shown with a 示例 badge)."""
    return rollup_store.demo_compound_ids(db, rollup_scope(db, actor, area_id))
