"""Chart datasets for the 概览 page of one compound. Plain rows; the page draws them."""
from __future__ import annotations

from datetime import timedelta

from ..model.lifecycle import Stage
from ..model.roles import Action
from ..store import dashboard as dashboard_store
from ..store import issues as issue_store
from .actors import Actor
from .clock import today
from .permissions import authorize
from .three_rates import ThreeRates, compound_rates

# The 概览's figures and charts cover the compound's whole history; its 三率 do too.
ALL_HISTORY_FROM = "0001-01-01"


def issues_by_stage(db, actor: Actor, compound_id: int) -> list[dict]:
    """Every stage in lifecycle order, zeros included: [{stage, n}]."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    counts = issue_store.count_live_issues_by_stage(db, compound_id)
    return [{"stage": s.value, "n": counts.get(s.value, 0)} for s in Stage]


def outcome_counts(db, actor: Actor, compound_id: int) -> dict[str, int]:
    """{resolved, closed, merged}: 已办结, 已关闭(未解决) and 合并 (duplicates) counted apart."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return issue_store.count_outcomes(db, compound_id)


def issues_by_category(db, actor: Actor, compound_id: int) -> list[dict]:
    """[{category, open, done}] with done = resolved or closed; most issues first."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return dashboard_store.open_and_done_by_category(db, compound_id)


def issues_by_raiser(db, actor: Actor, compound_id: int) -> list[dict]:
    """[{kind, seat, n}]: seat is the raising seat's name when kind == 'seat', else ''."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return dashboard_store.issue_counts_by_raiser(db, compound_id)


def open_issues_by_meeting(db, actor: Actor, compound_id: int) -> list[dict]:
    """For each meeting held, the problems raised so far and those still open at the end of the
    meeting's day, from each issue's stage history (the last stage it entered by then).
    [{number, day, raised, open}]"""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return dashboard_store.raised_and_open_at_each_meeting(db, compound_id)


def days_to_resolve(db, actor: Actor, compound_id: int) -> list[dict]:
    """Resolved issues with the days from raised to resolved: [{title, category, level, days}]."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return dashboard_store.resolved_issue_durations(db, compound_id)


def attendance_by_seat(db, actor: Actor, compound_id: int) -> list[dict]:
    """For each meeting held and each seat on its roll: the share of the seat's members present
    (in person or by proxy) and whether anyone sent apologies. [{number, seat, position, present, excused}]"""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return dashboard_store.seat_attendance_by_meeting(db, compound_id)


def three_rates(db, actor: Actor, compound_id: int, *, window_days: int | None = None) -> ThreeRates:
    """响应率, 解决率 and 满意率 of the compound: over its whole history (like the page's other
    figures), or over the last `window_days` days, today included."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    day = today()
    first = ALL_HISTORY_FROM if window_days is None else (day - timedelta(days=window_days)).isoformat()
    return compound_rates(db, actor, compound_id, first, (day + timedelta(days=1)).isoformat())
