"""The audit trail: who did what, and every refused attempt. Read-only; events are append-only.

Secretaries see the events of their own compounds; account events (sign-in failures, users
created, passwords) carry no compound and are for admins only. Enforced here, not in the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model.roles import Action
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
    return AuditPage(rows=found, total=total, page=page, page_size=page_size)


def audit_kinds(db, actor: Actor) -> list[str]:
    """The kinds of event the actor could filter by (those that occur in their scope)."""
    authorize(db, actor, Action.READ_AUDIT)
    return event_store.event_kinds(db, _compounds(db, actor, None))
