"""Compounds and their rules."""
from __future__ import annotations

from .db import one


def compound_exists(db, compound_id: int) -> bool:
    return one(db, "SELECT 1 AS ok FROM compounds WHERE id = ?", [compound_id]) is not None


def get_compound(db, compound_id: int) -> dict | None:
    return one(db, "SELECT * FROM compounds WHERE id = ?", [compound_id])
