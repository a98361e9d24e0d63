"""What merging a duplicate issue into another moves or ends (services/merging.py)."""
from __future__ import annotations

from .db import rows


def reports_to_move(db, duplicate_id: int, into_id: int) -> tuple[list[int], list[int]]:
    """(ids of the duplicate's reports that move to `into_id`, ids that stay behind). A household
    (by its code) or a seat that already reported `into_id` stays behind: it counts once there
    already. Staff-entered and code-less reports always move."""
    found = rows(db, """
        SELECT r.id, EXISTS (
          SELECT 1 FROM reports t WHERE t.issue_id = ?
            AND ((r.household_code_id IS NOT NULL AND t.household_code_id = r.household_code_id)
                 OR (r.kind = 'seat' AND r.seat_id IS NOT NULL AND t.kind = 'seat' AND t.seat_id = r.seat_id))
        ) AS counted
        FROM reports r WHERE r.issue_id = ? ORDER BY r.id""", [into_id, duplicate_id])
    return [r["id"] for r in found if not r["counted"]], [r["id"] for r in found if r["counted"]]


def move_reports(db, report_ids: list[int], into_id: int) -> None:
    for report_id in report_ids:
        db.execute("UPDATE reports SET issue_id = ? WHERE id = ?", [into_id, report_id])


def move_photos(db, duplicate_id: int, into_id: int) -> int:
    """Every photo of the duplicate (residents', site and result photos, public or not, removed
    ones' rows too) now belongs to `into_id`. Returns how many."""
    return db.execute("UPDATE photos SET issue_id = ? WHERE issue_id = ?", [into_id, duplicate_id]).rowcount


def open_actions(db, issue_id: int) -> list[dict]:
    """The issue's actions not done nor cancelled."""
    return rows(db, "SELECT * FROM actions WHERE issue_id = ? AND status IN ('open', 'in_progress') ORDER BY id",
                [issue_id])


def undecided_agenda_items(db, issue_id: int) -> list[dict]:
    """The issue's items without a decision on meetings not yet over (planned or running), with the
    meeting's number and whether votes were recorded on the item."""
    return rows(db, """
        SELECT a.id, a.meeting_id, m.number AS meeting_number, m.status,
               EXISTS (SELECT 1 FROM votes v WHERE v.agenda_item_id = a.id) AS has_votes
        FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
        WHERE a.issue_id = ? AND a.outcome IS NULL AND m.status IN ('planned', 'in_progress')
        ORDER BY m.number""", [issue_id])


def delete_agenda_item(db, item_id: int) -> None:
    db.execute("DELETE FROM agenda_items WHERE id = ?", [item_id])
