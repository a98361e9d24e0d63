"""Escalation upward (社区吹哨,街道报到) and the answer that comes back."""
from __future__ import annotations

from ..model.errors import DomainError, NotFound
from ..model.lifecycle import Stage
from ..model.roles import Action
from ..store import one, rows, write
from .actors import Actor
from .clock import today
from .event_log import append_event
from .permissions import authorize, refuse
from .lifecycle import apply_transition, load_issue

LEVEL_TO = {"community": "社区", "subdistrict": "街道"}


def target_area(db, compound_id: int, level_to: str) -> dict:
    """The community or subdistrict above the compound."""
    if level_to not in LEVEL_TO:
        raise DomainError("请选择上报到社区还是街道")
    area = one(db, "SELECT a.* FROM areas a JOIN compounds c ON c.area_id = a.id WHERE c.id = ?", [compound_id])
    while area is not None and area["level"] != level_to:
        area = one(db, "SELECT * FROM areas WHERE id = ?", [area["parent_id"]]) if area["parent_id"] else None
    if area is None:
        raise DomainError(f"该小区没有上级{LEVEL_TO[level_to]},请选择其他层级")
    return area


def open_escalation(db, actor: Actor, issue: dict, level_to: str, request: str, *, meeting_id=None) -> int:
    """Inside an open write transaction."""
    if not request.strip():
        raise DomainError("上报需要填写请求事项")
    area = target_area(db, issue["compound_id"], level_to)
    escalation_id = db["escalations"].insert({
        "issue_id": issue["id"], "level_to": level_to, "area_id": area["id"], "request": request.strip(),
        "requested_on": today().isoformat(), "requested_by": actor.user_id}).last_pk
    apply_transition(db, actor, issue["id"], Stage.ESCALATED, meeting_id=meeting_id, public=True,
                     note=f"上报{area['name']}:{request.strip()}", extra={"fix_level": level_to})
    return escalation_id


def escalate(db, actor: Actor, issue_id: int, level_to: str, request: str, *,
             expected_version: int | None = None) -> int:
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.ESCALATE, issue["compound_id"])
    if expected_version is not None and expected_version != issue["version"]:
        from ..model.errors import StaleRecord
        raise StaleRecord()
    with write(db):
        return open_escalation(db, actor, issue, level_to, request)


def answer_escalation(db, actor: Actor, escalation_id: int, answer: str, next_stage: str = "acting") -> None:
    """The officer's answer lands on the compound's issue timeline; the issue continues."""
    escalation = one(db, "SELECT * FROM escalations WHERE id = ?", [escalation_id])
    if escalation is None:
        raise NotFound("找不到该上报事项")
    issue = load_issue(db, escalation["issue_id"])
    authorize(db, actor, Action.ANSWER_ESCALATION, issue["compound_id"])
    if not actor.is_admin and escalation["area_id"] not in _areas_of(db, actor):
        refuse(db, actor, Action.ANSWER_ESCALATION, issue["compound_id"], "该事项上报给其他区域,您无权答复(此操作已记录)")
    if escalation["answered_on"]:
        raise DomainError("该上报事项已答复")
    if not answer.strip():
        raise DomainError("请填写答复内容")
    if next_stage not in ("acting", "publicizing"):
        raise DomainError("答复后议题只能转入合力干事或公示监督")
    with write(db):
        db["escalations"].update(escalation_id, {"answer": answer.strip(), "answered_on": today().isoformat(),
                                                 "answered_by": actor.user_id})
        append_event(db, actor=actor, kind="escalation_answered", compound_id=issue["compound_id"],
                     issue_id=issue["id"], note=answer.strip(), public=True,
                     data={"escalation_id": escalation_id, "level": escalation["level_to"]})
        if next_stage == "publicizing":
            from .publicity import open_publicity
            open_publicity(db, actor, issue["id"], summary=answer.strip())
        else:
            apply_transition(db, actor, issue["id"], Stage.ACTING, note="上级答复后继续落实")


def _areas_of(db, actor: Actor) -> set[int]:
    found = rows(db, """
        WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT a.id FROM areas a JOIN tree ON a.parent_id = tree.id)
        SELECT id FROM tree""", [actor.area_id])
    return {r["id"] for r in found}


def pending_escalations(db, actor: Actor) -> list[dict]:
    """Escalations waiting for an answer from this officer's area (or any, for an admin)."""
    if not actor.is_admin and actor.area_id is None:
        return []
    found = rows(db, """
        WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT a.id FROM areas a JOIN tree ON a.parent_id = tree.id)
        SELECT e.*, i.title, i.compound_id, c.name AS compound, a.name AS area_name
        FROM escalations e JOIN issues i ON i.id = e.issue_id JOIN compounds c ON c.id = i.compound_id
        JOIN areas a ON a.id = e.area_id
        WHERE e.answered_on IS NULL AND (? OR e.area_id IN (SELECT id FROM tree))
        ORDER BY e.requested_on, e.id""", [actor.area_id, int(actor.is_admin)])
    return found
