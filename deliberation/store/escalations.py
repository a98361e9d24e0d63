"""Escalations (上报) of an issue up the ladder (社区 → 街道), the steps it climbed, and the answers.

An escalation waits while it is neither answered nor withdrawn (WAITING); one passed up keeps its
row, with its area and level moved up and the step kept in escalation_passes."""
from __future__ import annotations

from ..model.errors import StaleRecord
from .db import one, rows

WAITING = "e.answered_on IS NULL AND e.withdrawn_on IS NULL"


def get_escalation(db, escalation_id: int) -> dict | None:
    """The escalation with its issue's compound and number and its area's name, level and parent."""
    return one(db, """
        SELECT e.*, i.compound_id, i.number AS issue_number, a.name AS area_name, a.level AS area_level,
               a.parent_id AS area_parent_id
        FROM escalations e JOIN issues i ON i.id = e.issue_id JOIN areas a ON a.id = e.area_id
        WHERE e.id = ?""", [escalation_id])


def insert_escalation(db, values: dict) -> int:
    return db["escalations"].insert(values).last_pk


def update_escalation_at_version(db, escalation_id: int, version: int, changes: dict) -> int:
    """Write `changes` if the row still has `version`; return the new version, or raise StaleRecord
    (answered or passed up meanwhile, or a second click): nothing is written then."""
    cur = db.execute("UPDATE escalations SET version = version + 1 WHERE id = ? AND version = ?",
                     [escalation_id, version])
    if cur.rowcount != 1:
        raise StaleRecord()
    if changes:
        db["escalations"].update(escalation_id, changes)
    return version + 1


def unanswered_escalations_to(db, area_id: int | None, *, anywhere: bool = False) -> list[dict]:
    """Escalations waiting for an answer from `area_id` or any area under it (every area with
    `anywhere`), oldest first, with the issue's title, number and compound and the area's name
    and level."""
    return rows(db, f"""
        WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT a.id FROM areas a JOIN tree ON a.parent_id = tree.id)
        SELECT e.*, i.title, i.number AS issue_number, i.compound_id, c.name AS compound, a.name AS area_name,
               a.level AS area_level
        FROM escalations e JOIN issues i ON i.id = e.issue_id JOIN compounds c ON c.id = i.compound_id
        JOIN areas a ON a.id = e.area_id
        WHERE {WAITING} AND (? OR e.area_id IN (SELECT id FROM tree))
        ORDER BY e.requested_on, e.id""", [area_id, int(anywhere)])


def has_unanswered_escalation(db, issue_id: int) -> bool:
    """Whether the issue waits for an answer from above."""
    return one(db, f"SELECT 1 AS x FROM escalations e WHERE e.issue_id = ? AND {WAITING}",
               [issue_id]) is not None


def waiting_escalation_of_issue(db, issue_id: int) -> dict | None:
    """The issue's escalation still waiting for an answer (at most one: a waiting issue stays in 上报)."""
    return one(db, f"""SELECT e.*, a.name AS area_name FROM escalations e JOIN areas a ON a.id = e.area_id
                       WHERE e.issue_id = ? AND {WAITING} ORDER BY e.id LIMIT 1""", [issue_id])


def escalations_of_issue(db, issue_id: int) -> list[dict]:
    """The issue's escalations in the order sent, with the name of the area asked now."""
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


# --- the steps up the ladder ---------------------------------------------------------------------

def area_above_area(db, area_id: int, level: str) -> dict | None:
    """The area of `level` that `area_id` lies in (itself excluded): id and name."""
    return one(db, """WITH RECURSIVE up(id, name, level, parent_id, depth) AS (
                        SELECT id, name, level, parent_id, 0 FROM areas WHERE id = ?
                        UNION ALL SELECT a.id, a.name, a.level, a.parent_id, up.depth + 1
                        FROM areas a JOIN up ON a.id = up.parent_id)
                      SELECT id, name FROM up WHERE level = ? AND depth > 0 ORDER BY depth LIMIT 1""",
               [area_id, level])


def insert_pass(db, values: dict) -> int:
    return db["escalation_passes"].insert(values).last_pk


def passes_of_escalations(db, escalation_ids: list[int]) -> list[dict]:
    """Every step these escalations climbed, oldest first, with the areas' names."""
    if not escalation_ids:
        return []
    marks = ", ".join("?" for _ in escalation_ids)
    return rows(db, f"""
        SELECT p.*, f.name AS from_area, t.name AS to_area FROM escalation_passes p
        JOIN areas f ON f.id = p.from_area_id JOIN areas t ON t.id = p.to_area_id
        WHERE p.escalation_id IN ({marks}) ORDER BY p.id""", list(escalation_ids))


def passes_of_issue(db, issue_id: int) -> list[dict]:
    """Every step the issue's escalations climbed, oldest first, with the areas' names."""
    return rows(db, """
        SELECT p.*, f.name AS from_area, t.name AS to_area FROM escalation_passes p
        JOIN areas f ON f.id = p.from_area_id JOIN areas t ON t.id = p.to_area_id
        WHERE p.issue_id = ? ORDER BY p.id""", [issue_id])
