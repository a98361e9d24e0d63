"""The response clock (响应时限): a resident's concern must be accepted, merged or answered within
its compound's limit (compounds.response_limit_hours, default 24 h), counted from the moment it
arrived. issues.responded_at holds the first answer (services/issues.py sets it, once).

The 工作台 lists the compound's concerns still waiting: "near" once NEAR_SHARE of the limit has
passed, "past" once the limit has. The resident's track page reads `response_status`, which
holds times only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import public as public_store
from ..store import response as response_store
from .actors import Actor
from .clock import now
from .markers import public_read
from .permissions import authorize

NEAR_SHARE = 0.75          # three quarters of the limit gone: time to answer
LIMIT_MIN_HOURS, LIMIT_MAX_HOURS = 1, 720


def check_limit_hours(hours) -> int:
    """The limit a compound may set: whole hours from 1 to 720 (30 days)."""
    if isinstance(hours, bool) or not isinstance(hours, int) or not LIMIT_MIN_HOURS <= hours <= LIMIT_MAX_HOURS:
        raise DomainError(f"响应时限必须是 {LIMIT_MIN_HOURS} 到 {LIMIT_MAX_HOURS} 之间的整数小时")
    return hours


def due_at(received_at: str, limit_hours: int) -> datetime:
    return datetime.fromisoformat(received_at) + timedelta(hours=limit_hours)


@dataclass(frozen=True)
class WaitingConcern:
    """A concern still waiting for its first answer, with its clock."""
    id: int
    number: int
    title: str
    category: str
    building: str
    received_at: str
    due_at: datetime
    hours_left: float          # negative: hours over the limit
    past: bool                 # the limit has passed
    demo: bool

    @property
    def hours_over(self) -> float:
        return max(0.0, -self.hours_left)


def concerns_on_the_clock(db, actor: Actor, compound_id: int, *, near_share: float = NEAR_SHARE) -> list[WaitingConcern]:
    """The compound's residents' concerns unanswered and near (≥ near_share of the limit gone) or
    past their limit, the most urgent first."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    compound = compound_store.get_compound(db, compound_id)
    if compound is None:
        raise NotFound("找不到该小区")
    limit = compound["response_limit_hours"]
    moment, found = now(), []
    for r in response_store.unanswered_resident_concerns(db, compound_id):
        due = due_at(r["received_at"], limit)
        left = (due - moment).total_seconds() / 3600
        if left > limit * (1 - near_share):
            continue                                      # still early: the ordinary 待受理 list holds it
        found.append(WaitingConcern(id=r["id"], number=r["number"], title=r["title"], category=r["category"],
                                    building=r["building"], received_at=r["received_at"], due_at=due,
                                    hours_left=round(left, 1), past=moment > due, demo=bool(r["demo"])))
    return sorted(found, key=lambda c: (c.due_at, c.id))


@public_read
def response_status(db, issue_id: int) -> dict | None:
    """The response clock of one concern, times only: {limit_hours, due_at, responded_at,
    overdue}. due_at/responded_at are 'YYYY-MM-DD HH:MM:SS' text; overdue: unanswered past the
    limit, or answered after it. None for an unknown issue; for an issue not raised by a resident
    (answered as it was raised) due_at is None."""
    row = public_store.response_clock_of_issue(db, issue_id)
    if row is None:
        return None
    limit = row["response_limit_hours"]
    if row["raised_by_kind"] != "resident":
        return {"limit_hours": limit, "due_at": None, "responded_at": row["responded_at"], "overdue": False}
    due = due_at(row["received_at"], limit)
    answered = row["responded_at"]
    overdue = (datetime.fromisoformat(answered) > due) if answered else now() > due
    return {"limit_hours": limit, "due_at": due.isoformat(sep=" "), "responded_at": answered, "overdue": overdue}
