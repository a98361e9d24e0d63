"""The response clock of residents' concerns: when each was first answered (issues.responded_at)
and the concerns of a compound still waiting for their first answer."""
from __future__ import annotations

from .db import rows


def mark_responded(db, issue_id: int, at: str) -> None:
    """The concern's first answer: set once, never moved (a later answer keeps the first time)."""
    db.execute("UPDATE issues SET responded_at = ? WHERE id = ? AND responded_at IS NULL", [at, issue_id])


def unanswered_resident_concerns(db, compound_id: int) -> list[dict]:
    """Residents' concerns of the compound not yet accepted, merged or answered, oldest first:
    [{id, number, title, category, building, raised_on, received_at, demo}]."""
    return rows(db, """
        SELECT i.id, i.number, i.title, c.name AS category, i.building, i.raised_on,
               i.created_at AS received_at, i.demo
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE i.compound_id = ? AND i.raised_by_kind = 'resident' AND i.responded_at IS NULL
          AND i.merged_into_id IS NULL
        ORDER BY i.created_at, i.id""", [compound_id])
