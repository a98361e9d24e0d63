"""Meetings (协商会议): schedule, state, minutes."""
from __future__ import annotations

from ..model.errors import NotFound
from .db import one, rows


def get_meeting(db, meeting_id: int) -> dict | None:
    return one(db, "SELECT * FROM meetings WHERE id = ?", [meeting_id])


def meeting_id_by_number(db, compound_id: int, number: int) -> int | None:
    """The id of the compound's 第N次 meeting."""
    found = one(db, "SELECT id FROM meetings WHERE compound_id = ? AND number = ?", [compound_id, number])
    return found and found["id"]


def meetings_of_compound(db, compound_id: int) -> list[dict]:
    """Every meeting of the compound, newest first, with the number of agenda items."""
    return rows(db, """
        SELECT m.*, (SELECT count(*) FROM agenda_items a WHERE a.meeting_id = m.id) AS items
        FROM meetings m WHERE m.compound_id = ? ORDER BY m.number DESC""", [compound_id])


def has_planned_meeting(db, compound_id: int) -> bool:
    return one(db, "SELECT id FROM meetings WHERE compound_id = ? AND status = 'planned'",
               [compound_id]) is not None


def next_meeting_number(db, compound_id: int) -> int:
    """The number the compound's next meeting gets (1 for its first)."""
    return (one(db, "SELECT max(number) AS n FROM meetings WHERE compound_id = ?", [compound_id])["n"] or 0) + 1


def insert_meeting(db, values: dict) -> int:
    return db["meetings"].insert(values).last_pk


def update_meeting(db, meeting_id: int, values: dict) -> None:
    db["meetings"].update(meeting_id, values)


def claim_meeting_version(db, meeting_id: int, expected_version: int | None) -> bool:
    """Bump the version if it is still `expected_version` (None: whatever it is); False when
    someone changed the meeting first."""
    if expected_version is None:
        db.execute("UPDATE meetings SET version = version + 1 WHERE id = ?", [meeting_id])
        return True
    cursor = db.execute("UPDATE meetings SET version = version + 1 WHERE id = ? AND version = ?",
                        [meeting_id, expected_version])
    return cursor.rowcount == 1


def count_held_meetings(db, compound_id: int) -> int:
    """Meetings of the compound that have begun (any status but planned)."""
    return one(db, "SELECT count(*) AS n FROM meetings WHERE compound_id = ? AND status != 'planned'",
               [compound_id])["n"]


def require_meeting(db, meeting_id: int) -> dict:
    """The meeting's row, or NotFound (a stale link, a tampered id)."""
    meeting = get_meeting(db, meeting_id)
    if meeting is None:
        raise NotFound("找不到该会议")
    return meeting


def next_planned_meeting(db, compound_id: int) -> dict | None:
    """The earliest meeting planned but not yet opened (the one new agenda items go to)."""
    return one(db, """SELECT * FROM meetings WHERE compound_id = ? AND status = 'planned'
                      ORDER BY scheduled_at, number LIMIT 1""", [compound_id])


def current_or_planned_meeting(db, compound_id: int) -> dict | None:
    """A meeting under way, or else the earliest planned one."""
    return one(db, """SELECT * FROM meetings WHERE compound_id = ? AND status IN ('in_progress', 'planned')
                      ORDER BY status = 'in_progress' DESC, scheduled_at, number LIMIT 1""", [compound_id])
