"""The 三率 (响应率, 解决率, 满意率) of a set of compounds over a period, counted in SQL, one query
per rate grouped by compound (the same text for 1 or 1,000 compounds: the set goes in as one JSON
parameter read by json_each). Periods are [first, next_first) as ISO text ('YYYY-MM-DD').
services/three_rates.py turns the counts into rates and formulas."""
from __future__ import annotations

from typing import Iterable

from .db import rows
from .rollup import scope_param

_IN_SCOPE = "IN (SELECT value FROM json_each(?))"
# When a concern's response time runs out: its arrival plus the compound's limit (hours).
_DUE = "datetime(i.created_at, '+' || c.response_limit_hours || ' hours')"


def response_counts(db, compound_ids: Iterable[int], first: str, next_first: str, now: str) -> list[dict]:
    """[{compound_id, in_time, due}] over residents' concerns raised in the period:
    in_time: first answered (accepted, merged or answered) no later than the limit;
    due: answered at all, or past the limit at `now` unanswered. A concern still inside its
    limit and unanswered is in neither."""
    return rows(db, f"""
        SELECT i.compound_id,
               sum(i.responded_at IS NOT NULL AND i.responded_at <= {_DUE}) AS in_time,
               sum(i.responded_at IS NOT NULL OR {_DUE} < ?) AS due
        FROM issues i JOIN compounds c ON c.id = i.compound_id
        WHERE i.compound_id {_IN_SCOPE} AND i.raised_on >= ? AND i.raised_on < ? AND i.raised_by_kind = 'resident'
        GROUP BY i.compound_id""", [now, scope_param(compound_ids), first, next_first])


def resolution_counts(db, compound_ids: Iterable[int], first: str, next_first: str) -> list[dict]:
    """[{compound_id, resolved, closed}] of issues that ended in the period and are still ended:
    resolved, and closed without a fix; duplicates (merged, or closed as 重复) apart. The day an
    issue ended is the day it entered its last stage (for a resolved one, its resolved_on)."""
    return rows(db, f"""
        SELECT compound_id, sum(stage = 'resolved') AS resolved, sum(stage = 'closed') AS closed
        FROM issues
        WHERE compound_id {_IN_SCOPE} AND stage IN ('resolved', 'closed')
          AND stage_entered_on >= ? AND stage_entered_on < ?
          AND merged_into_id IS NULL AND coalesce(closed_reason, '') != 'duplicate'
        GROUP BY compound_id""", [scope_param(compound_ids), first, next_first])


# Ratings are found from whichever side is smaller: the issues of a few compounds (the 概览, a
# compound's monthly report, a community's roll-up), or the period's ratings of a whole district.
# Both read covering indexes (migration m020).
RATINGS_FROM_ISSUES_UP_TO = 300          # compounds (measured crossing: 300–400 of a 1,000-compound district)
_RATED = """f.household_code_id IS NOT NULL AND f.created_at >= ? AND f.created_at < ?
          AND f.id = (SELECT max(g.id) FROM feedback g WHERE g.issue_id = f.issue_id AND g.round = f.round
                      AND g.household_code_id = f.household_code_id)"""
_RATINGS_FROM_ISSUES = f"""
        SELECT i.compound_id, sum(f.rating = 'satisfied') AS satisfied, sum(f.rating = 'basic') AS basic,
               count(*) AS ratings
        FROM issues i CROSS JOIN feedback f INDEXED BY feedback_issue_rating ON f.issue_id = i.id
        WHERE i.compound_id {_IN_SCOPE} AND {_RATED}
        GROUP BY i.compound_id"""
_RATINGS_FROM_PERIOD = f"""
        SELECT i.compound_id, sum(f.rating = 'satisfied') AS satisfied, sum(f.rating = 'basic') AS basic,
               count(*) AS ratings
        FROM feedback f INDEXED BY feedback_household_rating CROSS JOIN issues i ON i.id = f.issue_id
        WHERE {_RATED} AND i.compound_id {_IN_SCOPE}
        GROUP BY i.compound_id"""


def rating_counts(db, compound_ids: Iterable[int], first: str, next_first: str) -> list[dict]:
    """[{compound_id, satisfied, basic, ratings}] of households' ratings (given with a household
    code) given in the period: each household's latest rating of each publication round of an issue."""
    ids = frozenset(compound_ids)
    if len(ids) <= RATINGS_FROM_ISSUES_UP_TO:
        return rows(db, _RATINGS_FROM_ISSUES, [scope_param(ids), first, next_first])
    return rows(db, _RATINGS_FROM_PERIOD, [first, next_first, scope_param(ids)])
