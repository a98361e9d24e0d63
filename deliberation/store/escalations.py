"""Escalations (上报) of an issue to the community or subdistrict, and their answers."""
from __future__ import annotations

from .db import one, rows


def get_escalation(db, escalation_id: int) -> dict | None:
    return one(db, "SELECT * FROM escalations WHERE id = ?", [escalation_id])


def insert_escalation(db, values: dict) -> int:
    return db["escalations"].insert(values).last_pk


def update_escalation(db, escalation_id: int, values: dict) -> None:
    db["escalations"].update(escalation_id, values)


def unanswered_escalations_to(db, area_id: int | None, *, anywhere: bool = False) -> list[dict]:
    """Escalations waiting for an answer from `area_id` or any area under it (every area with
    `anywhere`), oldest first, with the issue's title and compound and the area's name."""
    return rows(db, """
        WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT a.id FROM areas a JOIN tree ON a.parent_id = tree.id)
        SELECT e.*, i.title, i.compound_id, c.name AS compound, a.name AS area_name
        FROM escalations e JOIN issues i ON i.id = e.issue_id JOIN compounds c ON c.id = i.compound_id
        JOIN areas a ON a.id = e.area_id
        WHERE e.answered_on IS NULL AND (? OR e.area_id IN (SELECT id FROM tree))
        ORDER BY e.requested_on, e.id""", [area_id, int(anywhere)])


def has_unanswered_escalation(db, issue_id: int) -> bool:
    """Whether the issue waits for an answer from above."""
    return one(db, "SELECT 1 AS x FROM escalations WHERE issue_id = ? AND answered_on IS NULL",
               [issue_id]) is not None


def escalations_of_issue(db, issue_id: int) -> list[dict]:
    """The issue's escalations in the order sent, with the name of the area asked."""
    return rows(db, """
        SELECT e.*, ar.name AS area_name FROM escalations e JOIN areas ar ON ar.id = e.area_id
        WHERE e.issue_id = ? ORDER BY e.id""", [issue_id])


def count_escalated_issues(db, compound_id: int) -> int:
    """Issues of the compound escalated at least once."""
    return one(db, """SELECT count(DISTINCT e.issue_id) AS n FROM escalations e JOIN issues i
                      ON i.id = e.issue_id WHERE i.compound_id = ?""", [compound_id])["n"]


def count_answered_escalations(db, compound_id: int) -> int:
    return one(db, """SELECT count(*) AS n FROM escalations e JOIN issues i ON i.id = e.issue_id
                      WHERE i.compound_id = ? AND e.answered_on IS NOT NULL""", [compound_id])["n"]
