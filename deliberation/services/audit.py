"""The audit trail: who did what, and every refused attempt. Read-only; events are append-only.

Secretaries see the events of their own compounds; account events (sign-in failures, users
created, passwords) carry no compound and are for admins only. Enforced here, not in the page.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from ..model.roles import Action
from ..store import audit_values as values_store
from ..store import events as event_store
from .actors import Actor
from .permissions import authorize, refuse

REFUSALS = ("refused", "login_failed")


@dataclass(frozen=True)
class AuditFilter:
    kinds: tuple[str, ...] = ()
    compound_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    refusals_only: bool = False


@dataclass(frozen=True)
class AuditPage:
    rows: list[dict]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _compounds(db, actor: Actor, compound_id: int | None) -> tuple[int, ...] | None:
    """The compounds whose events the actor may read here (None: every event, for admins)."""
    if compound_id is not None:
        if not actor.covers(compound_id):
            refuse(db, actor, Action.READ_AUDIT, compound_id)
        return (compound_id,)
    return None if actor.is_admin else tuple(sorted(actor.compound_ids))


def _selection(db, actor: Actor, f: AuditFilter) -> event_store.EventSelection:
    return event_store.EventSelection(
        compound_ids=_compounds(db, actor, f.compound_id),
        kinds=REFUSALS if f.refusals_only else tuple(f.kinds),
        since=f.date_from.isoformat() if f.date_from else None,
        before=(f.date_to + timedelta(days=1)).isoformat() if f.date_to else None)


def audit_events(db, actor: Actor, f: AuditFilter = AuditFilter(), *, page: int = 1,
                 page_size: int = 50) -> AuditPage:
    """Newest first, paginated in SQL."""
    authorize(db, actor, Action.READ_AUDIT, f.compound_id)
    selection = _selection(db, actor, f)
    total = event_store.count_events(db, selection)
    page = max(1, min(page, max(1, -(-total // page_size))))
    found = event_store.events_newest_first(db, selection, limit=page_size, offset=(page - 1) * page_size)
    issue_ids = [e["issue_id"] for e in found if e["issue_id"]]
    redactions = values_store.redactions_of_issues(db, issue_ids)
    numbers = values_store.numbers_of_issues(db, issue_ids)
    for event in found:
        event["changes"] = field_changes(event, redactions.get(event["issue_id"], {}))
        event["issue_number"] = numbers.get(event["issue_id"])
    return AuditPage(rows=found, total=total, page=page, page_size=page_size)


@dataclass(frozen=True)
class FieldChange:
    """One field an event changed. `old`/`new` are None when the value is not kept: a personal
    field (only that it changed) or a field redacted since."""
    field: str
    old: object = None
    new: object = None
    redacted: bool = False

    @property
    def has_values(self) -> bool:
        return not self.redacted and (self.old is not None or self.new is not None)


def field_changes(event: dict, redacted_fields: dict[str, int]) -> list[FieldChange]:
    """The fields an event changed, with old and new values where they were kept.
    `redacted_fields`: {field: id of the latest redaction of that field on the event's issue};
    an event older than it shows the field as redacted, never the value."""
    data = event.get("data") or {}
    if isinstance(data, str):
        data = json.loads(data)
    values = data.get("values") or {}
    changes = []
    for field in dict.fromkeys([*(data.get("fields") or []), *values]):
        if field in redacted_fields and event["id"] < redacted_fields[field]:
            changes.append(FieldChange(field, redacted=True))
        elif field in values:
            changes.append(FieldChange(field, values[field].get("old"), values[field].get("new")))
        else:
            changes.append(FieldChange(field))
    return sorted(changes, key=lambda c: not c.has_values)     # what it said before comes first


def redactions_in_timeline(events: list[dict]) -> dict[str, int]:
    """From one issue's own events (oldest first): {field: id of its latest redaction}."""
    found: dict[str, int] = {}
    for event in events:
        data = event.get("data") or {}
        if event["kind"] == "redacted" and data.get("kind") == "issue":
            found[data.get("field")] = event["id"]
    return found


def audit_kinds(db, actor: Actor) -> list[str]:
    """The kinds of event the actor could filter by (those that occur in their scope)."""
    authorize(db, actor, Action.READ_AUDIT)
    return event_store.event_kinds(db, _compounds(db, actor, None))
