"""The area roll-up (社区/街道/区 汇总): one row per compound under an area, and the 721 figure.

Figures, per compound in the officer's scope:
  open            issues in an open stage now (merged duplicates not counted)
  overdue         open issues past their stage's due date, or with an action past its due date
  resolution_rate resolved / raised, over issues raised in the last `window_days` (default 365)
  median_days     median days from raised to resolved, same issues
  closed, merged  of the same issues: 已关闭(未解决), and 合并 (duplicates: merged, or closed as 重复) apart
  meetings_90d    meetings held in the last 90 days
  attendance_rate seats present (or by proxy) / attendance lines, those meetings
`levels` counts the same window's resolved issues by the level that fixed them (小区/社区/街道),
`targets` is the 70/20/10 target. `rates` (each row, the whole area, and `area_rates` per
community/subdistrict the compounds sit in) are the 三率 over the same window (services/three_rates.py:
counted in SQL grouped by compound, one query per rate; an area's rate pools its compounds' counts).
Every figure is computed in SQL (store/rollup.py, store/rates.py); only the medians are taken in Python.
"""
from __future__ import annotations

from datetime import timedelta
from statistics import median

from ..model.errors import NotFound
from ..model.lifecycle import LEVEL_TARGETS, Level
from ..model.roles import Action
from ..store import areas as area_store
from ..store import rollup as rollup_store
from .actors import Actor
from .clock import now
from .permissions import authorize, refuse
from .three_rates import period_rates


def rollup_scope(db, actor: Actor, area_id: int) -> frozenset[int]:
    """The compounds under `area_id` that the actor may see in reports."""
    authorize(db, actor, Action.REPORTS)
    if area_store.get_area(db, area_id) is None:
        raise NotFound("找不到该区域")
    under = area_store.live_compound_ids_under(db, area_id)     # retired compounds are not counted
    scope = under if actor.is_admin else under & actor.compound_ids
    if under and not scope:
        refuse(db, actor, Action.REPORTS)
    return scope


def area_rollup(db, actor: Actor, area_id: int, *, window_days: int = 365) -> dict:
    scope = rollup_scope(db, actor, area_id)
    moment = now()
    today = moment.date()
    since = (today - timedelta(days=window_days)).isoformat()
    since_90 = (moment - timedelta(days=90)).isoformat(sep=" ", timespec="minutes")
    base = {r["compound_id"]: r for r in rollup_store.compounds_with_area(db, scope)}
    for r in base.values():
        r.update(open=0, overdue=0, raised=0, resolved=0, closed=0, merged=0, resolution_rate=None, median_days=None,
                 meetings_90d=0, attendance_rate=None)
    for r in rollup_store.open_and_overdue_by_compound(db, scope, today.isoformat()):
        base[r["compound_id"]].update(open=r["open"], overdue=r["overdue"])
    levels = {lv.value: 0 for lv in Level}
    for r in rollup_store.outcomes_by_compound(db, scope, since):
        row = base[r["compound_id"]]
        row.update(raised=r["raised"], resolved=r["resolved"], closed=r["closed"],
                   resolution_rate=round(r["resolved"] / r["raised"], 3) if r["raised"] else None)
        for level in levels:
            levels[level] += r[f"l_{level}"] or 0
    for r in rollup_store.duplicates_by_compound(db, scope, since):     # 合并: apart from 已关闭(未解决)
        row = base[r["compound_id"]]
        row.update(merged=r["merged"], closed=row["closed"] - r["closed_as_duplicate"])
    days: dict[int, list[float]] = {}
    for compound_id, spent in rollup_store.days_to_resolve_by_compound(db, scope, since):
        days.setdefault(compound_id, []).append(spent)
    for compound_id, spent in days.items():
        base[compound_id]["median_days"] = round(median(spent), 1)
    for r in rollup_store.meetings_and_attendance_by_compound(
            db, scope, since_90, moment.isoformat(sep=" ", timespec="minutes")):
        base[r["compound_id"]].update(meetings_90d=r["meetings"], attendance_rate=(
            round(r["present"] / r["lines"], 3) if r["lines"] else None))
    rates = period_rates(db, actor, scope, since, (today + timedelta(days=1)).isoformat())
    areas: dict[int, dict] = {}
    for r in base.values():
        r["rates"] = rates.of(r["compound_id"])
        areas.setdefault(r["area_id"], {"area_id": r["area_id"], "area": r["area"], "compound_ids": []})[
            "compound_ids"].append(r["compound_id"])
    resolved = sum(levels.values())
    return {
        "rates": rates.of_all(),
        "area_rates": [{"area_id": a["area_id"], "area": a["area"], "compounds": len(a["compound_ids"]),
                        "rates": rates.of_all(a["compound_ids"])} for a in areas.values()],
        "area_id": area_id,
        "since": since,
        "rows": list(base.values()),
        "levels": levels,
        "level_shares": {k: (round(v / resolved, 3) if resolved else None) for k, v in levels.items()},
        "targets": {lv.value: share for lv, share in LEVEL_TARGETS.items()},
        "totals": {key: sum(r[key] for r in base.values()) for key in ("open", "overdue", "raised", "resolved",
                                                                       "closed", "merged", "meetings_90d")},
    }
