"""Areas (区/街道/社区) and what lies under them."""
from __future__ import annotations

from .db import one, rows

_TREE_BELOW = """WITH RECURSIVE tree(id) AS (
    SELECT ? UNION ALL SELECT a.id FROM areas a JOIN tree ON a.parent_id = tree.id)"""


def compound_ids_under(db, area_id: int) -> frozenset[int]:
    """Every compound in the area or any area below it."""
    found = rows(db, _TREE_BELOW + " SELECT c.id FROM compounds c WHERE c.area_id IN (SELECT id FROM tree)",
                 [area_id])
    return frozenset(r["id"] for r in found)


def get_area(db, area_id: int) -> dict | None:
    return one(db, "SELECT * FROM areas WHERE id = ?", [area_id])


def area_id_named(db, name: str, parent_id: int | None) -> int | None:
    """The area of that name directly under `parent_id` (None: a top-level area)."""
    found = one(db, "SELECT id FROM areas WHERE name = ? AND parent_id IS ?", [name, parent_id])
    return found and found["id"]


def areas_named(db, name: str) -> list[dict]:
    return rows(db, "SELECT * FROM areas WHERE name = ?", [name])


def all_areas(db) -> list[dict]:
    return rows(db, "SELECT id, name, level, parent_id FROM areas ORDER BY id")


def area_names_from_top(db, area_id: int) -> list[str]:
    """The names from the top-level area down to `area_id` itself."""
    chain = rows(db, """
        WITH RECURSIVE up(id, name, parent_id, depth) AS (
          SELECT id, name, parent_id, 0 FROM areas WHERE id = ?
          UNION ALL SELECT a.id, a.name, a.parent_id, up.depth + 1 FROM areas a JOIN up ON a.id = up.parent_id)
        SELECT name FROM up ORDER BY depth DESC""", [area_id])
    return [r["name"] for r in chain]


def area_above_compound(db, compound_id: int, level: str) -> dict | None:
    """The area of `level` (community, subdistrict…) that the compound lies in: id and name."""
    return one(db, """WITH RECURSIVE up(id, name, level, parent_id) AS (
                        SELECT a.id, a.name, a.level, a.parent_id FROM areas a JOIN compounds c ON c.area_id = a.id
                        WHERE c.id = ?
                        UNION ALL SELECT a.id, a.name, a.level, a.parent_id FROM areas a JOIN up ON a.id = up.parent_id)
                      SELECT id, name FROM up WHERE level = ?""", [compound_id, level])


def insert_area(db, values: dict) -> int:
    return db["areas"].insert(values).last_pk


def area_ids_under(db, area_id: int) -> frozenset[int]:
    """The area itself and every area below it."""
    return frozenset(r["id"] for r in rows(db, _TREE_BELOW + " SELECT id FROM tree", [area_id]))


# --- managing areas (issue 12): retired areas and compounds stay, out of pickers and counts ----------

def live_compound_ids_under(db, area_id: int) -> frozenset[int]:
    """The compounds under the area (at any depth) that are not retired: what roll-ups count."""
    found = rows(db, _TREE_BELOW + """ SELECT c.id FROM compounds c
                 WHERE c.area_id IN (SELECT id FROM tree) AND c.retired_at IS NULL""", [area_id])
    return frozenset(r["id"] for r in found)


def live_children(db, area_id: int) -> list[dict]:
    """Id and name of the areas directly under `area_id` that are not retired."""
    return rows(db, "SELECT id, name FROM areas WHERE parent_id = ? AND retired_at IS NULL ORDER BY id", [area_id])


def areas_for_management(db, root_area_id: int | None) -> list[dict]:
    """[{id, name, level, parent_id, retired_at, demo, depth}] of the area and every area under it
    (None: every area), parents first, retired ones included (marked)."""
    roots, params = ("parent_id IS NULL", []) if root_area_id is None else ("id = ?", [root_area_id])
    return rows(db, f"""
        WITH RECURSIVE tree(id, depth, path) AS (
          SELECT id, 0, printf('%08d', id) FROM areas WHERE {roots}
          UNION ALL SELECT a.id, tree.depth + 1, tree.path || '/' || printf('%08d', a.id)
          FROM areas a JOIN tree ON a.parent_id = tree.id)
        SELECT a.id, a.name, a.level, a.parent_id, a.retired_at, a.demo, tree.depth
        FROM tree JOIN areas a ON a.id = tree.id ORDER BY tree.path""", params)


def update_area(db, area_id: int, values: dict) -> None:
    db["areas"].update(area_id, values)
