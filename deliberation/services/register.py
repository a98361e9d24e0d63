"""The 议题台账: filtered, paginated in SQL, with counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model.lifecycle import OPEN_STAGES
from ..model.roles import Action
from ..store import issues as issue_store
from .actors import Actor
from .clock import today
from .permissions import authorize

OPEN = tuple(s.value for s in OPEN_STAGES)


@dataclass(frozen=True)
class IssueFilter:
    stages: tuple[str, ...] = ()
    category_ids: tuple[int, ...] = ()
    seat_ids: tuple[int, ...] = ()
    overdue: bool = False
    text: str = ""
    raised_from: date | None = None
    raised_to: date | None = None
    include_merged: bool = False


@dataclass(frozen=True)
class IssuePage:
    rows: list[dict]
    total: int
    page: int
    page_size: int
    by_stage: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def list_issues(db, actor: Actor, compound_id: int, f: IssueFilter = IssueFilter(), *,
                page: int = 1, page_size: int = 50) -> IssuePage:
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    page_size = max(1, min(page_size, 200))
    day = today().isoformat()
    where = issue_store.register_where(compound_id, f, day)
    # One counting query: the total is the sum of the counts by stage (same WHERE).
    by_stage = issue_store.register_counts_by_stage(db, where)
    total = sum(by_stage.values())
    page = max(1, min(page, max(1, -(-total // page_size))))
    found = issue_store.register_page_rows(db, where, day=day, limit=page_size, offset=(page - 1) * page_size)
    return IssuePage(rows=found, total=total, page=page, page_size=page_size, by_stage=by_stage)
