"""Actions (合力干事): the work a decision assigns to a seat, with a due date.

A seat marks its own actions 进行中 or 已完成, with a note; what the decision fixed (whether the
action stands, and by when) changes only by the secretary, with a reason, and the next meeting
is told (任务变更). So the overdue count moves only by work done or by such a recorded change."""
from __future__ import annotations

from datetime import date

from ..model.defaults import ACTION_STATUSES
from ..model.errors import DomainError, NotFound
from ..model.roles import Action, Role
from ..store import actions as action_store
from .actors import Actor
from .clock import stamp, today
from .permissions import authorize, may, refuse
from .use_case import changing

PROGRESS = ("in_progress", "done")          # what a seat reports
STAFF_PROGRESS = ("open", *PROGRESS)         # staff may also set an action back to 待办
REASON_MAX = 300


def _action(db, action_id: int) -> dict:
    found = action_store.get_action(db, action_id)
    if found is None:
        raise NotFound("找不到该任务")
    return found


def update_action(db, actor: Actor, action_id: int, expected_version: int, *, status: str, note: str = "",
                  done_on: date | None = None) -> None:
    """Progress on an action: 进行中 or 已完成 (staff also 待办), with a note on what was done.
    A seat representative updates only its own seat's actions; cancelling is cancel_action's."""
    action = _action(db, action_id)
    compound_id = action["compound_id"]
    if actor.role == Role.SEAT_REP:
        permission = Action.UPDATE_OWN_SEAT_ACTION
        # Beyond role and scope: another seat's action is refused (and audited) before the change.
        if may(actor, permission, compound_id) and action["seat_code"] != actor.seat_code:
            refuse(db, actor, Action.UPDATE_ACTION, compound_id, "只能更新分配给本主体的任务(此操作已记录)")
    else:
        permission = Action.UPDATE_ACTION
    if status == "cancelled" and not may(actor, Action.REPLAN_ACTION, compound_id) and may(actor, permission, compound_id):
        # 物业 cancelling its own overdue task would make the overdue count drop with no decision.
        refuse(db, actor, Action.REPLAN_ACTION, compound_id,
               "取消任务须由支部书记决定并写明理由,您可以把任务标记为进行中或已完成(此操作已记录)")
    with changing(db, actor, permission, compound_id) as change:
        if status == "cancelled":
            raise DomainError("取消任务请使用“取消任务”,并写明理由")
        allowed = PROGRESS if actor.role == Role.SEAT_REP else STAFF_PROGRESS
        if status not in allowed:
            raise DomainError("任务状态只能是" + "、".join(ACTION_STATUSES[s] for s in allowed))
        if not note.strip():
            raise DomainError(f"请填写进展说明(标记为“{ACTION_STATUSES[status]}”时写明做了什么)")
        if len(note.strip()) > 1000:
            raise DomainError("进展说明不能超过 1000 字")
        if status == "done" and done_on and done_on > today():
            raise DomainError(f"完成日期({done_on.isoformat()})不能晚于今天")
        action = _action(db, action_id)
        if action["status"] == "cancelled":
            raise DomainError("该任务已取消,不能再更新进展")
        action_store.update_action_at_version(db, action_id, expected_version, {
            "status": status, "note": note.strip(),
            "done_on": (done_on or today()).isoformat() if status == "done" else None})
        change.record("action_updated", issue_id=action["issue_id"],
                      note=f"→ {ACTION_STATUSES[status]}",     # task and note stay on the action, redactable
                      data={"action_id": action_id, "status": status}, public=status == "done")


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请写明理由(将在下次会议的议程中列出)")
    if len(reason) > REASON_MAX:
        raise DomainError(f"理由不能超过 {REASON_MAX} 字(现为 {len(reason)} 字)")
    return reason


def _open_action(db, action_id: int) -> dict:
    action = _action(db, action_id)
    if action["status"] in ("done", "cancelled"):
        raise DomainError(f"该任务已{ACTION_STATUSES[action['status']]},不能再取消或调整期限")
    return action


def cancel_action(db, actor: Actor, action_id: int, expected_version: int, *, reason: str) -> None:
    """The secretary (or admin) cancels an action the decision assigned, with a reason."""
    with changing(db, actor, Action.REPLAN_ACTION, _action(db, action_id)["compound_id"]) as change:
        reason = _checked_reason(reason)
        action = _open_action(db, action_id)
        action_store.update_action_at_version(db, action_id, expected_version, {"status": "cancelled"})
        change_id = _keep_change(db, actor, action, "cancelled", None, reason)
        change.record("action_cancelled", issue_id=action["issue_id"], note="任务已取消(理由见任务变更)",
                      data={"action_id": action_id, "change_id": change_id, "old_due_on": action["due_on"],
                            "new_due_on": None})


def reschedule_action(db, actor: Actor, action_id: int, expected_version: int, *, due_on: date,
                      reason: str) -> None:
    """The secretary (or admin) moves an action's due date, with a reason."""
    with changing(db, actor, Action.REPLAN_ACTION, _action(db, action_id)["compound_id"]) as change:
        reason = _checked_reason(reason)
        action = _open_action(db, action_id)
        if not isinstance(due_on, date):
            raise DomainError("请选择新的期限")
        if due_on.isoformat() == action["due_on"]:
            raise DomainError(f"新期限与原期限相同({action['due_on']})")
        if due_on < today():
            raise DomainError(f"新期限({due_on.isoformat()})不能早于今天")
        action_store.update_action_at_version(db, action_id, expected_version, {"due_on": due_on.isoformat()})
        change_id = _keep_change(db, actor, action, "rescheduled", due_on.isoformat(), reason)
        change.record("action_rescheduled", issue_id=action["issue_id"],
                      note=f"任务期限 {action['due_on']} → {due_on.isoformat()}(理由见任务变更)",
                      data={"action_id": action_id, "change_id": change_id, "old_due_on": action["due_on"],
                            "new_due_on": due_on.isoformat()})


def _keep_change(db, actor: Actor, action: dict, kind: str, new_due_on: str | None, reason: str) -> int:
    return action_store.insert_action_change(db, {
        "action_id": action["id"], "kind": kind, "old_due_on": action["due_on"], "new_due_on": new_due_on,
        "reason": reason, "changed_by": actor.user_id, "changed_by_label": actor.label, "changed_at": stamp()})


def actions_for_seat(db, actor: Actor, compound_id: int, seat_code: str | None = None) -> list[dict]:
    """我的任务: the actions of the actor's seat (or of a chosen seat for staff)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    code = actor.seat_code if actor.role == Role.SEAT_REP else seat_code
    return action_store.actions_of_seat(db, compound_id, code, today().isoformat())


def action_changes_for_next_meeting(db, actor: Actor, compound_id: int) -> list[dict]:
    """任务变更: actions cancelled or moved since the compound's latest meeting began, with the
    reason, for the next meeting's agenda (the "before the meeting" console)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return action_store.action_changes_since_last_meeting(db, compound_id)
