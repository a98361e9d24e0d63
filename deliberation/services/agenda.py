"""The agenda (议程) of a meeting, the proposed next agenda, and decisions on each item."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.defaults import OUTCOMES, VOTES
from ..model.errors import DomainError, NotFound
from ..model.lifecycle import Level, Stage
from ..model.roles import Action
from ..store import one, rows, write
from .actors import Actor
from .clock import now, today
from .event_log import append_event
from .permissions import authorize
from .escalation import open_escalation
from .lifecycle import apply_transition, load_issue
from .meetings import load_meeting, quorum

AGENDA_STAGES = ("collected", "deliberating", "acting")


def agenda(db, meeting_id: int) -> list[dict]:
    return rows(db, """
        SELECT a.*, i.title, i.stage, i.version AS issue_version, i.compound_id, c.name AS category
        FROM agenda_items a JOIN issues i ON i.id = a.issue_id JOIN categories c ON c.id = i.category_id
        WHERE a.meeting_id = ? ORDER BY a.position""", [meeting_id])


def add_to_agenda(db, actor: Actor, meeting_id: int, issue_id: int) -> int:
    """Putting a collected concern on an agenda moves it to 民主议事."""
    meeting, issue = load_meeting(db, meeting_id), load_issue(db, issue_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    if issue["compound_id"] != meeting["compound_id"]:
        raise DomainError("只能把本小区的议题列入议程")
    if meeting["status"] not in ("planned", "in_progress"):
        raise DomainError("会议已结束,不能再增加议程")
    if issue["stage"] not in AGENDA_STAGES:
        raise DomainError(f"议题处于“{Stage(issue['stage']).label}”阶段,不能列入议程")
    if not issue["accepted_at"]:
        raise DomainError("居民反映尚未受理,请先受理")
    with write(db):
        if one(db, "SELECT id FROM agenda_items WHERE meeting_id = ? AND issue_id = ?", [meeting_id, issue_id]):
            raise DomainError("该议题已在本次议程中")
        position = (one(db, "SELECT max(position) AS p FROM agenda_items WHERE meeting_id = ?",
                        [meeting_id])["p"] or 0) + 1
        item_id = db["agenda_items"].insert({"meeting_id": meeting_id, "issue_id": issue_id,
                                             "position": position}).last_pk
        if issue["stage"] == Stage.COLLECTED.value:
            apply_transition(db, actor, issue_id, Stage.DELIBERATING, meeting_id=meeting_id,
                             note=f"列入第{meeting['number']}次会议议程", public=True)
        else:
            append_event(db, actor=actor, kind="on_agenda", compound_id=issue["compound_id"], issue_id=issue_id,
                         meeting_id=meeting_id, note=f"列入第{meeting['number']}次会议议程", public=True)
    return item_id


def _item(db, item_id: int) -> tuple[dict, dict]:
    item = one(db, "SELECT * FROM agenda_items WHERE id = ?", [item_id])
    if item is None:
        raise NotFound("找不到该议程项")
    return item, load_meeting(db, item["meeting_id"])


def drop_from_agenda(db, actor: Actor, item_id: int) -> None:
    item, meeting = _item(db, item_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    if item["outcome"] or meeting["status"] not in ("planned", "in_progress"):
        raise DomainError("已形成决议的议程项不能移除")
    if one(db, "SELECT 1 AS x FROM votes WHERE agenda_item_id = ?", [item_id]):
        raise DomainError("已有表决记录的议程项不能移除")
    with write(db):
        db.execute("DELETE FROM agenda_items WHERE id = ?", [item_id])
        append_event(db, actor=actor, kind="off_agenda", compound_id=meeting["compound_id"],
                     issue_id=item["issue_id"], meeting_id=meeting["id"],
                     note=f"从第{meeting['number']}次会议议程移除(仍在民主议事,待下次会议)")


def move_agenda_item(db, actor: Actor, item_id: int, offset: int) -> None:
    """Swap with the neighbour above (offset -1) or below (+1)."""
    item, meeting = _item(db, item_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    items = [r["id"] for r in rows(db, "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position",
                                   [meeting["id"]])]
    i = items.index(item_id)
    j = i + offset
    if not 0 <= j < len(items):
        return
    items[i], items[j] = items[j], items[i]
    with write(db):
        for position, other in enumerate(items, start=1):
            db.execute("UPDATE agenda_items SET position = ? WHERE id = ?", [position, other])


@dataclass(frozen=True)
class ActionDraft:
    seat_id: int
    task: str
    due_on: date
    member_id: int | None = None


def record_decision(db, actor: Actor, item_id: int, *, outcome: str, discussion: str = "", decision: str = "",
                    actions: list[ActionDraft] = (), votes: dict[int, str] | None = None,
                    level: str | None = None, escalate_to: str | None = None,
                    escalation_request: str = "", at=None) -> None:
    """One agenda item decided: the issue moves according to the outcome, all in one transaction."""
    item, meeting = _item(db, item_id)
    authorize(db, actor, Action.RUN_MEETING, meeting["compound_id"])
    if meeting["status"] != "in_progress":
        raise DomainError("只有进行中的会议可以记录决议")
    if item["outcome"]:
        # The issue has already moved by the first decision; a second would contradict it.
        raise DomainError("该议程项已形成决议,不能重复记录")
    if outcome not in OUTCOMES:
        raise DomainError("请选择处理结果")
    if outcome != "deferred" and not quorum(db, meeting["id"]).met:
        raise DomainError("未达法定人数,不能形成决议;可记录为“暂缓/下次再议”")
    if outcome != "deferred" and not decision.strip():
        raise DomainError("请填写决议内容")
    if outcome == "actions" and not actions:
        raise DomainError("分工落实需要至少一项任务(责任主体、任务、期限)")
    for draft in actions:
        if not draft.task.strip():
            raise DomainError("任务内容不能为空")
        seat = one(db, "SELECT compound_id, retired_at FROM seats WHERE id = ?", [draft.seat_id])
        if seat is None or seat["compound_id"] != meeting["compound_id"] or seat["retired_at"]:
            raise DomainError("责任主体必须是本小区在用的协商主体")
    for vote in (votes or {}).values():
        if vote not in VOTES:
            raise DomainError("表决只能是赞成、反对或弃权")
    if outcome == "escalated" and not escalation_request.strip():
        raise DomainError("上报需要填写请求事项")
    issue = load_issue(db, item["issue_id"])
    stamp = (at or now())
    with write(db):
        db["agenda_items"].update(item_id, {"discussion": discussion.strip(), "decision": decision.strip(),
                                            "outcome": outcome, "decided_at": stamp.isoformat(sep=" ")})
        db.execute("DELETE FROM votes WHERE agenda_item_id = ?", [item_id])
        for seat_id, vote in (votes or {}).items():
            seat = one(db, "SELECT name FROM seats WHERE id = ? AND compound_id = ?", [seat_id, meeting["compound_id"]])
            if seat is None:
                raise DomainError("表决主体不属于本小区")
            db["votes"].insert({"agenda_item_id": item_id, "seat_id": seat_id, "seat_name": seat["name"], "vote": vote})
        common = dict(meeting_id=meeting["id"], note=decision.strip(), on=stamp.date())
        if outcome == "settled":
            apply_transition(db, actor, issue["id"], Stage.RESOLVED, public=True,
                             level=level or issue["fix_level"] or Level.COMPOUND.value, **common)
        elif outcome == "actions":
            for draft in actions:
                seat = one(db, "SELECT name FROM seats WHERE id = ?", [draft.seat_id])
                db["actions"].insert({"issue_id": issue["id"], "agenda_item_id": item_id, "seat_id": draft.seat_id,
                                      "seat_name": seat["name"], "member_id": draft.member_id,
                                      "task": draft.task.strip(), "due_on": draft.due_on.isoformat(),
                                      "created_at": stamp.isoformat(sep=" ")})
            if issue["stage"] == Stage.DELIBERATING.value:
                apply_transition(db, actor, issue["id"], Stage.ACTING, public=True, **common)
            else:
                append_event(db, actor=actor, kind="actions_added", compound_id=issue["compound_id"],
                             issue_id=issue["id"], meeting_id=meeting["id"], note=decision.strip())
        elif outcome == "escalated":
            open_escalation(db, actor, issue, escalate_to or "community", escalation_request, meeting_id=meeting["id"])
        else:
            append_event(db, actor=actor, kind="deferred", compound_id=issue["compound_id"], issue_id=issue["id"],
                         meeting_id=meeting["id"], note=decision.strip() or "暂缓,下次再议", public=True)


def propose_agenda(db, actor: Actor, compound_id: int) -> list[dict]:
    """What the next meeting should take up: carry-overs, waiting concerns, overdue actions."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    day = today().isoformat()
    found = rows(db, """
        SELECT i.id, i.title, i.stage, i.raised_on, i.version, c.name AS category,
          CASE WHEN i.stage = 'deliberating' THEN 'carry_over'
               WHEN i.stage = 'collected' THEN 'waiting'
               ELSE 'overdue_actions' END AS reason
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE i.compound_id = ? AND i.merged_into_id IS NULL AND i.id NOT IN (
            SELECT a.issue_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
            WHERE m.compound_id = ? AND m.status IN ('planned', 'in_progress'))
          AND ((i.stage IN ('collected') AND i.accepted_at IS NOT NULL)
               OR i.stage = 'deliberating'
               OR (i.stage = 'acting' AND EXISTS (SELECT 1 FROM actions x WHERE x.issue_id = i.id
                    AND x.status IN ('open', 'in_progress') AND x.due_on < ?)))
        ORDER BY CASE i.stage WHEN 'deliberating' THEN 0 WHEN 'acting' THEN 1 ELSE 2 END, i.raised_on, i.id""",
        [compound_id, compound_id, day])
    return found
