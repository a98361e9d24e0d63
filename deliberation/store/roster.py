"""A compound's seats (the "1+8"), their members, and its issue categories."""
from __future__ import annotations

from .db import one


def get_seat(db, seat_id: int) -> dict | None:
    return one(db, "SELECT * FROM seats WHERE id = ?", [seat_id])
