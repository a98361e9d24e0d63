"""Meetings (协商会议): schedule, state, minutes."""
from __future__ import annotations

from .db import one


def get_meeting(db, meeting_id: int) -> dict | None:
    return one(db, "SELECT * FROM meetings WHERE id = ?", [meeting_id])
