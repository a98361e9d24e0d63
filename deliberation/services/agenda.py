"""The agenda (议程) of a meeting, the proposed next agenda, and decisions on each item."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.defaults import OUTCOMES, VOTES
from ..model.errors import DomainError, NotFound
from ..model.lifecycle import Level, Stage
from ..model.quorum import meeting_quorum
from ..model.roles import Action
from ..store import actions as action_store
from ..store import agenda as agenda_store
from ..store import attendance as attendance_store
from ..store import issues as issue_store
from ..store import meetings as meeting_store
from ..store import roster as roster_store
from .actors import Actor
from .clock import now, today
from .escalation import open_escalation
from .lifecycle import apply_transition
from .permissions import authorize
from .use_case import changing

AGENDA_STAGES = ("collected", "deliberating", "acting")


def agenda(db, actor: Actor, meeting_id: int) -> list[dict]:
    """The meeting's items in order, with their 讨论情况 and decisions: internal."""
    authorize(db, actor, Action.READ_INTERNAL, meeting_store.require_meeting(db, meeting_id)["compound_id"])
    return agenda_store.agenda_of_meeting(db, meeting_id)


def add_to_agenda(db, actor: Actor, meeting_id: int, issue_id: int) -> int:
    """Putting a collected concern on an agenda moves it to 民主议事."""
    compound_id = meeting_store.require_meeting(db, meeting_id)["compound_id"]
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        meeting, issue = meeting_store.require_meeting(db, meeting_id), issue_store.require_issue(db, issue_id)
        if issue["compound_id"] != meeting["compound_id"]:
            raise DomainError("只能把本小区的议题列入议程")
        if meeting["status"] not in ("planned", "in_progress"):
            raise DomainError("会议已结束,不能再增加议程")
        if issue["stage"] not in AGENDA_STAGES:
            raise DomainError(f"议题处于“{Stage(issue['stage']).label}”阶段,不能列入议程")
        if not issue["accepted_at"]:
            raise DomainError("居民反映尚未受理,请先受理")
        if agenda_store.issue_on_agenda(db, meeting_id, issue_id):
            raise DomainError("该议题已在本次议程中")
        item_id = agenda_store.insert_agenda_item(db, meeting_id, issue_id,
                                                  agenda_store.next_agenda_position(db, meeting_id))
        note = f"列入第{meeting['number']}次会议议程"
        if issue["stage"] == Stage.COLLECTED.value:
            apply_transition(change, issue_id, Stage.DELIBERATING, meeting_id=meeting_id, note=note, public=True)
        else:
            change.record("on_agenda", issue_id=issue_id, meeting_id=meeting_id, note=note, public=True)
    return item_id


def _item(db, item_id: int) -> tuple[dict, dict]:
    """The agenda item and its meeting, or NotFound."""
    item = agenda_store.get_agenda_item(db, item_id)
    if item is None:
        raise NotFound("找不到该议程项")
    return item, meeting_store.require_meeting(db, item["meeting_id"])


def drop_from_agenda(db, actor: Actor, item_id: int) -> None:
    compound_id = _item(db, item_id)[1]["compound_id"]
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        item, meeting = _item(db, item_id)
        if item["outcome"] or meeting["status"] not in ("planned", "in_progress"):
            raise DomainError("已形成决议的议程项不能移除")
        if agenda_store.item_has_votes(db, item_id):
            raise DomainError("已有表决记录的议程项不能移除")
        agenda_store.delete_agenda_item(db, item_id)
        change.record("off_agenda", issue_id=item["issue_id"], meeting_id=meeting["id"],
                      note=f"从第{meeting['number']}次会议议程移除(仍在民主议事,待下次会议)")


def move_agenda_item(db, actor: Actor, item_id: int, offset: int) -> None:
    """Swap with the neighbour above (offset -1) or below (+1)."""
    item, meeting = _item(db, item_id)
    with changing(db, actor, Action.RUN_MEETING, meeting["compound_id"]) as change:
        items = agenda_store.agenda_item_ids(db, meeting["id"])
        i = items.index(item_id)
        j = i + offset
        if 0 <= j < len(items):
            # The order is kept by issue number (what the agenda shows), before and after.
            old_order = [r["issue_number"] for r in agenda_store.agenda_of_meeting(db, meeting["id"])]
            items[i], items[j] = items[j], items[i]
            agenda_store.set_agenda_order(db, items)
            new_order = [r["issue_number"] for r in agenda_store.agenda_of_meeting(db, meeting["id"])]
            change.record("agenda_reordered", issue_id=item["issue_id"], meeting_id=meeting["id"],
                          note=f"调整第{meeting['number']}次会议议程顺序",
                          data={"values": {"agenda_order": {"old": old_order, "new": new_order}}})


@dataclass(frozen=True)
class ActionDraft:
    seat_id: int
    task: str
    due_on: date
    member_id: int | None = None


def _check_decision(db, meeting: dict, item: dict, *, outcome: str, decision: str, actions, votes,
                    escalation_request: str) -> None:
    """Refuse a decision the meeting cannot take (read inside the decision's transaction)."""
    if meeting["status"] != "in_progress":
        raise DomainError("只有进行中的会议可以记录决议")
    if item["outcome"]:
        # The issue has already moved by the first decision; a second would contradict it.
        raise DomainError("该议程项已形成决议,不能重复记录")
    if outcome not in OUTCOMES:
        raise DomainError("请选择处理结果")
    if outcome != "deferred" and not meeting_quorum(*attendance_store.quorum_facts(db, meeting["id"])).met:
        raise DomainError("未达法定人数,不能形成决议;可记录为“暂缓/下次再议”")
    if outcome != "deferred" and not decision.strip():
        raise DomainError("请填写决议内容")
    if outcome == "actions" and not actions:
        raise DomainError("分工落实需要至少一项任务(责任主体、任务、期限)")
    for draft in actions:
        if not draft.task.strip():
            raise DomainError("任务内容不能为空")
        seat = roster_store.get_seat(db, draft.seat_id)
        if seat is None or seat["compound_id"] != meeting["compound_id"] or seat["retired_at"]:
            raise DomainError("责任主体必须是本小区在用的协商主体")
    for vote in votes.values():
        if vote not in VOTES:
            raise DomainError("表决只能是赞成、反对或弃权")
    if outcome == "escalated" and not escalation_request.strip():
        raise DomainError("上报需要填写请求事项")


def record_decision(db, actor: Actor, item_id: int, *, outcome: str, discussion: str = "", decision: str = "",
                    actions: list[ActionDraft] = (), votes: dict[int, str] | None = None,
                    level: str | None = None, escalate_to: str | None = None,
                    escalation_request: str = "", public_summary: str = "", at=None) -> None:
    """One agenda item decided: the issue moves according to the outcome, all in one transaction.
    `public_summary` is the only text of the item the public minutes show (editable until published)."""
    votes = votes or {}
    item, meeting = _item(db, item_id)
    compound_id = meeting["compound_id"]
    if outcome == "settled" and issue_store.require_issue(db, item["issue_id"])["stage"] == Stage.PUBLICIZING.value:
        # Settling a result that is in 公示 closes 公示: the publish right's, audited like any refusal.
        authorize(db, actor, Action.PUBLISH, compound_id)
    with changing(db, actor, Action.RUN_MEETING, compound_id) as change:
        item, meeting = _item(db, item_id)
        _check_decision(db, meeting, item, outcome=outcome, decision=decision, actions=actions, votes=votes,
                        escalation_request=escalation_request)
        voters = {seat_id: roster_store.get_seat(db, seat_id) for seat_id in votes}
        if any(seat is None or seat["compound_id"] != compound_id for seat in voters.values()):
            raise DomainError("表决主体不属于本小区")
        issue = issue_store.require_issue(db, item["issue_id"])
        stamp = at or now()
        agenda_store.update_agenda_item(db, item_id, {"discussion": discussion.strip(), "decision": decision.strip(),
                                                      "public_summary": public_summary.strip(),
                                                      "outcome": outcome, "decided_at": stamp.isoformat(sep=" ")})
        agenda_store.replace_votes(db, item_id, [{"seat_id": seat_id, "seat_name": voters[seat_id]["name"],
                                                  "vote": vote} for seat_id, vote in votes.items()])
        # The decision's text stays on the agenda item; events point to it.
        common = dict(meeting_id=meeting["id"], refs={"agenda_item_id": item_id}, on=stamp.date())
        if outcome == "settled":
            apply_transition(change, issue["id"], Stage.RESOLVED, public=True,
                             level=level or issue["fix_level"] or Level.COMPOUND.value, **common)
        elif outcome == "actions":
            for draft in actions:
                action_store.insert_action(db, {
                    "issue_id": issue["id"], "agenda_item_id": item_id, "seat_id": draft.seat_id,
                    "seat_name": roster_store.get_seat(db, draft.seat_id)["name"], "member_id": draft.member_id,
                    "task": draft.task.strip(), "due_on": draft.due_on.isoformat(),
                    "created_at": stamp.isoformat(sep=" ")})
            if issue["stage"] == Stage.DELIBERATING.value:
                apply_transition(change, issue["id"], Stage.ACTING, public=True, **common)
            else:
                change.record("actions_added", issue_id=issue["id"], meeting_id=meeting["id"],
                              data={"agenda_item_id": item_id})
        elif outcome == "escalated":
            open_escalation(change, issue, escalate_to, escalation_request, meeting_id=meeting["id"])
        else:
            change.record("deferred", issue_id=issue["id"], meeting_id=meeting["id"],
                          note="暂缓,下次再议", data={"agenda_item_id": item_id}, public=True)


def propose_agenda(db, actor: Actor, compound_id: int) -> list[dict]:
    """What the next meeting should take up: carry-overs, waiting concerns, overdue actions."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return agenda_store.issues_proposed_for_agenda(db, compound_id, today().isoformat())
