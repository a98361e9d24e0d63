"""The minutes' corrections: optimistic versions of agenda items and amendments after approval."""
from __future__ import annotations

from .db import rows


def claim_item_version(db, item_id: int, expected_version: int) -> bool:
    """Bump the item's version if it is still `expected_version`; False when someone changed it first."""
    cursor = db.execute("UPDATE agenda_items SET version = version + 1 WHERE id = ? AND version = ?",
                        [item_id, expected_version])
    return cursor.rowcount == 1


def insert_amendment(db, values: dict) -> int:
    return db["minutes_amendments"].insert(values).last_pk


def amendments_of_meeting(db, meeting_id: int) -> list[dict]:
    """Every amendment made after approval, oldest first, with the item's place in the minutes
    (1, 2 … as they number the items) and its issue's title."""
    return rows(db, """
        SELECT x.*, i.title, i.number AS issue_number,
               (SELECT count(*) FROM agenda_items b WHERE b.meeting_id = a.meeting_id AND b.position <= a.position)
                 AS position
        FROM minutes_amendments x JOIN agenda_items a ON a.id = x.agenda_item_id JOIN issues i ON i.id = a.issue_id
        WHERE x.meeting_id = ? ORDER BY x.id""", [meeting_id])
