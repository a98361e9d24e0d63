"""Areas (区/街道/社区) and what lies under them."""
from __future__ import annotations

from .db import rows

_TREE_BELOW = """WITH RECURSIVE tree(id) AS (
    SELECT ? UNION ALL SELECT a.id FROM areas a JOIN tree ON a.parent_id = tree.id)"""


def compound_ids_under(db, area_id: int) -> frozenset[int]:
    """Every compound in the area or any area below it."""
    found = rows(db, _TREE_BELOW + " SELECT c.id FROM compounds c WHERE c.area_id IN (SELECT id FROM tree)",
                 [area_id])
    return frozenset(r["id"] for r in found)
