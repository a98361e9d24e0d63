"""Moving an issue between stages. Every service that changes a stage comes through here."""
from __future__ import annotations

from datetime import timedelta

from ..model.defaults import DEFAULT_STAGE_DAYS
from ..model.errors import DomainError, PermissionDenied, StaleRecord
from ..model.lifecycle import (
    CLOSE_REASONS, MERGE, Level, PublicityWindowOpen, Stage, find_transition, publicity_window_open,
)
from ..model.roles import Action
from ..store import escalations as escalation_store
from ..store import issues as issue_store
from ..store import notes as note_store
from ..store import roster as roster_store
from .clock import stamp, today
from .event_log import append_event
from .permissions import may
from .use_case import Change


def stage_due_on(stage_days: dict[str, int], stage: Stage, start=None) -> str | None:
    """When an issue entering `stage` on `start` (default today) is due, given its category's own
    limits (`stage_days`, overriding the defaults). Resolved and closed issues are never due."""
    if stage in (Stage.RESOLVED, Stage.CLOSED):
        return None
    days = {**DEFAULT_STAGE_DAYS, **stage_days}[stage.value]
    return ((start or today()) + timedelta(days=days)).isoformat()


def _due_on(db, category_id: int, stage: Stage, start=None) -> str | None:
    return stage_due_on(roster_store.category_stage_days(db, category_id), stage, start)


def _save(db, issue: dict, changes: dict, expected_version: int | None) -> int:
    version = issue["version"] if expected_version is None else expected_version
    return issue_store.update_issue_at_version(db, issue["id"], version, changes, updated_at=stamp())


def apply_transition(change: Change, issue_id: int, target: Stage, *,
                     expected_version: int | None = None, note: str = "", text: str = "",
                     refs: dict | None = None, level: str | None = None,
                     reason: str | None = None, meeting_id: int | None = None,
                     extra: dict | None = None, public: bool = False, on=None, via: str | None = None) -> dict:
    """A step of `change` (the caller's authorized, open transaction): check the table, write
    the stage, record the event. Returns the issue as written. `via` names the move when the table
    has two between the same stages (MERGE: closing a duplicate into another issue).

    `note` is only ever an app-written line (it stays in the append-only event); what staff typed
    goes in `text` (kept as a redactable note the event points to) or already lives in a field
    the caller names in `refs` (e.g. {"field": "public_summary"}, {"agenda_item_id": 3})."""
    db, actor = change.db, change.actor
    issue = issue_store.require_issue(db, issue_id)
    source, target = Stage(issue["stage"]), Stage(target)
    if expected_version is not None and issue["version"] != expected_version:
        raise StaleRecord()
    if issue["merged_into_id"]:
        # Its households now count on the other issue; reopened, it would vanish from every list.
        into = issue_store.require_issue(db, issue["merged_into_id"])
        raise DomainError(f"该议题已并入议题 #{into['number']},请在该议题上继续办理")
    transition = find_transition(source, target, via)
    if transition is None:
        raise DomainError(f"议题处于“{source.label}”阶段,不能直接转为“{target.label}”")
    if source == Stage.ESCALATED and escalation_store.has_unanswered_escalation(db, issue_id):
        # Leaving 上报 is what the answer does; without it the escalation would wait forever.
        raise DomainError("上级尚未答复该上报事项,请待社区/街道答复后再继续")
    if source == Stage.PUBLICIZING and target == Stage.RESOLVED \
            and publicity_window_open(issue["objection_closes_on"], min(on or today(), today())):
        # Every path to 办结 passes here (the issue page, a meeting's "settled", the daily close):
        # residents keep the whole window to object, whoever asks and whatever day they name.
        raise PublicityWindowOpen(issue["objection_closes_on"])
    if source == Stage.PUBLICIZING and target == Stage.RESOLVED and not may(actor, Action.PUBLISH, issue["compound_id"]):
        # The entry points refuse (and audit) this before their transaction; this is the backstop.
        raise PermissionDenied("只有支部书记可以办结公示中的议题")
    note, text = (note or "").strip(), (text or "").strip()
    if "note" in transition.needs and not (note or text or refs):
        raise DomainError(f"“{transition.label}”需要填写说明")
    day = on or today()
    changes: dict = {"stage": target.value, "stage_entered_on": day.isoformat(),
                     "stage_due_on": _due_on(db, issue["category_id"], target, day)}
    if target == Stage.RESOLVED:
        level = level or issue["fix_level"]
        if level not in {lv.value for lv in Level}:
            raise DomainError("办结需要选择解决层级(小区/社区/街道)")
        changes.update(resolved_level=level, resolved_on=day.isoformat(), closed_reason=None)
    if target == Stage.CLOSED:
        if reason not in CLOSE_REASONS:
            raise DomainError("关闭议题需要选择原因")
        if reason == "duplicate" and transition.name != MERGE:
            # Closed as 重复 without a merge, its households would be lost and it would count as 未解决.
            raise DomainError("重复的议题请用“合并到…”并入它重复的议题:反映户数、照片会一并转入")
        changes.update(closed_reason=reason, resolved_level=None, resolved_on=None)
    if target == Stage.DELIBERATING:
        # A new round of deliberation: whoever fixes it this time will be recorded afresh.
        changes.update(fix_level=None, resolved_level=None, resolved_on=None, closed_reason=None)
    changes.update(extra or {})
    version = _save(db, issue, changes, expected_version)
    refs = dict(refs or {})
    if text:
        refs["note_id"] = note_store.insert_note(db, issue_id, text, stamp())
    append_event(db, actor=actor, kind="transition", compound_id=issue["compound_id"],
                 issue_id=issue_id, meeting_id=meeting_id, from_stage=source.value,
                 to_stage=target.value, note=note, public=public,
                 data={"transition": transition.name, "level": changes.get("resolved_level"),
                       "reason": changes.get("closed_reason"), **refs})
    return {**issue, **changes, "version": version}
