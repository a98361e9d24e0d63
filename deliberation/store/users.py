"""Staff accounts and the compounds each works in."""
from __future__ import annotations

from .db import one, rows


def active_user(db, user_id: int) -> dict | None:
    return one(db, "SELECT * FROM users WHERE id = ? AND active = 1", [user_id])


def compound_ids_of_user(db, user_id: int) -> frozenset[int]:
    return frozenset(r["compound_id"] for r in rows(
        db, "SELECT compound_id FROM user_compounds WHERE user_id = ?", [user_id]))
