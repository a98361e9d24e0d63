"""Actions (合力干事): tasks a decision assigns to a seat, with a due date and a version."""
from __future__ import annotations

from ..model.errors import StaleRecord
from .db import one, rows


def get_action(db, action_id: int) -> dict | None:
    """The action with its issue's compound_id and its seat's code (who may update it)."""
    return one(db, """SELECT a.*, i.compound_id, s.code AS seat_code FROM actions a
                      JOIN issues i ON i.id = a.issue_id JOIN seats s ON s.id = a.seat_id WHERE a.id = ?""",
               [action_id])


def update_action_at_version(db, action_id: int, version: int, changes: dict) -> None:
    """Write `changes` if the row still has `version`, else raise StaleRecord (nothing written)."""
    cur = db.execute("UPDATE actions SET version = version + 1 WHERE id = ? AND version = ?",
                     [action_id, version])
    if cur.rowcount != 1:
        raise StaleRecord()
    db["actions"].update(action_id, changes)


def actions_of_issue(db, issue_id: int, day: str) -> list[dict]:
    """The issue's actions in the order given, each flagged overdue if open past its due date on `day`."""
    return rows(db, """
        SELECT a.*, (a.status IN ('open','in_progress') AND a.due_on < ?) AS overdue
        FROM actions a WHERE a.issue_id = ? ORDER BY a.id""", [day, issue_id])


def actions_of_seat(db, compound_id: int, seat_code: str | None, day: str) -> list[dict]:
    """A compound's actions of one seat (every seat when `seat_code` is None), open ones first by
    due date, with the issue's title and stage and an overdue flag on `day`."""
    return rows(db, """SELECT a.*, i.number AS issue_number, i.title AS issue_title, i.stage AS issue_stage, s.code AS seat_code,
                              (a.status IN ('open','in_progress') AND a.due_on < ?) AS overdue
                       FROM actions a JOIN issues i ON i.id = a.issue_id JOIN seats s ON s.id = a.seat_id
                       WHERE i.compound_id = ? AND (? IS NULL OR s.code = ?)
                       ORDER BY a.status IN ('done', 'cancelled'), a.due_on, a.id""",
                [day, compound_id, seat_code, seat_code])


def insert_action(db, values: dict) -> int:
    return db["actions"].insert(values).last_pk


def actions_of_agenda_item(db, item_id: int) -> list[dict]:
    """The actions a decision on this agenda item assigned, in the order given."""
    return rows(db, "SELECT * FROM actions WHERE agenda_item_id = ? ORDER BY id", [item_id])


# --- changes to the plan: cancelled, or due date moved (the secretary's, with a reason) -----------

def insert_action_change(db, values: dict) -> int:
    return db["action_changes"].insert(values).last_pk


def action_changes_since_last_meeting(db, compound_id: int) -> list[dict]:
    """The compound's cancelled and moved actions since its latest meeting ended (every one when
    none has): what the next meeting is told (任务变更), still shown while it runs.
    Oldest first, each with its action's task and seat, and its issue's id, title and stage."""
    return rows(db, """
        SELECT c.id, c.action_id, c.kind, c.old_due_on, c.new_due_on, c.reason, c.changed_by_label,
               c.changed_at, a.task, a.seat_name, a.issue_id, i.number AS issue_number, i.title AS issue_title, i.stage AS issue_stage
        FROM action_changes c JOIN actions a ON a.id = c.action_id JOIN issues i ON i.id = a.issue_id
        WHERE i.compound_id = ? AND c.changed_at > coalesce(
            (SELECT max(m.ended_at) FROM meetings m WHERE m.compound_id = ?
             AND m.status IN ('held', 'minutes_approved', 'published')), '')
        ORDER BY c.changed_at, c.id""", [compound_id, compound_id])

