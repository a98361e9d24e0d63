"""What an actor may do where: `may` answers without side effects (for pages); `authorize`
refuses with an audit event (for services, the rule)."""
from __future__ import annotations

from typing import NoReturn

from ..model.errors import PermissionDenied
from ..model.roles import Action, Role, role_may
from ..store import compounds as compound_store
from ..store import write
from .actors import Actor
from .event_log import append_event

ACTION_LABELS = {
    Action.MANAGE_USERS: "管理用户", Action.MANAGE_AREAS: "管理区域",
    Action.MANAGE_COMPOUND: "管理协商成员与规则", Action.READ_COMPOUND: "查看小区内部信息",
    Action.READ_INTERNAL: "查看内部会议记录与成员电话", Action.READ_PERSONAL: "查看居民原话与联系方式",
    Action.RAISE_ISSUE: "登记议题", Action.EDIT_ISSUE: "修改议题", Action.TRANSITION_ISSUE: "变更议题阶段",
    Action.PUBLISH: "公示与发布", Action.RUN_MEETING: "组织会议", Action.UPDATE_ACTION: "更新任务",
    Action.UPDATE_OWN_SEAT_ACTION: "更新本主体任务", Action.REPLAN_ACTION: "取消任务或调整期限",
    Action.ESCALATE: "上报",
    Action.ANSWER_ESCALATION: "答复上报", Action.REPORTS: "查看报表", Action.READ_AUDIT: "查看审计日志",
    Action.READ_PUBLIC: "查看公示栏", Action.RAISE_PUBLIC_CONCERN: "反映问题", Action.GIVE_FEEDBACK: "评价结果",
}

MUST_CHANGE_PASSWORD = "请先修改初始密码(一次性密码只能用于首次登录),再进行其他操作"


def may(actor: Actor, action: Action, compound_id: int | None = None) -> bool:
    """Whether the role allows `action`, in `compound_id` when one is named. No I/O, no event.
    An account that must still replace its one-time password may do nothing until it has."""
    if actor.must_change_password:
        return False
    allowed = role_may(actor.role, action)
    if allowed and compound_id is not None and actor.role != Role.RESIDENT:
        allowed = actor.covers(compound_id)
    return allowed


def authorize(db, actor: Actor, action: Action, compound_id: int | None = None) -> None:
    """Refuse what the role or scope does not allow, and keep an audit event of the attempt.

    Called before a service opens its write transaction, so the refusal's event survives.
    """
    if actor.must_change_password:
        refuse(db, actor, action, compound_id, MUST_CHANGE_PASSWORD)
    if not may(actor, action, compound_id):
        refuse(db, actor, action, compound_id)


def refuse(db, actor: Actor, action: Action, compound_id: int | None = None, message: str | None = None) -> NoReturn:
    """Keep an audit event of a refused attempt, then raise PermissionDenied. For refusals a
    service decides beyond role and scope (e.g. an escalation sent to another area)."""
    if not db.conn.in_transaction:
        with write(db):
            known = compound_id is not None and compound_store.compound_exists(db, compound_id)
            append_event(db, actor=actor, kind="refused", compound_id=compound_id if known else None,
                         note=f"{actor.role.label}「{actor.label}」无权{ACTION_LABELS[action]}",
                         data={"action": action.value, "role": actor.role.value, "compound_id": compound_id})
    raise PermissionDenied(message or f"您没有权限{ACTION_LABELS[action]}(此操作已记录)")
