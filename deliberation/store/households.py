"""Household codes (议事码): one live code per unit of a compound, kept only as a hash of the
normalised code. The plain code is never stored (services/households.py hands it out once)."""
from __future__ import annotations

from .db import one, rows


def insert_code(db, values: dict) -> int:
    return db["household_codes"].insert(values).last_pk


def code_by_hash(db, code_hash: str) -> dict | None:
    """The code row (any compound), revoked or not: the caller tells a revoked code apart."""
    return one(db, "SELECT * FROM household_codes WHERE code_hash = ?", [code_hash])


def live_code_of_unit(db, compound_id: int, unit: str) -> dict | None:
    return one(db, "SELECT * FROM household_codes WHERE compound_id = ? AND unit = ? AND revoked_at IS NULL",
               [compound_id, unit])


def revoke_code(db, code_id: int, when: str) -> None:
    db["household_codes"].update(code_id, {"revoked_at": when})


def codes_of_compound(db, compound_id: int) -> list[dict]:
    """Every code row of the compound (live first, then by unit), without the hash."""
    return rows(db, """SELECT id, unit, created_at, revoked_at FROM household_codes WHERE compound_id = ?
                       ORDER BY revoked_at IS NOT NULL, unit, id""", [compound_id])
