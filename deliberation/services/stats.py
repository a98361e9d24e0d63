"""Counts for one compound: what `stats` prints and the dashboard starts from."""
from __future__ import annotations

from ..model.errors import NotFound
from ..model.lifecycle import Stage
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import escalations as escalation_store
from ..store import issues as issue_store
from ..store import meetings as meeting_store
from .actors import Actor
from .permissions import authorize


def compound_stats(db, actor: Actor, compound_id: int) -> dict:
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    compound = compound_store.get_compound(db, compound_id)
    if compound is None:
        raise NotFound("找不到该小区")
    by_stage = {s.value: 0 for s in Stage} | issue_store.count_live_issues_by_stage(db, compound_id)
    outcomes = issue_store.count_outcomes(db, compound_id)
    return {
        "compound": compound["name"],
        "meetings": meeting_store.count_held_meetings(db, compound_id),
        "issues": sum(by_stage.values()),
        # 已办结, 已关闭(未解决) and 合并 (duplicates, merged or closed as 重复) are counted apart.
        "resolved": outcomes["resolved"],
        "closed": outcomes["closed"],
        "merged": outcomes["merged"],
        "escalated": escalation_store.count_escalated_issues(db, compound_id),
        "escalations_answered": escalation_store.count_answered_escalations(db, compound_id),
        "by_stage": by_stage,
        "resolved_by_level": issue_store.count_resolved_by_level(db, compound_id),
    }
