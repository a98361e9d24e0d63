"""The agenda of a meeting (agenda_items) and the seats' votes on each item."""
from __future__ import annotations

from .db import one, rows
from .issues import LIVE

# --- agenda items --------------------------------------------------------------------------


def get_agenda_item(db, item_id: int) -> dict | None:
    return one(db, "SELECT * FROM agenda_items WHERE id = ?", [item_id])


def agenda_of_meeting(db, meeting_id: int) -> list[dict]:
    """The items in order, each with its issue's title, stage, version, compound and category."""
    return rows(db, """
        SELECT a.*, i.number AS issue_number, i.title, i.stage, i.version AS issue_version, i.compound_id, c.name AS category
        FROM agenda_items a JOIN issues i ON i.id = a.issue_id JOIN categories c ON c.id = i.category_id
        WHERE a.meeting_id = ? ORDER BY a.position""", [meeting_id])


def agenda_item_ids(db, meeting_id: int) -> list[int]:
    """The meeting's item ids in agenda order."""
    return [r["id"] for r in rows(db, "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position",
                                  [meeting_id])]


def issue_on_agenda(db, meeting_id: int, issue_id: int) -> bool:
    return one(db, "SELECT id FROM agenda_items WHERE meeting_id = ? AND issue_id = ?",
               [meeting_id, issue_id]) is not None


def next_agenda_position(db, meeting_id: int) -> int:
    return (one(db, "SELECT max(position) AS p FROM agenda_items WHERE meeting_id = ?",
                [meeting_id])["p"] or 0) + 1


def insert_agenda_item(db, meeting_id: int, issue_id: int, position: int) -> int:
    return db["agenda_items"].insert({"meeting_id": meeting_id, "issue_id": issue_id,
                                      "position": position}).last_pk


def update_agenda_item(db, item_id: int, values: dict) -> None:
    db["agenda_items"].update(item_id, values)


def delete_agenda_item(db, item_id: int) -> None:
    db["agenda_items"].delete(item_id)


def set_agenda_order(db, item_ids: list[int]) -> None:
    """Positions 1, 2, … in the order given."""
    for position, item_id in enumerate(item_ids, start=1):
        db.execute("UPDATE agenda_items SET position = ? WHERE id = ?", [position, item_id])


def undecided_issue_ids(db, meeting_id: int) -> list[int]:
    return [r["issue_id"] for r in rows(
        db, "SELECT issue_id FROM agenda_items WHERE meeting_id = ? AND outcome IS NULL", [meeting_id])]


def defer_undecided_items(db, meeting_id: int, decided_at: str) -> None:
    """Every item still without an outcome becomes 暂缓 (deferred)."""
    db.execute("UPDATE agenda_items SET outcome = 'deferred', decided_at = ? WHERE meeting_id = ? AND outcome IS NULL",
               [decided_at, meeting_id])


def issues_proposed_for_agenda(db, compound_id: int, day: str) -> list[dict]:
    """What the compound's next meeting should take up, not already on a planned or running
    meeting's agenda: carry-overs (民主议事), accepted concerns waiting (巡访问事), and issues in
    合力干事 with an action overdue on `day` (ISO date). `reason` says which."""
    return rows(db, """
        SELECT i.id, i.number, i.title, i.stage, i.raised_on, i.version, c.name AS category,
          CASE WHEN i.stage = 'deliberating' THEN 'carry_over'
               WHEN i.stage = 'collected' THEN 'waiting'
               ELSE 'overdue_actions' END AS reason
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE i.compound_id = ? AND """ + LIVE + """ AND i.id NOT IN (
            SELECT a.issue_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
            WHERE m.compound_id = ? AND m.status IN ('planned', 'in_progress'))
          AND ((i.stage IN ('collected') AND i.accepted_at IS NOT NULL)
               OR i.stage = 'deliberating'
               OR (i.stage = 'acting' AND EXISTS (SELECT 1 FROM actions x WHERE x.issue_id = i.id
                    AND x.status IN ('open', 'in_progress') AND x.due_on < ?)))
        ORDER BY CASE i.stage WHEN 'deliberating' THEN 0 WHEN 'acting' THEN 1 ELSE 2 END, i.raised_on, i.id""",
        [compound_id, compound_id, day])


# --- votes ---------------------------------------------------------------------------------


def item_has_votes(db, item_id: int) -> bool:
    return one(db, "SELECT 1 AS x FROM votes WHERE agenda_item_id = ?", [item_id]) is not None


def votes_of_item(db, item_id: int) -> list[dict]:
    """[{seat_id, seat_name, vote}] by seat id."""
    return rows(db, "SELECT seat_id, seat_name, vote FROM votes WHERE agenda_item_id = ? ORDER BY seat_id", [item_id])


def votes_in_roster_order(db, item_id: int) -> list[dict]:
    """[{seat_name, vote}] in the seats' roster order (as the minutes list them)."""
    return rows(db, """SELECT v.seat_name, v.vote FROM votes v JOIN seats s ON s.id = v.seat_id
                       WHERE v.agenda_item_id = ? ORDER BY s.position""", [item_id])


def replace_votes(db, item_id: int, votes: list[dict]) -> None:
    """The item's votes become exactly `votes` ([{seat_id, seat_name, vote}])."""
    db.execute("DELETE FROM votes WHERE agenda_item_id = ?", [item_id])
    db["votes"].insert_all([{"agenda_item_id": item_id, **vote} for vote in votes])


def meetings_of_issue(db, issue_id: int) -> list[dict]:
    """Every meeting that had the issue on its agenda, by number, with that item's discussion,
    decision and outcome."""
    return rows(db, """
        SELECT a.id AS agenda_item_id, m.id AS meeting_id, m.number, m.scheduled_at, m.status,
               a.discussion, a.decision, a.outcome
        FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
        WHERE a.issue_id = ? ORDER BY m.number""", [issue_id])
