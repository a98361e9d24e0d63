"""The 议题台账: filtered, paginated in SQL, with counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model.lifecycle import OPEN_STAGES
from ..model.roles import Action
from ..store import rows
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


def _in(column: str, values) -> tuple[str, list]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def where_clause(compound_id: int, f: IssueFilter, on: date | None = None) -> tuple[str, list]:
    """WHERE for the register; only constant SQL fragments, values always as parameters."""
    day = (on or today()).isoformat()
    parts, params = ["i.compound_id = ?"], [compound_id]
    if not f.include_merged:
        parts.append("i.merged_into_id IS NULL")
    for column, values in (("i.stage", f.stages), ("i.category_id", f.category_ids),
                           ("i.raised_by_seat_id", f.seat_ids)):
        if values:
            sql, p = _in(column, values)
            parts.append(sql)
            params += p
    if f.overdue:
        parts.append("""((i.stage IN ('collected','deliberating','acting','escalated') AND i.stage_due_on < ?)
            OR EXISTS (SELECT 1 FROM actions a WHERE a.issue_id = i.id AND a.status IN ('open','in_progress')
                       AND a.due_on < ?))""")
        params += [day, day]
    if f.text.strip():
        parts.append("(i.title LIKE ? ESCAPE '\\' OR i.description LIKE ? ESCAPE '\\')")
        needle = "%" + f.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [needle, needle]
    if f.raised_from:
        parts.append("i.raised_on >= ?")
        params.append(f.raised_from.isoformat())
    if f.raised_to:
        parts.append("i.raised_on <= ?")
        params.append(f.raised_to.isoformat())
    return " AND ".join(parts), params


def list_issues(db, actor: Actor, compound_id: int, f: IssueFilter = IssueFilter(), *,
                page: int = 1, page_size: int = 50) -> IssuePage:
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    page_size = max(1, min(page_size, 200))
    where, params = where_clause(compound_id, f)
    # One counting query: the total is the sum of the counts by stage (same WHERE).
    by_stage = {r["stage"]: r["n"] for r in rows(
        db, "SELECT i.stage, count(*) AS n FROM issues i WHERE " + where + " GROUP BY i.stage", params)}
    total = sum(by_stage.values())
    page = max(1, min(page, max(1, -(-total // page_size))))
    found = rows(db, """
        SELECT i.id, i.title, i.stage, i.raised_on, i.raised_by_kind, i.raised_by_seat_name, i.priority,
               i.building, i.stage_due_on, i.version, i.demo, i.accepted_at, c.name AS category,
               (SELECT count(*) FROM reports r WHERE r.issue_id = i.id) AS households,
               (i.stage IN ('collected','deliberating','acting','escalated') AND i.stage_due_on < ?) AS overdue
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE """ + where + " ORDER BY i.raised_on DESC, i.id DESC LIMIT ? OFFSET ?",
        [today().isoformat(), *params, page_size, (page - 1) * page_size])
    return IssuePage(rows=found, total=total, page=page, page_size=page_size, by_stage=by_stage)
