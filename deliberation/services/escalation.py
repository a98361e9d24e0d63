"""Escalation upward (社区吹哨,街道报到) and the answer that comes back."""
from __future__ import annotations

from ..model.errors import DomainError, NotFound, StaleRecord
from ..model.lifecycle import Stage
from ..model.roles import Action
from ..store import areas as area_store
from ..store import escalations as escalation_store
from ..store import issues as issue_store
from .actors import Actor
from .clock import today
from .lifecycle import apply_transition
from .permissions import authorize, may, refuse
from .publicity import open_publicity
from .use_case import Change, changing

LEVEL_TO = {"community": "社区", "subdistrict": "街道"}


def _target_area(db, compound_id: int, level_to: str) -> dict:
    """The community or subdistrict above the compound: id and name."""
    if level_to not in LEVEL_TO:
        raise DomainError("请选择上报到社区还是街道")
    area = area_store.area_above_compound(db, compound_id, level_to)
    if area is None:
        raise DomainError(f"该小区没有上级{LEVEL_TO[level_to]},请选择其他层级")
    return area


def open_escalation(change: Change, issue: dict, level_to: str, request: str, *, meeting_id=None) -> int:
    """A step of `change` (the caller's authorized, open transaction)."""
    db, actor = change.db, change.actor
    if not request.strip():
        raise DomainError("上报需要填写请求事项")
    area = _target_area(db, issue["compound_id"], level_to)
    escalation_id = escalation_store.insert_escalation(db, {
        "issue_id": issue["id"], "level_to": level_to, "area_id": area["id"], "request": request.strip(),
        "requested_on": today().isoformat(), "requested_by": actor.user_id})
    apply_transition(change, issue["id"], Stage.ESCALATED, meeting_id=meeting_id, public=True,
                     note=f"上报{area['name']}", refs={"escalation_id": escalation_id, "level_to": level_to},
                     extra={"fix_level": level_to})
    return escalation_id


def escalate(db, actor: Actor, issue_id: int, level_to: str, request: str, *,
             expected_version: int | None = None) -> int:
    with changing(db, actor, Action.ESCALATE, issue_store.require_issue(db, issue_id)["compound_id"]) as change:
        issue = issue_store.require_issue(db, issue_id)
        if expected_version is not None and expected_version != issue["version"]:
            raise StaleRecord()
        return open_escalation(change, issue, level_to, request)


def _escalation(db, escalation_id: int) -> dict:
    escalation = escalation_store.get_escalation(db, escalation_id)
    if escalation is None:
        raise NotFound("找不到该上报事项")
    return escalation


def answer_escalation(db, actor: Actor, escalation_id: int, answer: str, next_stage: str = "acting") -> None:
    """The officer's answer lands on the compound's issue timeline; the issue continues."""
    sent = _escalation(db, escalation_id)
    issue = issue_store.require_issue(db, sent["issue_id"])
    authorize(db, actor, Action.ANSWER_ESCALATION, issue["compound_id"])
    # Beyond role and compound: only the area it was sent to (or one above it) answers. Refused
    # before the transaction, so the refusal's audit event is kept.
    if not actor.is_admin and sent["area_id"] not in area_store.area_ids_under(db, actor.area_id):
        refuse(db, actor, Action.ANSWER_ESCALATION, issue["compound_id"], "该事项上报给其他区域,您无权答复(此操作已记录)")
    with changing(db, actor, Action.ANSWER_ESCALATION, issue["compound_id"]) as change:
        escalation = _escalation(db, escalation_id)
        if escalation["answered_on"]:
            raise DomainError("该上报事项已答复")
        if not answer.strip():
            raise DomainError("请填写答复内容")
        if next_stage not in ("acting", "publicizing"):
            raise DomainError("答复后议题只能转入合力干事或公示监督")
        escalation_store.update_escalation(db, escalation_id, {
            "answer": answer.strip(), "answered_on": today().isoformat(), "answered_by": actor.user_id})
        change.record("escalation_answered", issue_id=issue["id"], public=True,
                      data={"escalation_id": escalation_id, "level": escalation["level_to"]})
        if next_stage == "publicizing":
            open_publicity(change, issue["id"], summary=answer.strip())
        else:
            apply_transition(change, issue["id"], Stage.ACTING, note="上级答复后继续落实")


def pending_escalations(db, actor: Actor) -> list[dict]:
    """Escalations waiting for an answer from this officer's area (or any, for an admin); none
    for anyone who may not answer them."""
    if not may(actor, Action.ANSWER_ESCALATION) or (not actor.is_admin and actor.area_id is None):
        return []
    return escalation_store.unanswered_escalations_to(db, actor.area_id, anywhere=actor.is_admin)
