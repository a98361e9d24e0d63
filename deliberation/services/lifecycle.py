"""Moving an issue between stages. Every service that changes a stage comes through here."""
from __future__ import annotations

from datetime import timedelta

from ..model.defaults import DEFAULT_STAGE_DAYS
from ..model.errors import DomainError, NotFound, StaleRecord
from ..model.lifecycle import CLOSE_REASONS, Level, Stage, find_transition
from ..store import one
from .compounds import stage_days
from .actors import Actor
from .clock import now, today
from .event_log import append_event


def load_issue(db, issue_id: int) -> dict:
    issue = one(db, "SELECT * FROM issues WHERE id = ?", [issue_id])
    if issue is None:
        raise NotFound("找不到该议题")
    return issue


def due_on(db, category_id: int, stage: Stage, start=None) -> str | None:
    if stage in (Stage.RESOLVED, Stage.CLOSED):
        return None
    days = {**DEFAULT_STAGE_DAYS, **stage_days(db, category_id)}[stage.value]
    return ((start or today()) + timedelta(days=days)).isoformat()


def save_issue(db, issue: dict, changes: dict, expected_version: int | None) -> int:
    """Write `changes` if the row still has the version the user read; return the new version."""
    version = issue["version"] if expected_version is None else expected_version
    # Claim the version first: a concurrent edit that got there before us makes this a no-op.
    cur = db.execute("UPDATE issues SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                     [now().isoformat(sep=" "), issue["id"], version])
    if cur.rowcount != 1:
        raise StaleRecord()
    if changes:
        db["issues"].update(issue["id"], changes)
    return version + 1


def apply_transition(db, actor: Actor, issue_id: int, target: Stage, *,
                     expected_version: int | None = None, note: str = "", level: str | None = None,
                     reason: str | None = None, meeting_id: int | None = None,
                     extra: dict | None = None, public: bool = False, on=None) -> dict:
    """Inside an open write transaction: check the table, write the stage, append the event."""
    issue = load_issue(db, issue_id)
    source, target = Stage(issue["stage"]), Stage(target)
    if expected_version is not None and issue["version"] != expected_version:
        raise StaleRecord()
    if issue["merged_into_id"]:
        # Its households now count on the other issue; reopened, it would vanish from every list.
        raise DomainError(f"该议题已并入议题 #{issue['merged_into_id']},请在该议题上继续办理")
    transition = find_transition(source, target)
    if transition is None:
        raise DomainError(f"议题处于“{source.label}”阶段,不能直接转为“{target.label}”")
    if source == Stage.ESCALATED and one(
            db, "SELECT 1 AS x FROM escalations WHERE issue_id = ? AND answered_on IS NULL", [issue_id]):
        # Leaving 上报 is what the answer does; without it the escalation would wait forever.
        raise DomainError("上级尚未答复该上报事项,请待社区/街道答复后再继续")
    note = (note or "").strip()
    if "note" in transition.needs and not note:
        raise DomainError(f"“{transition.label}”需要填写说明")
    day = on or today()
    changes: dict = {"stage": target.value, "stage_entered_on": day.isoformat(),
                     "stage_due_on": due_on(db, issue["category_id"], target, day)}
    if target == Stage.RESOLVED:
        level = level or issue["fix_level"]
        if level not in {lv.value for lv in Level}:
            raise DomainError("办结需要选择解决层级(小区/社区/街道)")
        changes.update(resolved_level=level, resolved_on=day.isoformat(), closed_reason=None)
    if target == Stage.CLOSED:
        if reason not in CLOSE_REASONS:
            raise DomainError("关闭议题需要选择原因")
        changes.update(closed_reason=reason, resolved_level=None, resolved_on=None)
    if target == Stage.DELIBERATING:
        # A new round of deliberation: whoever fixes it this time will be recorded afresh.
        changes.update(fix_level=None, resolved_level=None, resolved_on=None, closed_reason=None)
    changes.update(extra or {})
    version = save_issue(db, issue, changes, expected_version)
    append_event(db, actor=actor, kind="transition", compound_id=issue["compound_id"],
                 issue_id=issue_id, meeting_id=meeting_id, from_stage=source.value,
                 to_stage=target.value, note=note, public=public,
                 data={"transition": transition.name, "level": changes.get("resolved_level"),
                       "reason": changes.get("closed_reason")})
    return {**issue, **changes, "version": version}
