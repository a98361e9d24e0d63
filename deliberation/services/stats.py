"""Counts for one compound: what `stats` prints and the dashboard starts from."""
from __future__ import annotations

from ..model.lifecycle import Stage
from ..store import rows, scalar
from .compounds import get_compound


def compound_stats(db, compound_id: int) -> dict:
    compound = get_compound(db, compound_id)
    by_stage = {s.value: 0 for s in Stage}
    for r in rows(db, """SELECT stage, count(*) AS n FROM issues WHERE compound_id = ? AND merged_into_id IS NULL
                         GROUP BY stage""", [compound_id]):
        by_stage[r["stage"]] = r["n"]
    by_level = {r["resolved_level"]: r["n"] for r in rows(db, """
        SELECT resolved_level, count(*) AS n FROM issues WHERE compound_id = ? AND stage = 'resolved'
        GROUP BY resolved_level""", [compound_id])}
    return {
        "compound": compound.name,
        "meetings": scalar(db, "SELECT count(*) FROM meetings WHERE compound_id = ? AND status != 'planned'",
                           [compound_id]),
        "issues": sum(by_stage.values()),
        "resolved": by_stage["resolved"],
        "closed": by_stage["closed"],
        "escalated": scalar(db, """SELECT count(DISTINCT e.issue_id) FROM escalations e JOIN issues i
                                   ON i.id = e.issue_id WHERE i.compound_id = ?""", [compound_id]),
        "escalations_answered": scalar(db, """SELECT count(*) FROM escalations e JOIN issues i ON i.id = e.issue_id
                                              WHERE i.compound_id = ? AND e.answered_on IS NOT NULL""", [compound_id]),
        "by_stage": by_stage,
        "resolved_by_level": by_level,
    }
