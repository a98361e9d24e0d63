"""Actions (合力干事): the work a decision assigns to a seat, with a due date."""
from __future__ import annotations

from datetime import date

from ..model.defaults import ACTION_STATUSES
from ..model.errors import DomainError, NotFound
from ..model.roles import Action, Role
from ..store import actions as action_store
from .actors import Actor
from .clock import today
from .permissions import authorize, may, refuse
from .use_case import changing


def _action(db, action_id: int) -> dict:
    found = action_store.get_action(db, action_id)
    if found is None:
        raise NotFound("找不到该任务")
    return found


def update_action(db, actor: Actor, action_id: int, expected_version: int, *, status: str, note: str = "",
                  done_on: date | None = None) -> None:
    """A seat representative may update only the actions assigned to their own seat."""
    action = _action(db, action_id)
    compound_id = action["compound_id"]
    if actor.role == Role.SEAT_REP:
        permission = Action.UPDATE_OWN_SEAT_ACTION
        # Beyond role and scope: another seat's action is refused (and audited) before the change.
        if may(actor, permission, compound_id) and action["seat_code"] != actor.seat_code:
            refuse(db, actor, Action.UPDATE_ACTION, compound_id, "只能更新分配给本主体的任务(此操作已记录)")
    else:
        permission = Action.UPDATE_ACTION
    with changing(db, actor, permission, compound_id) as change:
        if status not in ACTION_STATUSES:
            raise DomainError("任务状态不正确")
        if status == "done" and done_on and done_on > today():
            raise DomainError("完成日期不能晚于今天")
        action = _action(db, action_id)
        action_store.update_action_at_version(db, action_id, expected_version, {
            "status": status, "note": note.strip() or action["note"],
            "done_on": (done_on or today()).isoformat() if status == "done" else None})
        change.record("action_updated", issue_id=action["issue_id"],
                      note=f"{action['seat_name']}:{action['task']} → {ACTION_STATUSES[status]}"
                           + (f"({note.strip()})" if note.strip() else ""),
                      data={"action_id": action_id, "status": status}, public=status == "done")


def actions_for_seat(db, actor: Actor, compound_id: int, seat_code: str | None = None) -> list[dict]:
    """我的任务: the actions of the actor's seat (or of a chosen seat for staff)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    code = actor.seat_code if actor.role == Role.SEAT_REP else seat_code
    return action_store.actions_of_seat(db, compound_id, code, today().isoformat())
