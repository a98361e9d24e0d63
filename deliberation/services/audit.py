"""The audit trail: who did what, and every refused attempt. Read-only; events are append-only.

Secretaries see the events of their own compounds; account events (sign-in failures, users
created, passwords) carry no compound and are for admins only. Enforced here, not in the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model.roles import Action
from ..store import rows, scalar
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


def _scope(db, actor: Actor, compound_id: int | None) -> tuple[str, list]:
    """The compounds the actor may audit, as a WHERE fragment with parameters."""
    if compound_id is not None:
        if not actor.covers(compound_id):
            refuse(db, actor, Action.READ_AUDIT, compound_id)
        return "e.compound_id = ?", [compound_id]
    if actor.is_admin:
        return "1 = 1", []
    ids = sorted(actor.compound_ids)
    if not ids:
        return "0 = 1", []
    return f"e.compound_id IN ({', '.join('?' for _ in ids)})", ids


def _where(db, actor: Actor, f: AuditFilter) -> tuple[str, list]:
    scope, params = _scope(db, actor, f.compound_id)
    parts = [scope]
    kinds = REFUSALS if f.refusals_only else f.kinds
    if kinds:
        parts.append(f"e.kind IN ({', '.join('?' for _ in kinds)})")
        params += list(kinds)
    if f.date_from:
        parts.append("e.created_at >= ?")
        params.append(f.date_from.isoformat())
    if f.date_to:
        parts.append("e.created_at < ?")
        params.append((f.date_to + timedelta(days=1)).isoformat())
    return " AND ".join(parts), params


def audit_events(db, actor: Actor, f: AuditFilter = AuditFilter(), *, page: int = 1,
                 page_size: int = 50) -> AuditPage:
    """Newest first, paginated in SQL."""
    authorize(db, actor, Action.READ_AUDIT, f.compound_id)
    where, params = _where(db, actor, f)
    total = scalar(db, f"SELECT count(*) FROM events e WHERE {where}", params)
    page = max(1, min(page, max(1, -(-total // page_size))))
    found = rows(db, f"""
        SELECT e.id, e.created_at, e.kind, e.actor_label, e.compound_id, c.name AS compound, e.issue_id,
               e.meeting_id, e.from_stage, e.to_stage, e.note, e.data
        FROM events e LEFT JOIN compounds c ON c.id = e.compound_id
        WHERE {where} ORDER BY e.id DESC LIMIT ? OFFSET ?""", [*params, page_size, (page - 1) * page_size])
    return AuditPage(rows=found, total=total, page=page, page_size=page_size)


def audit_kinds(db, actor: Actor) -> list[str]:
    """The kinds of event the actor could filter by (those that occur in their scope)."""
    authorize(db, actor, Action.READ_AUDIT)
    where, params = _scope(db, actor, None)
    return [r["kind"] for r in rows(db, f"SELECT DISTINCT e.kind FROM events e WHERE {where} ORDER BY e.kind",
                                    params)]
