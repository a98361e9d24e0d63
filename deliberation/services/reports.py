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
  三率            响应率, 解决率, 满意率 over the month (services/three_rates.py says what each counts)
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..exports.views import ReportView
from ..model.errors import DomainError, NotFound
from ..model.lifecycle import LEVEL_TARGETS, STAGE_LABELS, Level, Stage
from ..model.roles import Action
from ..store import areas as area_store
from ..store import compounds as compound_store
from ..store import monthly_report as report_store
from .actors import Actor
from .clock import today
from .permissions import authorize
from .rollup import rollup_scope
from .three_rates import period_rates

RATE_NAMES = {"response": "响应率", "resolution": "解决率", "satisfaction": "满意率"}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
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
        compound = compound_store.get_compound(db, compound_id)
        if compound is None:
            raise NotFound("找不到该小区")
        return compound["name"], frozenset({compound_id})
    scope = rollup_scope(db, actor, area_id)
    return area_store.get_area(db, area_id)["name"], scope


def report_view(db, actor: Actor, *, compound_id: int | None = None, area_id: int | None = None,
                month: str) -> ReportView:
    name, scope = report_scope(db, actor, compound_id=compound_id, area_id=area_id)
    start, following = month_bounds(month)
    first, next_first = start.isoformat(), following.isoformat()
    meeting_ids = report_store.held_meeting_ids(db, scope, first, next_first)
    stages, categories = _issues_in_play(db, scope, first, next_first)
    return ReportView(
        scope_name=name, month=f"{start:%Y-%m}", meetings_held=len(meeting_ids),
        attendance_by_seat=_attendance(db, meeting_ids),
        issues_by_stage=stages, issues_by_category=categories,
        resolved_by_level=_levels(db, scope, first, next_first),
        escalations=_escalations(db, scope, first, next_first),
        overdue_actions=tuple((r["compound"], r["seat_name"], r["task"], r["due_on"]) for r in
                              report_store.actions_overdue_at(db, scope, min(following, today()).isoformat())),
        demo=report_store.any_demo_compound(db, scope),
        rates=tuple((RATE_NAMES[r.kind], r.value, round(r.numerator, 2), r.denominator, r.formula())
                    for r in period_rates(db, actor, scope, first, next_first).of_all()))


def _attendance(db, meeting_ids: list[int]) -> tuple[tuple[str, float], ...]:
    if not meeting_ids:
        return ()
    return tuple((r["seat_name"], round(r["present"] / r["lines"], 3))
                 for r in report_store.attendance_by_seat_name(db, meeting_ids))


def _issues_in_play(db, scope: frozenset[int], first: str, next_first: str):
    # The stage at a moment is the target of the last stage event before it; an issue with no
    # such event (imported later, say) is taken at its current stage.
    by_stage: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for r in report_store.issues_possibly_in_play(db, scope, first, next_first):
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


def _levels(db, scope: frozenset[int], first: str, next_first: str) -> tuple[tuple[str, int, float, float], ...]:
    counts = report_store.resolved_counts_by_level(db, scope, first, next_first)
    total = sum(counts.values())
    return tuple((level.label, counts.get(level.value, 0),
                  round(counts.get(level.value, 0) / total, 3) if total else 0.0, LEVEL_TARGETS[level])
                 for level in Level)


def _escalations(db, scope: frozenset[int], first: str, next_first: str) -> tuple[tuple[str, str, str, str], ...]:
    # The answer shows only if it came by the month's end.
    return tuple((r["compound"], r["title"], r["request"],
                  r["answer"] if r["answered_on"] and r["answered_on"] < next_first else "")
                 for r in report_store.escalations_open_during(db, scope, first, next_first))


def recent_months(count: int = 12) -> list[str]:
    """'YYYY-MM' of this month and the ones before it, newest first: the page's month picker."""
    day, out = today().replace(day=1), []
    for _ in range(count):
        out.append(f"{day:%Y-%m}")
        day = (day - timedelta(days=1)).replace(day=1)
    return out
