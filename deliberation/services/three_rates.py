"""三率: 响应率, 解决率 and 满意率 of one compound or a set of them over a period [first, next_first).

  响应率 = residents' concerns answered (accepted, merged or answered) within the compound's limit
           ÷ residents' concerns raised in the period that are due an answer: answered (in time or
           late), or past the limit unanswered. A concern still inside its limit and unanswered is
           in neither: it cannot yet be late.
  解决率 = issues resolved ÷ (resolved + closed without a fix), over issues that ended in the period
           and are still ended; duplicates (merged, or closed as 重复) are apart.
  满意率 = (w1 × 满意 + w2 × 基本满意) ÷ all households' ratings given in the period (with a
           household code; a household's latest rating of each publication round), w1, w2 from the
           deployment setting 'satisfaction_weights' (default 1, 0.8).

Each rate keeps its numerator, denominator, value (None when the denominator is 0: shown as "—",
never as 0%) and its formula written out. Counts come from store/rates.py, one query per rate
grouped by compound."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..model.errors import DomainError
from ..model.roles import Action
from ..store import rates as rates_store
from ..store import settings as settings_store
from .actors import Actor
from .clock import stamp
from .permissions import authorize, refuse
from .use_case import changing

WEIGHTS_KEY = "satisfaction_weights"
DEFAULT_WEIGHTS = (1.0, 0.8)
KINDS = ("response", "resolution", "satisfaction")
NO_DATA = "—"


def parse_weights(text: str) -> tuple[float, float]:
    """'1,0.8' → (1.0, 0.8): the weights of 满意 and 基本满意, each from 0 to 1."""
    parts = [p.strip() for p in (text or "").replace("，", ",").split(",")]
    try:
        weights = tuple(float(p) for p in parts)
    except ValueError:
        weights = ()
    if len(weights) != 2 or not all(0 <= w <= 1 for w in weights):
        raise DomainError("满意率权重应为两个 0 到 1 之间的数(满意,基本满意),用逗号分隔,如 1,0.8")
    return weights


def _number(value: float) -> str:
    """1.0 → '1', 0.8 → '0.8'."""
    return f"{value:g}"


def percent(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:.1%}"


@dataclass(frozen=True)
class Rate:
    kind: str                      # response / resolution / satisfaction
    numerator: float
    denominator: int
    parts: dict = field(default_factory=dict)     # the counts the formula shows

    @property
    def value(self) -> float | None:
        return None if not self.denominator else self.numerator / self.denominator

    @property
    def shown(self) -> str:
        return percent(self.value)

    def formula(self, lang: str = "zh") -> str:
        """The rate written out with its counts, e.g. 响应率 = 时限内响应的居民反映 12 ÷ 应响应的居民反映 15 = 80.0%."""
        p, zh = self.parts, lang != "en"
        if self.kind == "response":
            text = (f"响应率 = 时限内响应的居民反映 {p['in_time']} ÷ 应响应的居民反映 {p['due']}" if zh else
                    f"Response rate = concerns answered within the limit {p['in_time']} ÷ concerns due an answer {p['due']}")
        elif self.kind == "resolution":
            text = (f"解决率 = 已办结 {p['resolved']} ÷ (已办结 {p['resolved']} + 关闭未解决 {p['closed']})" if zh else
                    f"Resolution rate = resolved {p['resolved']} ÷ (resolved {p['resolved']} + closed unresolved {p['closed']})")
        else:
            w1, w2 = (_number(w) for w in p["weights"])
            text = (f"满意率 = ({w1}×满意 {p['satisfied']} + {w2}×基本满意 {p['basic']}) ÷ 住户评价 {p['ratings']}"
                    if zh else f"Satisfaction = ({w1}×satisfied {p['satisfied']} + {w2}×fairly satisfied {p['basic']})"
                    f" ÷ household ratings {p['ratings']}")
        if self.value is None:
            return text + (" = —(暂无数据)" if zh else " = — (no data yet)")
        return f"{text} = {self.shown}"


@dataclass(frozen=True)
class ThreeRates:
    response: Rate
    resolution: Rate
    satisfaction: Rate

    def __iter__(self):
        return iter((self.response, self.resolution, self.satisfaction))


def rates_from_counts(counts: dict, weights: tuple[float, float]) -> ThreeRates:
    """The three rates from counts {in_time, due, resolved, closed, satisfied, basic, ratings}."""
    c = {k: int(counts.get(k) or 0) for k in ("in_time", "due", "resolved", "closed", "satisfied", "basic", "ratings")}
    w1, w2 = weights
    return ThreeRates(
        response=Rate("response", c["in_time"], c["due"], {"in_time": c["in_time"], "due": c["due"]}),
        resolution=Rate("resolution", c["resolved"], c["resolved"] + c["closed"],
                        {"resolved": c["resolved"], "closed": c["closed"]}),
        satisfaction=Rate("satisfaction", w1 * c["satisfied"] + w2 * c["basic"], c["ratings"],
                          {"satisfied": c["satisfied"], "basic": c["basic"], "ratings": c["ratings"],
                           "weights": weights}))


def pooled(counts: Iterable[dict]) -> dict:
    """Counts of several compounds added up (an area's rates are over all its concerns, not an
    average of its compounds' rates)."""
    total: dict = {}
    for c in counts:
        for key, value in c.items():
            if key != "compound_id":
                total[key] = total.get(key, 0) + (value or 0)
    return total


def _weights(db) -> tuple[float, float]:
    stored = settings_store.get_setting(db, WEIGHTS_KEY)
    return parse_weights(stored) if stored else DEFAULT_WEIGHTS


def _counts_by_compound(db, compound_ids: frozenset[int], first: str, next_first: str) -> dict[int, dict]:
    counts: dict[int, dict] = {cid: {} for cid in compound_ids}
    for rows in (rates_store.response_counts(db, compound_ids, first, next_first, stamp()),
                 rates_store.resolution_counts(db, compound_ids, first, next_first),
                 rates_store.rating_counts(db, compound_ids, first, next_first)):
        for r in rows:
            counts[r["compound_id"]].update({k: v for k, v in r.items() if k != "compound_id"})
    return counts


@dataclass(frozen=True)
class PeriodRates:
    first: str
    next_first: str
    weights: tuple[float, float]
    counts: dict[int, dict]        # compound id → counts

    def of(self, compound_id: int) -> ThreeRates:
        return rates_from_counts(self.counts.get(compound_id, {}), self.weights)

    def of_all(self, compound_ids: Iterable[int] | None = None) -> ThreeRates:
        ids = self.counts if compound_ids is None else compound_ids
        return rates_from_counts(pooled(self.counts.get(cid, {}) for cid in ids), self.weights)


def period_rates(db, actor: Actor, compound_ids: Iterable[int], first: str, next_first: str, *,
                 action: Action = Action.REPORTS) -> PeriodRates:
    """The counts behind the three rates of each compound in `compound_ids` over [first, next_first).
    The actor must have `action` (default: reports) and cover every compound asked for."""
    scope = frozenset(compound_ids)
    authorize(db, actor, action)
    outside = [cid for cid in scope if not actor.covers(cid)]
    if outside:
        refuse(db, actor, action, outside[0])
    return PeriodRates(first, next_first, _weights(db), _counts_by_compound(db, scope, first, next_first))


def compound_rates(db, actor: Actor, compound_id: int, first: str, next_first: str) -> ThreeRates:
    """One compound's three rates (the 概览 page: whoever may read the compound)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return period_rates(db, actor, {compound_id}, first, next_first, action=Action.READ_COMPOUND).of(compound_id)


def satisfaction_weights(db, actor: Actor) -> tuple[float, float]:
    authorize(db, actor, Action.REPORTS)
    return _weights(db)


def set_satisfaction_weights(db, actor: Actor, text: str) -> tuple[float, float]:
    """The deployment's weights of 满意 and 基本满意 (admin only: they change every compound's 满意率)."""
    with changing(db, actor, Action.MANAGE_AREAS) as change:
        weights = parse_weights(text)
        settings_store.put_setting(db, WEIGHTS_KEY, ",".join(_number(w) for w in weights), stamp())
        change.record("setting_changed", data={"key": WEIGHTS_KEY, "weights": list(weights)})
    return weights
