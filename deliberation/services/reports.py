"""The 月报 (monthly report) of a compound or of an area, as a ReportView.

What a month covers (each section of exports.report):
  meetings        held (not planned) with their date in the month; attendance by seat over them
  issues          those "in play" in the month: raised by its end and not already finished
                  (resolved/closed) before it began; by their stage at the month's end (from the
                  stage events) and by category
  721             issues resolved in the month, by the level that fixed them, against 70/20/10
  escalations     open at some point in the month: requested by its end, not answered before it;
                  the answer is shown if it came by the month's end
  overdue actions past their due date at the month's end (or today, for the current month) and
                  not done by then
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

from ..exports.views import ReportView
from ..model.errors import DomainError, NotFound
from ..model.lifecycle import LEVEL_TARGETS, STAGE_LABELS, Level, Stage
from ..model.roles import Action
from ..store import one, rows
from .actors import Actor
from .clock import today
from .permissions import authorize
from .rollup import rollup_scope

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SCOPE = "SELECT value FROM json_each(?)"
FINISHED = (Stage.RESOLVED.value, Stage.CLOSED.value)


def month_bounds(month: str) -> tuple[date, date]:
    """(first day, first day of the next month) of 'YYYY-MM'; refuses the future."""
    found = _MONTH.match(month or "")
    if not found or not 1 <= int(found[2]) <= 12:
        raise DomainError("月份格式应为 YYYY-MM,如 2025-03")
    start = date(int(found[1]), int(found[2]), 1)
    if start > today():
        raise DomainError("不能生成未来月份的月报")
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following


def report_scope(db, actor: Actor, *, compound_id: int | None = None,
                 area_id: int | None = None) -> tuple[str, frozenset[int]]:
    """(scope name, compound ids) the actor may report on."""
    if (compound_id is None) == (area_id is None):
        raise DomainError("请选择一个小区或一个区域")
    if compound_id is not None:
        authorize(db, actor, Action.REPORTS, compound_id)
        compound = one(db, "SELECT name FROM compounds WHERE id = ?", [compound_id])
        if compound is None:
            raise NotFound("找不到该小区")
        return compound["name"], frozenset({compound_id})
    scope = rollup_scope(db, actor, area_id)
    return one(db, "SELECT name FROM areas WHERE id = ?", [area_id])["name"], scope


def report_view(db, actor: Actor, *, compound_id: int | None = None, area_id: int | None = None,
                month: str) -> ReportView:
    name, scope = report_scope(db, actor, compound_id=compound_id, area_id=area_id)
    start, following = month_bounds(month)
    ids = json.dumps(sorted(scope))
    first, next_first = start.isoformat(), following.isoformat()
    meetings = rows(db, f"""SELECT id FROM meetings WHERE compound_id IN ({_SCOPE}) AND status != 'planned'
                            AND scheduled_at >= ? AND scheduled_at < ?""", [ids, first, next_first])
    demo = bool(one(db, f"SELECT max(demo) AS d FROM compounds WHERE id IN ({_SCOPE})", [ids])["d"])
    stages, categories = _issues_in_play(db, ids, first, next_first)
    return ReportView(
        scope_name=name, month=f"{start:%Y-%m}", meetings_held=len(meetings),
        attendance_by_seat=_attendance(db, [m["id"] for m in meetings]),
        issues_by_stage=stages, issues_by_category=categories,
        resolved_by_level=_levels(db, ids, first, next_first),
        escalations=_escalations(db, ids, first, next_first),
        overdue_actions=_overdue(db, ids, min(following, today()).isoformat()),
        demo=demo)


def _attendance(db, meeting_ids: list[int]) -> tuple[tuple[str, float], ...]:
    if not meeting_ids:
        return ()
    found = rows(db, f"""
        SELECT a.seat_name, min(s.position) AS position, count(*) AS lines,
               sum(a.status IN ('present', 'proxy')) AS present
        FROM attendance a JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id IN ({_SCOPE}) GROUP BY a.seat_name ORDER BY position, a.seat_name""",
                 [json.dumps(meeting_ids)])
    return tuple((r["seat_name"], round(r["present"] / r["lines"], 3)) for r in found)


def _issues_in_play(db, ids: str, first: str, next_first: str):
    # The stage at a moment is the target of the last stage event before it; an issue with no
    # such event (imported later, say) is taken at its current stage. Only issues open now or
    # touched since the month began can have been in play: at a district's scale that skips the
    # event history of hundreds of thousands of long-finished issues (both halves use an index).
    found = rows(db, f"""
        WITH candidates(id) AS (
          SELECT id FROM issues WHERE compound_id IN ({_SCOPE}) AND merged_into_id IS NULL
            AND stage IN ('collected', 'deliberating', 'acting', 'escalated', 'publicizing')
          UNION ALL
          SELECT id FROM issues WHERE compound_id IN ({_SCOPE}) AND merged_into_id IS NULL
            AND updated_at >= ? AND stage IN ('resolved', 'closed'))
        SELECT i.stage, i.raised_on, i.resolved_on, c.name AS category,
          (SELECT e.to_stage FROM events e WHERE e.issue_id = i.id AND e.to_stage IS NOT NULL
             AND e.created_at < ? ORDER BY e.id DESC LIMIT 1) AS stage_at_end,
          (SELECT e.to_stage FROM events e WHERE e.issue_id = i.id AND e.to_stage IS NOT NULL
             AND e.created_at < ? ORDER BY e.id DESC LIMIT 1) AS stage_at_start
        FROM candidates JOIN issues i ON i.id = candidates.id JOIN categories c ON c.id = i.category_id
        WHERE i.raised_on < ?""", [ids, ids, first, next_first, first, next_first])
    by_stage: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for r in found:
        if r["stage_at_start"] in FINISHED:
            continue
        if r["stage_at_end"] is None and r["stage"] in FINISHED and (r["resolved_on"] or r["raised_on"]) < first:
            continue        # imported as already finished: its dates are all the history it has
        stage = r["stage_at_end"] or r["stage"]
        by_stage[stage] = by_stage.get(stage, 0) + 1
        by_category[r["category"]] = by_category.get(r["category"], 0) + 1
    stages = tuple((label, by_stage[s.value]) for s, label in STAGE_LABELS.items() if by_stage.get(s.value))
    categories = tuple(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])))
    return stages, categories


def _levels(db, ids: str, first: str, next_first: str) -> tuple[tuple[str, int, float, float], ...]:
    counts = {r["resolved_level"]: r["n"] for r in rows(db, f"""
        SELECT resolved_level, count(*) AS n FROM issues
        WHERE compound_id IN ({_SCOPE}) AND stage = 'resolved' AND resolved_on >= ? AND resolved_on < ?
          AND merged_into_id IS NULL GROUP BY resolved_level""", [ids, first, next_first])}
    total = sum(counts.values())
    return tuple((level.label, counts.get(level.value, 0),
                  round(counts.get(level.value, 0) / total, 3) if total else 0.0, LEVEL_TARGETS[level])
                 for level in Level)


def _escalations(db, ids: str, first: str, next_first: str) -> tuple[tuple[str, str, str, str], ...]:
    found = rows(db, f"""
        SELECT c.name AS compound, i.title, e.request, e.answer, e.answered_on
        FROM escalations e JOIN issues i ON i.id = e.issue_id JOIN compounds c ON c.id = i.compound_id
        WHERE i.compound_id IN ({_SCOPE}) AND e.requested_on < ? AND (e.answered_on IS NULL OR e.answered_on >= ?)
        ORDER BY e.requested_on, e.id""", [ids, next_first, first])
    return tuple((r["compound"], r["title"], r["request"],
                  r["answer"] if r["answered_on"] and r["answered_on"] < next_first else "") for r in found)


def _overdue(db, ids: str, cutoff: str) -> tuple[tuple[str, str, str, str], ...]:
    # Still open and past due, or done only after the cutoff. The first half reads the index of
    # open actions per issue; the second scans actions once (no index on done_on), which beats
    # visiting every issue's actions across a district.
    found = rows(db, f"""
        SELECT * FROM (
          SELECT a.id, c.name AS compound, a.seat_name, a.task, a.due_on
          FROM issues i JOIN actions a ON a.issue_id = i.id JOIN compounds c ON c.id = i.compound_id
          WHERE i.compound_id IN ({_SCOPE}) AND a.status IN ('open', 'in_progress') AND a.due_on < ?
          UNION ALL
          SELECT a.id, c.name, a.seat_name, a.task, a.due_on
          FROM actions a NOT INDEXED CROSS JOIN issues i ON i.id = a.issue_id JOIN compounds c ON c.id = i.compound_id
          WHERE a.status = 'done' AND a.done_on >= ? AND a.due_on < ? AND i.compound_id IN ({_SCOPE}))
        ORDER BY due_on, id""", [ids, cutoff, cutoff, cutoff, ids])
    return tuple((r["compound"], r["seat_name"], r["task"], r["due_on"]) for r in found)


def recent_months(count: int = 12) -> list[str]:
    """'YYYY-MM' of this month and the ones before it, newest first: the page's month picker."""
    day, out = today().replace(day=1), []
    for _ in range(count):
        out.append(f"{day:%Y-%m}")
        day = (day - timedelta(days=1)).replace(day=1)
    return out
