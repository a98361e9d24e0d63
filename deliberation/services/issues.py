"""Raising, editing and moving issues (议题); merging duplicates is services/merging.py."""
from __future__ import annotations

import re
from datetime import date

from ..model.defaults import CHANNELS, PRIORITIES, RAISED_BY_KINDS
from ..model.errors import DomainError, NotFound
from ..model.lifecycle import Stage, find_transition
from ..model.roles import Action
from ..store import issues as issue_store
from ..store import reports as report_store
from ..store import response as response_store
from ..store import roster as roster_store
from .actors import Actor
from .clock import stamp, today
from .form_keys import already_created, remember_created
from .lifecycle import apply_transition, stage_due_on
from .merging import merge_issues  # noqa: F401  (merging lives in services/merging.py; callers import it here too)
from .permissions import authorize
from .use_case import Change, changing

EDITABLE = ("title", "description", "category_id", "building", "location", "priority",
            "internal_note", "public_summary")
# Fields that may hold a resident's own words, names or phone numbers: an edit's event says that
# they changed, never what they said (the events table is append-only and cannot be redacted).
PERSONAL_FIELDS = frozenset({"description", "internal_note"})
# The same rule as the board's (services/concerns.py): three digits in a row may be a unit or a
# phone number. A title corrected to take one out must not keep it in the events, so such a
# value is recorded as "changed" too.
_MAY_HOLD_NUMBERS = re.compile(r"\d{3,}")


def _check_fields(db, compound_id: int, values: dict) -> None:
    if "title" in values and not (values["title"] or "").strip():
        raise DomainError("议题标题不能为空")
    if len(values.get("title") or "") > 120:
        raise DomainError("议题标题不能超过 120 字")
    if "category_id" in values:
        category = roster_store.get_category(db, values["category_id"])
        if category is None or category["compound_id"] != compound_id or category["retired_at"] is not None:
            raise DomainError("请选择本小区在用的议题类别")
    if values.get("priority", "normal") not in PRIORITIES:
        raise DomainError("优先级只能是高、中、低")


def raise_issue(db, actor: Actor, compound_id: int, *, title: str, category_id: int,
                raised_by_kind: str = "seat", raised_by_seat_id: int | None = None,
                channel: str = "visit", raised_on: date | None = None, description: str = "",
                building: str = "", location: str = "", priority: str = "normal",
                internal_note: str = "", public_summary: str = "", reporter_name: str = "",
                unit: str = "", contact: str = "", demo: bool = False, idempotency_key: str | None = None) -> int:
    """A new concern in 巡访问事. Raised by staff, so it is accepted into the register at once.
    `idempotency_key` (services/form_keys.py): the same key submitted again returns the issue it
    created the first time (a double click on 登记 registers one issue)."""
    with changing(db, actor, Action.RAISE_ISSUE, compound_id) as change:
        if (earlier := already_created(change, "raise_issue", idempotency_key)) is not None:
            return earlier
        _check_fields(db, compound_id, {"title": title, "category_id": category_id, "priority": priority})
        if raised_by_kind not in RAISED_BY_KINDS:
            raise DomainError("提出方类型不正确")
        if channel not in CHANNELS:
            raise DomainError("渠道不正确")
        seat_name = ""
        if raised_by_kind == "seat":
            seat = roster_store.get_seat(db, raised_by_seat_id) if raised_by_seat_id is not None else None
            if seat is None or seat["compound_id"] != compound_id:
                raise DomainError("由协商主体提出的议题需要选择是哪个主体")
            seat_name = seat["name"]
        day = raised_on or today()
        if day > today():
            raise DomainError("提出日期不能晚于今天")
        issue_id = add_issue(change, {
            "compound_id": compound_id, "title": title.strip(), "description": description.strip(),
            "category_id": category_id, "raised_by_kind": raised_by_kind,
            "raised_by_seat_id": raised_by_seat_id if raised_by_kind == "seat" else None,
            "raised_by_seat_name": seat_name, "channel": channel, "raised_on": day.isoformat(),
            "building": building.strip(), "location": location.strip(), "priority": priority,
            "internal_note": internal_note.strip(), "public_summary": public_summary.strip(),
            "accepted_at": stamp(), "demo": int(demo),
        }, report={"reporter_name": reporter_name.strip(), "unit": unit.strip(), "contact": contact.strip()})
        remember_created(change, "raise_issue", idempotency_key, issue_id)
        return issue_id


def add_issue(change: Change, values: dict, *, report: dict, session_key: str = "") -> int:
    """Inside a change (already authorized and checked): the new issue in 巡访问事, its first
    report (one household or party) and its `raised` event. Returns the issue's id."""
    db, now_stamp = change.db, stamp()
    day = date.fromisoformat(values["raised_on"])
    issue_id = issue_store.insert_issue(db, {
        **values, "stage": Stage.COLLECTED.value, "stage_entered_on": day.isoformat(),
        "stage_due_on": stage_due_on(roster_store.category_stage_days(db, values["category_id"]),
                                     Stage.COLLECTED, day),
        "created_at": now_stamp, "updated_at": now_stamp,
    })
    report_store.insert_report(db, {"issue_id": issue_id, "kind": values["raised_by_kind"],
                                    "seat_id": values.get("raised_by_seat_id"), "session_key": session_key,
                                    "created_at": now_stamp, **report})
    change.record("raised", compound_id=values["compound_id"], issue_id=issue_id,
                  to_stage=Stage.COLLECTED.value, public=True)     # the title is shown from the issue, as it is now
    return issue_id


def issue_number(db, actor: Actor, issue_id: int) -> int:
    """The issue's number in its compound (what residents quote: "#16")."""
    issue = issue_store.require_issue(db, issue_id)
    authorize(db, actor, Action.READ_COMPOUND, issue["compound_id"])
    return issue["number"]


def insert_issue(db, actor: Actor, values: dict, *, report: dict, session_key: str = "") -> int:
    """A new issue with `values` taken as they are (raised_on, accepted_at, demo…), without
    raise_issue's checks: for replaying history (the demo cases)."""
    with changing(db, actor, Action.RAISE_ISSUE, values["compound_id"]) as change:
        return add_issue(change, values, report=report, session_key=session_key)


def update_issue(db, actor: Actor, issue_id: int, expected_version: int, **changes) -> int:
    """Edit the issue's text fields. A stale version is refused; the caller keeps the input."""
    compound_id = issue_store.require_issue(db, issue_id)["compound_id"]
    with changing(db, actor, Action.EDIT_ISSUE, compound_id) as change:
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise DomainError(f"不能修改这些字段:{'、'.join(sorted(unknown))}")
        changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
        _check_fields(db, compound_id, changes)
        before = issue_store.require_issue(db, issue_id)
        version = issue_store.update_issue_at_version(db, issue_id, expected_version, changes,
                                                      updated_at=stamp())
        change.record("edited", issue_id=issue_id, data=_edit_record(db, before, changes))
    return version


def _edit_record(db, before: dict, changes: dict) -> dict:
    """An edit's event data: the fields that really changed, and for the non-personal ones the
    value before and after ("what did it say before"); a category is kept by its name. A value
    that may hold a unit or phone number is recorded only as changed."""
    changed = sorted(f for f, v in changes.items() if before.get(f) != v)
    values = {}
    for field in changed:
        old, new = before.get(field), changes[field]
        if field in PERSONAL_FIELDS or any(isinstance(v, str) and _MAY_HOLD_NUMBERS.search(v) for v in (old, new)):
            continue
        if field == "category_id":
            old, new = (_category_name(db, old), _category_name(db, new))
        values[field] = {"old": old, "new": new}
    return {"fields": changed, "values": values}


def _category_name(db, category_id) -> str:
    category = roster_store.get_category(db, category_id) if category_id is not None else None
    return category["name"] if category else ""


def transition_issue(db, actor: Actor, issue_id: int, target: str, *, expected_version: int,
                     note: str = "", level: str | None = None, reason: str | None = None) -> None:
    """A stage change made directly on the issue page (not through a meeting or escalation)."""
    issue = issue_store.require_issue(db, issue_id)
    authorize(db, actor, Action.TRANSITION_ISSUE, issue["compound_id"])
    if target not in {s.value for s in Stage}:
        raise DomainError(f"没有“{target}”这个阶段")
    transition = find_transition(issue["stage"], target)
    if transition is not None and transition.name == "escalate":
        raise DomainError("上报请使用“上报社区/街道”,并填写请求事项")
    if Stage.PUBLICIZING.value in (issue["stage"], target):
        # Opening 公示, closing it or taking the result back is the publish right's (支部书记, admin):
        # a recorder records, it does not publish. Refused (and audited) before any transaction.
        authorize(db, actor, Action.PUBLISH, issue["compound_id"])
    from .publicity import publish_result, resolve_publicity
    if transition is not None and transition.name == "publish":
        publish_result(db, actor, issue_id, expected_version=expected_version, summary=note)
        return
    if transition is not None and transition.name == "resolve":
        resolve_publicity(db, actor, issue_id, expected_version=expected_version, level=level)
        return
    # apply_transition re-reads the issue inside the transaction and checks the version there.
    with changing(db, actor, Action.TRANSITION_ISSUE, issue["compound_id"]) as change:
        apply_transition(change, issue_id, Stage(target), expected_version=expected_version,
                         text=note, level=level, reason=reason,
                         public=Stage(target) in (Stage.RESOLVED, Stage.CLOSED))
        # A concern closed or put forward before it was accepted has had its answer too.
        mark_answered(change, issue_id)


def mark_answered(change: Change, issue_id: int) -> None:
    """Inside a change: the concern has had its first answer now (the response clock stops);
    an earlier answer's time is kept, never moved."""
    response_store.mark_responded(change.db, issue_id, stamp())


def accept_concern(db, actor: Actor, issue_id: int, expected_version: int, *, title: str | None = None,
                   public_summary: str | None = None) -> None:
    """A resident's concern, checked by the secretary, enters the register."""
    compound_id = issue_store.require_issue(db, issue_id)["compound_id"]
    with changing(db, actor, Action.EDIT_ISSUE, compound_id) as change:
        if issue_store.require_issue(db, issue_id)["accepted_at"]:
            raise DomainError("该反映已受理")
        before = issue_store.require_issue(db, issue_id)
        edits = {}
        if title:
            edits["title"] = title.strip()
        if public_summary is not None:
            edits["public_summary"] = public_summary.strip()
        issue_store.update_issue_at_version(db, issue_id, expected_version, {"accepted_at": stamp(), **edits},
                                            updated_at=stamp())
        mark_answered(change, issue_id)
        # Before acceptance the title is the resident's own wording (it may name them): the event
        # says which fields the secretary rewrote, never the old text.
        rewritten = sorted(f for f, v in edits.items() if before.get(f) != v)
        change.record("accepted", issue_id=issue_id, note="已受理,进入议题台账", public=True,
                      data={"fields": rewritten} if rewritten else None)


def reject_concern(db, actor: Actor, issue_id: int, expected_version: int, reason: str) -> None:
    """Refused with a reason that the public board shows."""
    compound_id = issue_store.require_issue(db, issue_id)["compound_id"]
    with changing(db, actor, Action.TRANSITION_ISSUE, compound_id) as change:
        if not reason.strip():
            raise DomainError("不予受理需要写明理由(将在公示栏显示)")
        apply_transition(change, issue_id, Stage.CLOSED, expected_version=expected_version,
                         refs={"field": "public_reply"}, reason="rejected", public=True,
                         extra={"public_reply": reason.strip()})
        mark_answered(change, issue_id)


def add_reporting_household(change: Change, issue_id: int, *, session_key: str, unit: str = "",
                            contact: str = "", household_code_id: int | None = None, client_key: str = "") -> None:
    """Inside a change (already checked): one more household reports the issue ("我也遇到");
    household_code_id/client_key: who spoke, for one voice per household and the board's limits."""
    report_store.insert_report(change.db, {"issue_id": issue_id, "kind": "resident", "unit": unit.strip(),
                                           "contact": contact.strip(), "session_key": session_key,
                                           "household_code_id": household_code_id, "client_key": client_key,
                                           "created_at": stamp()})
    change.record("household_added", issue_id=issue_id, note="又一户居民反映同一问题", public=True)


def add_household(db, issue_id: int, *, session_key: str, actor: Actor, unit: str = "",
                  contact: str = "") -> None:
    """"我也遇到" without the board's limits (residents go through concerns.join_concern)."""
    with changing(db, actor, Action.RAISE_PUBLIC_CONCERN, issue_store.require_issue(db, issue_id)["compound_id"]) as change:
        issue = issue_store.require_issue(db, issue_id)
        if issue["stage"] in (Stage.RESOLVED.value, Stage.CLOSED.value):
            raise DomainError("该议题已办结或关闭,请另行反映")
        if issue["merged_into_id"]:
            raise NotFound("该议题已合并")
        add_reporting_household(change, issue_id, session_key=session_key, unit=unit, contact=contact)
