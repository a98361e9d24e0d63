"""Actions (合力干事): the work a decision assigns to a seat, with a due date."""
from __future__ import annotations

from datetime import date

from ..model.defaults import ACTION_STATUSES
from ..model.errors import DomainError, NotFound, StaleRecord
from ..model.roles import Action, Role
from ..store import one, rows, write
from .actors import Actor
from .clock import today
from .event_log import append_event
from .permissions import authorize, refuse


def _action(db, action_id: int) -> dict:
    found = one(db, """SELECT a.*, i.compound_id, s.code AS seat_code FROM actions a
                       JOIN issues i ON i.id = a.issue_id JOIN seats s ON s.id = a.seat_id WHERE a.id = ?""",
                [action_id])
    if found is None:
        raise NotFound("找不到该任务")
    return found


def update_action(db, actor: Actor, action_id: int, expected_version: int, *, status: str, note: str = "",
                  done_on: date | None = None) -> None:
    """A seat representative may update only the actions assigned to their own seat."""
    action = _action(db, action_id)
    if actor.role == Role.SEAT_REP:
        authorize(db, actor, Action.UPDATE_OWN_SEAT_ACTION, action["compound_id"])
        if action["seat_code"] != actor.seat_code:
            refuse(db, actor, Action.UPDATE_ACTION, action["compound_id"], "只能更新分配给本主体的任务(此操作已记录)")
    else:
        authorize(db, actor, Action.UPDATE_ACTION, action["compound_id"])
    if status not in ACTION_STATUSES:
        raise DomainError("任务状态不正确")
    if status == "done" and done_on and done_on > today():
        raise DomainError("完成日期不能晚于今天")
    with write(db):
        cur = db.execute("UPDATE actions SET version = version + 1 WHERE id = ? AND version = ?",
                         [action_id, expected_version])
        if cur.rowcount != 1:
            raise StaleRecord()
        db["actions"].update(action_id, {
            "status": status, "note": note.strip() or action["note"],
            "done_on": (done_on or today()).isoformat() if status == "done" else None})
        append_event(db, actor=actor, kind="action_updated", compound_id=action["compound_id"],
                     issue_id=action["issue_id"],
                     note=f"{action['seat_name']}:{action['task']} → {ACTION_STATUSES[status]}"
                          + (f"({note.strip()})" if note.strip() else ""),
                     data={"action_id": action_id, "status": status}, public=status == "done")


def actions_for_seat(db, actor: Actor, compound_id: int, seat_code: str | None = None) -> list[dict]:
    """我的任务: the actions of the actor's seat (or of a chosen seat for staff)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    code = actor.seat_code if actor.role == Role.SEAT_REP else seat_code
    sql = """SELECT a.*, i.title AS issue_title, i.stage AS issue_stage, s.code AS seat_code,
                    (a.status IN ('open','in_progress') AND a.due_on < ?) AS overdue
             FROM actions a JOIN issues i ON i.id = a.issue_id JOIN seats s ON s.id = a.seat_id
             WHERE i.compound_id = ? AND (? IS NULL OR s.code = ?)
             ORDER BY a.status IN ('done', 'cancelled'), a.due_on, a.id"""
    return rows(db, sql, [today().isoformat(), compound_id, code, code])


def overdue_actions(db, compound_id: int) -> list[dict]:
    return rows(db, """SELECT a.*, i.title AS issue_title FROM actions a JOIN issues i ON i.id = a.issue_id
                       WHERE i.compound_id = ? AND a.status IN ('open', 'in_progress') AND a.due_on < ?
                       ORDER BY a.due_on""", [compound_id, today().isoformat()])
