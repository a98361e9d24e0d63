"""Compounds and their rules."""
from __future__ import annotations

import json
from typing import Iterable

from .db import one, rows
from .issues import LIVE


def compound_exists(db, compound_id: int) -> bool:
    return one(db, "SELECT 1 AS ok FROM compounds WHERE id = ?", [compound_id]) is not None


def get_compound(db, compound_id: int) -> dict | None:
    return one(db, "SELECT * FROM compounds WHERE id = ?", [compound_id])


def compound_ids_named(db, name: str) -> list[int]:
    return [r["id"] for r in rows(db, "SELECT id FROM compounds WHERE name = ?", [name])]


def compound_id_in_area(db, area_id: int, name: str) -> int | None:
    """The compound of that name in that area (names are unique within an area)."""
    found = one(db, "SELECT id FROM compounds WHERE area_id = ? AND name = ?", [area_id, name])
    return found and found["id"]


def compounds_overview(db, compound_ids: Iterable[int] | None) -> list[dict]:
    """Id, name, area, demo flag and counts (held meetings, live issues, resolved issues) of the
    given compounds, or of all when `compound_ids` is None. Retired compounds are left out (pickers)."""
    # Scope in SQL: a secretary of one compound must not pay for the counts of a whole district.
    scope, params = ("WHERE c.retired_at IS NULL", []) if compound_ids is None else (
        "WHERE c.retired_at IS NULL AND c.id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(compound_ids))])
    return rows(db, f"""
        SELECT c.id, c.name, c.area_id, c.demo,
          (SELECT count(*) FROM meetings m WHERE m.compound_id = c.id AND m.status != 'planned') AS meetings,
          (SELECT count(*) FROM issues i WHERE i.compound_id = c.id AND {LIVE}) AS issues,
          (SELECT count(*) FROM issues i WHERE i.compound_id = c.id AND i.stage = 'resolved') AS resolved
        FROM compounds c {scope} ORDER BY c.id""", params)


def insert_compound(db, values: dict) -> int:
    return db["compounds"].insert(values).last_pk


def claim_compound_version(db, compound_id: int, expected_version: int) -> bool:
    """Bump the version if it is still `expected_version`; False when someone changed it first."""
    cursor = db.execute("UPDATE compounds SET version = version + 1 WHERE id = ? AND version = ?",
                        [compound_id, expected_version])
    return cursor.rowcount == 1


def update_compound(db, compound_id: int, values: dict) -> None:
    db["compounds"].update(compound_id, values)


# --- managing compounds (issue 12) ---------------------------------------------------------------

def compounds_in_areas(db, area_ids: Iterable[int] | None) -> list[dict]:
    """The settings-page view of every compound (retired ones too) in the given areas (None: all):
    id, name, area_id, address, households, branch_name, retired_at, demo, version."""
    scope, params = ("", []) if area_ids is None else (
        "WHERE area_id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(area_ids))])
    return rows(db, f"""SELECT id, name, area_id, address, households, branch_name, retired_at, demo, version
                        FROM compounds {scope} ORDER BY area_id, id""", params)
