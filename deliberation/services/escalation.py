"""Escalation up the ladder (社区吹哨,街道报到): 小区 → 社区 → 街道. Each officer it reaches answers
it or passes it up with a note; the answer comes back onto the compound's issue and its public
page, and the level that answered is the one the 721 figure counts."""
from __future__ import annotations

from ..model.errors import DomainError, NotFound, StaleRecord
from ..model.lifecycle import LADDER, Level, Stage
from ..model.roles import Action
from ..store import areas as area_store
from ..store import escalations as escalation_store
from ..store import issues as issue_store
from .actors import Actor
from .clock import stamp, today
from .lifecycle import apply_transition
from .permissions import authorize, may, refuse
from .publicity import open_publicity
from .use_case import Change, changing

LEVEL_TO = {lv.value: lv.label for lv in LADDER}          # {"community": "社区", "subdistrict": "街道"}
NOTE_MAX = 500
ANSWER_MAX = 2000


def _ladder(db, compound_id: int) -> list[dict]:
    """[{level, area_id, area}] of the rungs above the compound, lowest first: only the levels the
    compound has (怡乐花园 has no 社区, so its ladder starts at 南湾街道)."""
    found = []
    for level in LADDER:
        area = area_store.area_above_compound(db, compound_id, level.value)
        if area is not None:
            found.append({"level": level.value, "area_id": area["id"], "area": area["name"]})
    return found


def escalation_levels(db, actor: Actor, compound_id: int) -> list[dict]:
    """上报到's choices for a compound's issue: its ladder, lowest first (the default)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return _ladder(db, compound_id)


def _target_area(db, compound_id: int, level_to: str | None) -> dict:
    """The rung of `level_to` above the compound (its lowest one when None): level, id and name."""
    ladder = _ladder(db, compound_id)
    if not ladder:
        raise DomainError("该小区没有上级社区或街道,无法上报;请先在“小区与区域管理”中设置所属区域")
    if level_to is None:
        return ladder[0]
    if level_to not in LEVEL_TO:
        raise DomainError("请选择上报到社区还是街道")
    for rung in ladder:
        if rung["level"] == level_to:
            return rung
    offered = "、".join(f"{LEVEL_TO[r['level']]}({r['area']})" for r in ladder)
    raise DomainError(f"该小区没有上级{LEVEL_TO[level_to]},可上报到:{offered}")


def _text(value: str | None, limit: int, *, missing: str, name: str) -> str:
    """A required text of the ladder (request, answer, note), stripped, within `limit`."""
    text = (value or "").strip()
    if not text:
        raise DomainError(missing)
    if len(text) > limit:
        raise DomainError(f"{name}不能超过 {limit} 字")
    return text


def open_escalation(change: Change, issue: dict, level_to: str | None, request: str, *, meeting_id=None) -> int:
    """A step of `change` (the caller's authorized, open transaction). `level_to` None: the lowest
    rung the compound has."""
    db, actor = change.db, change.actor
    request = _text(request, ANSWER_MAX, missing="上报需要填写请求事项", name="请求事项")
    rung = _target_area(db, issue["compound_id"], level_to)
    escalation_id = escalation_store.insert_escalation(db, {
        "issue_id": issue["id"], "level_to": rung["level"], "area_id": rung["area_id"], "request": request,
        "requested_on": today().isoformat(), "requested_by": actor.user_id})
    apply_transition(change, issue["id"], Stage.ESCALATED, meeting_id=meeting_id, public=True,
                     note=f"上报{rung['area']}", refs={"escalation_id": escalation_id, "level_to": rung["level"]},
                     extra={"fix_level": rung["level"]})
    return escalation_id


def escalate(db, actor: Actor, issue_id: int, level_to: str | None, request: str, *,
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


def _still_waiting(escalation: dict, expected_version: int | None) -> None:
    """Refuse what was answered, withdrawn or passed up since the officer's page was drawn, saying
    which: a second click, or a colleague first."""
    if escalation["answered_on"]:
        raise DomainError("该上报事项已答复")
    if escalation["withdrawn_on"]:
        raise DomainError("该议题已并入其他议题,上报已撤回,无需答复")
    if expected_version is not None and escalation["version"] != expected_version:
        raise StaleRecord(f"该上报事项已转报{escalation['area_name']},请刷新后查看")


def _check_officer(db, actor: Actor, action: Action, escalation: dict, expected_version: int | None) -> None:
    """Role and compound first; then whether it still waits (a second click, a colleague first);
    then only the area it waits in (or one above it) may act on it. Refused before the
    transaction, so the refusal's audit event is kept."""
    authorize(db, actor, action, escalation["compound_id"])
    _still_waiting(escalation, expected_version)
    if not actor.is_admin and escalation["area_id"] not in area_store.area_ids_under(db, actor.area_id):
        refuse(db, actor, action, escalation["compound_id"], "该事项上报给其他区域,您无权处理(此操作已记录)")


def _answering_level(db, actor: Actor, escalation: dict) -> str:
    """The level of the area that answers: the officer's own (a 街道 officer answering what was sent
    to a 社区 below it solved it at 街道); the level it waits at for an admin without an area."""
    area = area_store.get_area(db, actor.area_id) if actor.area_id else None
    return area["level"] if area else escalation["level_to"]


def _fix_level(level: str) -> str:
    """The 721 figure's level for an answering level: a 区 answer counts with 街道 (its top rung)."""
    return level if level in {lv.value for lv in Level} else Level.SUBDISTRICT.value


def _set_fix_level(db, issue_id: int, level: str) -> None:
    issue = issue_store.require_issue(db, issue_id)
    if issue["fix_level"] != level:
        issue_store.update_issue_at_version(db, issue_id, issue["version"], {"fix_level": level}, updated_at=stamp())


def answer_escalation(db, actor: Actor, escalation_id: int, answer: str, next_stage: str = "acting", *,
                      expected_version: int | None = None) -> None:
    """The officer's answer lands on the compound's issue timeline and public page; the issue
    continues in 合力干事 or goes straight to 公示."""
    sent = _escalation(db, escalation_id)
    _check_officer(db, actor, Action.ANSWER_ESCALATION, sent, expected_version)
    with changing(db, actor, Action.ANSWER_ESCALATION, sent["compound_id"]) as change:
        escalation = _escalation(db, escalation_id)
        _still_waiting(escalation, expected_version)
        answer = _text(answer, ANSWER_MAX, missing="请填写答复内容", name="答复")
        if next_stage not in ("acting", "publicizing"):
            raise DomainError("答复后议题只能转入合力干事或公示监督")
        level = _answering_level(db, actor, escalation)
        escalation_store.update_escalation_at_version(db, escalation_id, escalation["version"], {
            "answer": answer, "answered_on": today().isoformat(), "answered_by": actor.user_id,
            "answered_level": level})
        issue_id = escalation["issue_id"]
        _set_fix_level(db, issue_id, _fix_level(level))
        change.record("escalation_answered", issue_id=issue_id, public=True,
                      data={"escalation_id": escalation_id, "level": level})
        if next_stage == "publicizing":
            open_publicity(change, issue_id, summary=answer)
        else:
            apply_transition(change, issue_id, Stage.ACTING, note="上级答复后继续落实")


def _next_rung(db, escalation: dict) -> dict | None:
    """The rung above the one the escalation waits at ({level, area_id, area}), or None at the top."""
    levels = [lv.value for lv in LADDER]
    if escalation["level_to"] not in levels or escalation["level_to"] == levels[-1]:
        return None
    level = levels[levels.index(escalation["level_to"]) + 1]
    area = escalation_store.area_above_area(db, escalation["area_id"], level)
    return area and {"level": level, "area_id": area["id"], "area": area["name"]}


def pass_up(db, actor: Actor, escalation_id: int, note: str, *, expected_version: int | None = None) -> str:
    """The officer it waits with passes it to the level above (the 街道 that contains the 社区),
    with a note for that level; the issue keeps waiting, now counted at the higher level. Returns
    the name of the area it went to."""
    sent = _escalation(db, escalation_id)
    _check_officer(db, actor, Action.ANSWER_ESCALATION, sent, expected_version)
    with changing(db, actor, Action.ANSWER_ESCALATION, sent["compound_id"]) as change:
        escalation = _escalation(db, escalation_id)
        _still_waiting(escalation, expected_version)
        note = _text(note, NOTE_MAX, missing="转报需要写明说明(如社区已做的工作、需要街道协调的事项)", name="转报说明")
        rung = _next_rung(db, escalation)
        if rung is None:
            raise DomainError(f"{LEVEL_TO.get(escalation['level_to'], '该层级')}已是上报的最高层级,请直接答复")
        escalation_store.update_escalation_at_version(db, escalation_id, escalation["version"], {
            "area_id": rung["area_id"], "level_to": rung["level"]})
        pass_id = escalation_store.insert_pass(db, {
            "escalation_id": escalation_id, "issue_id": escalation["issue_id"],
            "from_area_id": escalation["area_id"], "to_area_id": rung["area_id"],
            "from_level": escalation["level_to"], "to_level": rung["level"], "note": note,
            "passed_by": actor.user_id, "passed_by_label": actor.label, "passed_on": today().isoformat(),
            "created_at": stamp()})
        _set_fix_level(db, escalation["issue_id"], rung["level"])
        # The note stays on escalation_passes (redactable); the event holds ids and area names only.
        change.record("escalation_passed", issue_id=escalation["issue_id"], public=True,
                      note=f"{escalation['area_name']}转报{rung['area']}",
                      data={"pass_id": pass_id, "passed_escalation_id": escalation_id,
                            "from_level": escalation["level_to"], "to_level": rung["level"]})
    return rung["area"]


def pending_escalations(db, actor: Actor) -> list[dict]:
    """Escalations waiting for an answer from this officer's area (or any, for an admin), each
    with the steps it climbed (`passes`, with the notes from below) and the rung it could be passed
    to (`next`); none for anyone who may not answer them."""
    if not may(actor, Action.ANSWER_ESCALATION) or (not actor.is_admin and actor.area_id is None):
        return []
    found = escalation_store.unanswered_escalations_to(db, actor.area_id, anywhere=actor.is_admin)
    passes = escalation_store.passes_of_escalations(db, [e["id"] for e in found])
    for e in found:
        e["passes"] = [p for p in passes if p["escalation_id"] == e["id"]]
        e["next"] = _next_rung(db, e)
    return found
