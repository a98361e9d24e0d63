"""Who is acting, what they may touch, and the audit trail of refusals and changes."""
from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NoReturn

from ..model.errors import NotFound, PermissionDenied
from ..model.roles import Action, Role, role_may
from ..store import one, rows, write


_frozen_clock: ContextVar[datetime | None] = ContextVar("frozen_clock", default=None)


def now() -> datetime:
    return _frozen_clock.get() or datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


@contextmanager
def clock_at(moment: datetime):
    """Replay history (the demo cases, imports) with events dated when they happened."""
    token = _frozen_clock.set(moment)
    try:
        yield
    finally:
        _frozen_clock.reset(token)


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: Role
    label: str
    compound_ids: frozenset[int] = field(default_factory=frozenset)
    area_id: int | None = None
    seat_code: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def covers(self, compound_id: int) -> bool:
        return self.is_admin or compound_id in self.compound_ids


RESIDENT = Actor(user_id=None, role=Role.RESIDENT, label="居民")
SYSTEM = Actor(user_id=None, role=Role.ADMIN, label="系统")


def compounds_under(db, area_id: int) -> frozenset[int]:
    found = rows(db, """
        WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT a.id FROM areas a JOIN tree ON a.parent_id = tree.id)
        SELECT c.id FROM compounds c WHERE c.area_id IN (SELECT id FROM tree)""", [area_id])
    return frozenset(r["id"] for r in found)


def load_actor(db, user_id: int) -> Actor:
    """Re-read from the database on every run: a changed role or scope takes effect at once."""
    user = one(db, "SELECT * FROM users WHERE id = ? AND active = 1", [user_id])
    if user is None:
        raise NotFound("账号不存在或已停用,请重新登录")
    role = Role(user["role"])
    if role == Role.OFFICER and user["area_id"]:
        scope = compounds_under(db, user["area_id"])
    else:
        scope = frozenset(r["compound_id"] for r in rows(
            db, "SELECT compound_id FROM user_compounds WHERE user_id = ?", [user_id]))
    return Actor(user_id=user["id"], role=role, label=user["display_name"], compound_ids=scope,
                 area_id=user["area_id"], seat_code=user["seat_code"])


def append_event(db, *, actor: Actor, kind: str, compound_id: int | None = None,
                 issue_id: int | None = None, meeting_id: int | None = None,
                 from_stage: str | None = None, to_stage: str | None = None, note: str = "",
                 data: dict | None = None, public: bool = False) -> None:
    db["events"].insert({
        "compound_id": compound_id, "issue_id": issue_id, "meeting_id": meeting_id,
        "actor_id": actor.user_id, "actor_label": actor.label, "kind": kind,
        "from_stage": from_stage, "to_stage": to_stage, "note": note,
        "data": json.dumps(data or {}, ensure_ascii=False), "public": int(public),
        "created_at": now().isoformat(sep=" "),
    })


ACTION_LABELS = {
    Action.MANAGE_USERS: "管理用户", Action.MANAGE_AREAS: "管理区域",
    Action.MANAGE_COMPOUND: "管理协商成员与规则", Action.READ_COMPOUND: "查看小区内部信息",
    Action.RAISE_ISSUE: "登记议题", Action.EDIT_ISSUE: "修改议题", Action.TRANSITION_ISSUE: "变更议题阶段",
    Action.PUBLISH: "公示与发布", Action.RUN_MEETING: "组织会议", Action.UPDATE_ACTION: "更新任务",
    Action.UPDATE_OWN_SEAT_ACTION: "更新本主体任务", Action.ESCALATE: "上报",
    Action.ANSWER_ESCALATION: "答复上报", Action.REPORTS: "查看报表", Action.READ_AUDIT: "查看审计日志",
    Action.READ_PUBLIC: "查看公示栏", Action.RAISE_PUBLIC_CONCERN: "反映问题", Action.GIVE_FEEDBACK: "评价结果",
}


def authorize(db, actor: Actor, action: Action, compound_id: int | None = None) -> None:
    """Refuse what the role or scope does not allow, and keep an audit event of the attempt.

    Called before a service opens its write transaction, so the refusal's event survives.
    """
    allowed = role_may(actor.role, action)
    if allowed and compound_id is not None and actor.role != Role.RESIDENT:
        allowed = actor.covers(compound_id)
    if not allowed:
        refuse(db, actor, action, compound_id)


def refuse(db, actor: Actor, action: Action, compound_id: int | None = None, message: str | None = None) -> NoReturn:
    """Keep an audit event of a refused attempt, then raise PermissionDenied. For refusals a
    service decides beyond role and scope (e.g. an escalation sent to another area)."""
    if not db.conn.in_transaction:
        with write(db):
            known = compound_id is not None and one(
                db, "SELECT 1 AS ok FROM compounds WHERE id = ?", [compound_id]) is not None
            append_event(db, actor=actor, kind="refused", compound_id=compound_id if known else None,
                         note=f"{actor.role.label}「{actor.label}」无权{ACTION_LABELS[action]}",
                         data={"action": action.value, "role": actor.role.value, "compound_id": compound_id})
    raise PermissionDenied(message or f"您没有权限{ACTION_LABELS[action]}(此操作已记录)")
