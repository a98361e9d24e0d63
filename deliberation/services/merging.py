"""Duplicates at any stage: an issue found to repeat another is merged into it, whether it is a
resident's concern not yet accepted or an issue already on an agenda, in 合力干事, waiting for an
answer from above or in 公示.

The duplicate closes as 重复 with `merged_into_id` set and is counted as 合并 (apart from 已办结 and
已关闭(未解决)). Its reports move to the issue it joins (a household or seat already counted there
stays behind, so each counts once), with them the residents' tracking; its photos move too. What
would keep others waiting on the duplicate ends with it, each kept on the record: a waiting
escalation is withdrawn, undecided items come off agendas of meetings not yet over, open actions are
cancelled with the reason (the next meeting is told, as for any 任务变更). One event on each issue."""
from __future__ import annotations

from ..model.errors import DomainError, StaleRecord
from ..model.lifecycle import MERGE, OPEN_STAGES, Stage
from ..model.roles import Action
from ..store import actions as action_store
from ..store import escalations as escalation_store
from ..store import issues as issue_store
from ..store import merging as merge_store
from ..store import response as response_store
from .actors import Actor
from .clock import stamp, today
from .lifecycle import apply_transition
from .permissions import authorize
from .use_case import Change, changing

_OPEN = {s.value for s in OPEN_STAGES}


def merge_issues(db, actor: Actor, duplicate_id: int, into_id: int, *, expected_version: int | None = None) -> None:
    """Merge issue `duplicate_id` into `into_id` of the same compound. `expected_version` is the
    duplicate's version the user saw: a stale page or a second click is refused, nothing written."""
    duplicate = issue_store.require_issue(db, duplicate_id)
    compound_id = duplicate["compound_id"]
    authorize(db, actor, Action.TRANSITION_ISSUE, compound_id)
    if duplicate["stage"] == Stage.PUBLICIZING.value:
        # Taking a result out of 公示 is the publish right's, as on every other path out of it.
        authorize(db, actor, Action.PUBLISH, compound_id)
    with changing(db, actor, Action.TRANSITION_ISSUE, compound_id) as change:
        duplicate = issue_store.require_issue(db, duplicate_id)
        target = _check(db, duplicate, into_id, expected_version)
        items = merge_store.undecided_agenda_items(db, duplicate_id)
        voted = [i for i in items if i["has_votes"]]
        if voted:
            raise DomainError(f"该议题在第{voted[0]['meeting_number']}次会议上已有表决记录,"
                              "请先在会议中形成决议,再合并")
        effects = _end_what_waits(change, duplicate, target, items)
        moved, kept = merge_store.reports_to_move(db, duplicate_id, into_id)
        merge_store.move_reports(db, moved, into_id)
        effects["photos_moved"] = merge_store.move_photos(db, duplicate_id, into_id)
        apply_transition(change, duplicate_id, Stage.CLOSED, via=MERGE, expected_version=expected_version,
                         note=f"与议题 #{target['number']} 重复,已合并", reason="duplicate", public=True,
                         refs={"into_id": into_id, "into_number": target["number"], "reports_moved": len(moved),
                               "reports_kept": len(kept), **effects},
                         extra={"merged_into_id": into_id, "public_reply": f"已并入议题 #{target['number']}"})
        response_store.mark_responded(db, duplicate_id, stamp())     # merged counts as answered
        change.record("merged", issue_id=into_id, public=True,
                      note=f"并入重复议题 #{duplicate['number']},转入 {len(moved)} 条反映",
                      data={"duplicate_id": duplicate_id, "duplicate_number": duplicate["number"],
                            "reports_moved": len(moved), "photos_moved": effects["photos_moved"]})


def _check(db, duplicate: dict, into_id, expected_version: int | None) -> dict:
    """The issue to merge into, or a refusal saying why (in the order a user would look)."""
    if duplicate["merged_into_id"]:
        into = issue_store.require_issue(db, duplicate["merged_into_id"])
        raise DomainError(f"该议题已并入议题 #{into['number']},不能再次合并")
    if duplicate["stage"] not in _OPEN:
        raise DomainError(f"议题已{Stage(duplicate['stage']).label},不能再合并;如确属重复,请先重新打开")
    if expected_version is not None and duplicate["version"] != expected_version:
        raise StaleRecord()
    target = issue_store.get_issue(db, into_id) if isinstance(into_id, int) and not isinstance(into_id, bool) else None
    if target is None or target["compound_id"] != duplicate["compound_id"]:
        # Another compound's issue is not named: its existence is not this user's to learn.
        raise DomainError("请选择本小区的另一个议题作为合并目标")
    if target["id"] == duplicate["id"]:
        raise DomainError("不能把议题合并到自身")
    if target["merged_into_id"]:
        final = issue_store.require_issue(db, target["merged_into_id"])
        raise DomainError(f"议题 #{target['number']} 已并入议题 #{final['number']},请合并到 #{final['number']}")
    if target["stage"] == Stage.CLOSED.value:
        raise DomainError(f"议题 #{target['number']} 已关闭,不能合并到它;请先重新打开或另选议题")
    return target


def _end_what_waits(change: Change, duplicate: dict, target: dict, items: list[dict]) -> dict:
    """Inside the merge: nobody keeps waiting on the duplicate. Returns what was ended, by id, for
    the duplicate's event."""
    db, actor = change.db, change.actor
    for item in items:
        merge_store.delete_agenda_item(db, item["id"])
    cancelled = []
    reason = f"议题与 #{target['number']} 重复,已并入该议题;如仍需办理,请在 #{target['number']} 上重新分工"
    for action in merge_store.open_actions(db, duplicate["id"]):
        action_store.update_action_at_version(db, action["id"], action["version"], {"status": "cancelled"})
        action_store.insert_action_change(db, {
            "action_id": action["id"], "kind": "cancelled", "old_due_on": action["due_on"], "new_due_on": None,
            "reason": reason, "changed_by": actor.user_id, "changed_by_label": actor.label, "changed_at": stamp()})
        cancelled.append(action["id"])
    return {"withdrawn_escalation_id": _withdraw_waiting_escalation(db, duplicate["id"]),
            "dropped_agenda_item_ids": [i["id"] for i in items], "cancelled_action_ids": cancelled}


def _withdraw_waiting_escalation(db, issue_id: int) -> int | None:
    """The duplicate's escalation still waiting (if any) no longer waits: nobody above is asked to
    answer a duplicate. Returns its id."""
    waiting = escalation_store.waiting_escalation_of_issue(db, issue_id)
    if waiting is None:
        return None
    escalation_store.update_escalation_at_version(db, waiting["id"], waiting["version"],
                                                  {"withdrawn_on": today().isoformat()})
    return waiting["id"]
