"""Raising, editing, merging and moving issues (议题)."""
from __future__ import annotations

from datetime import date
from typing import Callable

from ..model.defaults import CHANNELS, PRIORITIES, RAISED_BY_KINDS
from ..model.errors import DomainError, NotFound
from ..model.lifecycle import Stage, find_transition
from ..model.roles import Action
from ..store import one, write
from .actors import Actor
from .clock import now, today
from .event_log import append_event
from .permissions import authorize
from .lifecycle import apply_transition, due_on, load_issue, save_issue

EDITABLE = ("title", "description", "category_id", "building", "location", "priority",
            "internal_note", "public_summary")


def _check_fields(db, compound_id: int, values: dict) -> None:
    if "title" in values and not (values["title"] or "").strip():
        raise DomainError("议题标题不能为空")
    if len(values.get("title") or "") > 120:
        raise DomainError("议题标题不能超过 120 字")
    if "category_id" in values and one(
            db, "SELECT 1 AS x FROM categories WHERE id = ? AND compound_id = ? AND retired_at IS NULL",
            [values["category_id"], compound_id]) is None:
        raise DomainError("请选择本小区在用的议题类别")
    if values.get("priority", "normal") not in PRIORITIES:
        raise DomainError("优先级只能是高、中、低")


def raise_issue(db, actor: Actor, compound_id: int, *, title: str, category_id: int,
                raised_by_kind: str = "seat", raised_by_seat_id: int | None = None,
                channel: str = "visit", raised_on: date | None = None, description: str = "",
                building: str = "", location: str = "", priority: str = "normal",
                internal_note: str = "", public_summary: str = "", reporter_name: str = "",
                unit: str = "", contact: str = "", demo: bool = False) -> int:
    """A new concern in 巡访问事. Raised by staff, so it is accepted into the register at once."""
    authorize(db, actor, Action.RAISE_ISSUE, compound_id)
    values = {"title": title, "category_id": category_id, "priority": priority}
    _check_fields(db, compound_id, values)
    if raised_by_kind not in RAISED_BY_KINDS:
        raise DomainError("提出方类型不正确")
    if channel not in CHANNELS:
        raise DomainError("渠道不正确")
    seat_name = ""
    if raised_by_kind == "seat":
        seat = one(db, "SELECT name FROM seats WHERE id = ? AND compound_id = ?", [raised_by_seat_id, compound_id])
        if seat is None:
            raise DomainError("由协商主体提出的议题需要选择是哪个主体")
        seat_name = seat["name"]
    day = raised_on or today()
    if day > today():
        raise DomainError("提出日期不能晚于今天")
    return insert_issue(db, actor, {
        "compound_id": compound_id, "title": title.strip(), "description": description.strip(),
        "category_id": category_id, "raised_by_kind": raised_by_kind,
        "raised_by_seat_id": raised_by_seat_id if raised_by_kind == "seat" else None,
        "raised_by_seat_name": seat_name, "channel": channel, "raised_on": day.isoformat(),
        "building": building.strip(), "location": location.strip(), "priority": priority,
        "internal_note": internal_note.strip(), "public_summary": public_summary.strip(),
        "accepted_at": now().isoformat(sep=" "), "demo": int(demo),
    }, report={"reporter_name": reporter_name.strip(), "unit": unit.strip(), "contact": contact.strip()})


def insert_issue(db, actor: Actor, values: dict, *, report: dict, session_key: str = "",
                 check: Callable[[], None] | None = None) -> int:
    """Write a new issue, its first report (one household or party) and its event, atomically.
    `check` runs inside the write transaction (writers are serialised there), so a limit it
    enforces holds even for two submissions at the same moment."""
    stamp = now().isoformat(sep=" ")
    day = date.fromisoformat(values["raised_on"])
    with write(db):
        if check:
            check()
        issue_id = db["issues"].insert({
            **values, "stage": Stage.COLLECTED.value, "stage_entered_on": day.isoformat(),
            "stage_due_on": due_on(db, values["category_id"], Stage.COLLECTED, day),
            "created_at": stamp, "updated_at": stamp,
        }).last_pk
        db["reports"].insert({"issue_id": issue_id, "kind": values["raised_by_kind"],
                              "seat_id": values.get("raised_by_seat_id"), "session_key": session_key,
                              "created_at": stamp, **report})
        append_event(db, actor=actor, kind="raised", compound_id=values["compound_id"], issue_id=issue_id,
                     to_stage=Stage.COLLECTED.value, note=values["title"], public=True)
    return issue_id


def update_issue(db, actor: Actor, issue_id: int, expected_version: int, **changes) -> int:
    """Edit the issue's text fields. A stale version is refused; the caller keeps the input."""
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.EDIT_ISSUE, issue["compound_id"])
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改这些字段:{'、'.join(sorted(unknown))}")
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    _check_fields(db, issue["compound_id"], changes)
    with write(db):
        version = save_issue(db, load_issue(db, issue_id), changes, expected_version)
        append_event(db, actor=actor, kind="edited", compound_id=issue["compound_id"], issue_id=issue_id,
                     data={"fields": sorted(changes)})
    return version


def transition_issue(db, actor: Actor, issue_id: int, target: str, *, expected_version: int,
                     note: str = "", level: str | None = None, reason: str | None = None) -> None:
    """A stage change made directly on the issue page (not through a meeting or escalation)."""
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.TRANSITION_ISSUE, issue["compound_id"])
    transition = find_transition(issue["stage"], target)
    if transition is not None and transition.name == "escalate":
        raise DomainError("上报请使用“上报社区/街道”,并填写请求事项")
    if transition is not None and transition.name == "publish":
        from .publicity import publish_result
        publish_result(db, actor, issue_id, expected_version=expected_version, summary=note)
        return
    with write(db):
        apply_transition(db, actor, issue_id, Stage(target), expected_version=expected_version,
                         note=note, level=level, reason=reason,
                         public=Stage(target) in (Stage.RESOLVED, Stage.CLOSED))


def accept_concern(db, actor: Actor, issue_id: int, expected_version: int, *, title: str | None = None,
                   public_summary: str | None = None) -> None:
    """A resident's concern, checked by the secretary, enters the register."""
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.EDIT_ISSUE, issue["compound_id"])
    if issue["accepted_at"]:
        raise DomainError("该反映已受理")
    changes = {"accepted_at": now().isoformat(sep=" ")}
    if title:
        changes["title"] = title.strip()
    if public_summary is not None:
        changes["public_summary"] = public_summary.strip()
    with write(db):
        save_issue(db, issue, changes, expected_version)
        append_event(db, actor=actor, kind="accepted", compound_id=issue["compound_id"], issue_id=issue_id,
                     note="已受理,进入议题台账", public=True)


def reject_concern(db, actor: Actor, issue_id: int, expected_version: int, reason: str) -> None:
    """Refused with a reason that the public board shows."""
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.TRANSITION_ISSUE, issue["compound_id"])
    if not reason.strip():
        raise DomainError("不予受理需要写明理由(将在公示栏显示)")
    with write(db):
        apply_transition(db, actor, issue_id, Stage.CLOSED, expected_version=expected_version,
                         note=reason, reason="rejected", public=True,
                         extra={"public_reply": reason.strip()})


def merge_issues(db, actor: Actor, duplicate_id: int, into_id: int, *, expected_version: int | None = None) -> None:
    """The duplicate closes as 重复; its households count towards the issue it joins."""
    duplicate, target = load_issue(db, duplicate_id), load_issue(db, into_id)
    authorize(db, actor, Action.TRANSITION_ISSUE, duplicate["compound_id"])
    if duplicate["compound_id"] != target["compound_id"]:
        raise DomainError("只能合并同一小区的议题")
    if duplicate_id == into_id:
        raise DomainError("不能把议题合并到自身")
    if target["stage"] in (Stage.CLOSED.value,) or target["merged_into_id"]:
        raise DomainError("目标议题已关闭,不能合并到它")
    with write(db):
        apply_transition(db, actor, duplicate_id, Stage.CLOSED, expected_version=expected_version,
                         note=f"与议题 #{into_id} 重复,已合并", reason="duplicate", public=True,
                         extra={"merged_into_id": into_id,
                                "public_reply": f"已并入议题 #{into_id}"})
        db.execute("UPDATE reports SET issue_id = ? WHERE issue_id = ?", [into_id, duplicate_id])
        append_event(db, actor=actor, kind="merged", compound_id=target["compound_id"], issue_id=into_id,
                     note=f"并入重复议题 #{duplicate_id}", data={"duplicate_id": duplicate_id}, public=True)


def add_household(db, issue_id: int, *, session_key: str, actor: Actor, unit: str = "", contact: str = "",
                  check: Callable[[], None] | None = None) -> None:
    """"我也遇到": another household reports the same open issue. `check`: as in insert_issue."""
    issue = load_issue(db, issue_id)
    if issue["stage"] in (Stage.RESOLVED.value, Stage.CLOSED.value):
        raise DomainError("该议题已办结或关闭,请另行反映")
    if issue["merged_into_id"]:
        raise NotFound("该议题已合并")
    with write(db):
        if check:
            check()
        db["reports"].insert({"issue_id": issue_id, "kind": "resident", "unit": unit.strip(),
                              "contact": contact.strip(), "session_key": session_key,
                              "created_at": now().isoformat(sep=" ")})
        append_event(db, actor=actor, kind="household_added", compound_id=issue["compound_id"],
                     issue_id=issue_id, note="又一户居民反映同一问题", public=True)
