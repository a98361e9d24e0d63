"""The "3+4" issue lifecycle: 巡访问事 → 民主议事 → 合力干事 → 公示监督.

The transition table lives here and only here; services and pages read it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from .errors import DomainError


class Stage(str, Enum):
    COLLECTED = "collected"
    DELIBERATING = "deliberating"
    ACTING = "acting"
    ESCALATED = "escalated"
    PUBLICIZING = "publicizing"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.COLLECTED: "巡访问事",
    Stage.DELIBERATING: "民主议事",
    Stage.ACTING: "合力干事",
    Stage.ESCALATED: "上报",
    Stage.PUBLICIZING: "公示监督",
    Stage.RESOLVED: "已办结",
    Stage.CLOSED: "已关闭(未解决)",
}

OPEN_STAGES = (Stage.COLLECTED, Stage.DELIBERATING, Stage.ACTING, Stage.ESCALATED, Stage.PUBLICIZING)
MERGE = "merge"          # the transition that closes a duplicate into the issue it repeats


class Level(str, Enum):
    """Who fixed an issue: the "721" target is 70% compound, 20% community, 10% subdistrict."""
    COMPOUND = "compound"
    COMMUNITY = "community"
    SUBDISTRICT = "subdistrict"

    @property
    def label(self) -> str:
        return {"compound": "小区", "community": "社区", "subdistrict": "街道"}[self.value]


LEVEL_TARGETS = {Level.COMPOUND: 0.7, Level.COMMUNITY: 0.2, Level.SUBDISTRICT: 0.1}

# The escalation ladder above a compound, lowest first: 社区 → 街道. A compound without a 社区
# (怡乐花园, directly under 南湾街道) starts at its 街道. The ladder ends where the 721 figure does:
# a 区 officer may still answer what reaches an area under them (counted at 街道).
LADDER = (Level.COMMUNITY, Level.SUBDISTRICT)

CLOSE_REASONS = {
    "not_fixable": "无法解决",
    "not_our_remit": "不属小区职责",
    "withdrawn": "提出方撤回",
    "duplicate": "重复议题(已合并)",
    "rejected": "不予受理",
}


@dataclass(frozen=True)
class Transition:
    source: Stage
    target: Stage
    name: str          # stable key, used by services and the UI
    label: str         # what the button says
    needs: tuple[str, ...] = ()   # inputs the user must give: "level", "reason", "note", "level_to"


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(Stage.COLLECTED, Stage.DELIBERATING, "put_on_agenda", "列入议程"),
    T(Stage.COLLECTED, Stage.CLOSED, "close", "关闭(撤回/不予受理)", ("reason",)),
    T(Stage.DELIBERATING, Stage.ACTING, "assign_actions", "形成决议,分工落实"),
    T(Stage.DELIBERATING, Stage.ESCALATED, "escalate", "上报社区/街道", ("level_to", "note")),
    T(Stage.DELIBERATING, Stage.RESOLVED, "settle", "会上解决,办结", ("level",)),
    T(Stage.DELIBERATING, Stage.CLOSED, "close", "关闭(未解决)", ("reason",)),
    T(Stage.ACTING, Stage.PUBLICIZING, "publish", "公示结果", ("note",)),
    T(Stage.ACTING, Stage.ESCALATED, "escalate", "上报社区/街道", ("level_to", "note")),
    T(Stage.ACTING, Stage.DELIBERATING, "replan", "退回重新议事", ("note",)),
    T(Stage.ESCALATED, Stage.ACTING, "answer_to_acting", "答复后继续落实"),
    T(Stage.ESCALATED, Stage.PUBLICIZING, "publish", "答复后公示结果", ("note",)),
    T(Stage.PUBLICIZING, Stage.RESOLVED, "resolve", "公示期满,办结", ("level",)),
    T(Stage.PUBLICIZING, Stage.DELIBERATING, "reopen", "重新议事", ("note",)),
    T(Stage.RESOLVED, Stage.DELIBERATING, "reopen", "重新打开", ("note",)),
    T(Stage.CLOSED, Stage.DELIBERATING, "reopen", "重新打开", ("note",)),
    # A duplicate found at any open stage joins the issue it repeats (services/merging.py): it
    # closes as 重复, its households, reports and photos count on the other, and it is counted as
    # 合并, apart from 已办结 and 已关闭(未解决). Only by name: a plain 关闭 never merges.
    *(T(stage, Stage.CLOSED, MERGE, "并入其他议题(重复)") for stage in OPEN_STAGES),
)
del T


def legal_transitions(source: Stage) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == Stage(source)]


def find_transition(source: Stage, target: Stage, name: str | None = None) -> Transition | None:
    """The table's move from `source` to `target`; a merge only when asked for by `name`."""
    for t in TRANSITIONS:
        if t.source == Stage(source) and t.target == Stage(target) and (t.name == name if name else t.name != MERGE):
            return t
    return None


def is_legal(source: Stage, target: Stage) -> bool:
    return any(t.source == Stage(source) and t.target == Stage(target) for t in TRANSITIONS)


# --- 公示: the objection window ----------------------------------------------------------

def chinese_date(day: str | date) -> str:
    """2026-12-09 → 2026年12月9日 (as the board and notices write dates)."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.year}年{day.month}月{day.day}日"


def publicity_window_open(closes_on: str | None, day: date) -> bool:
    """`closes_on` is the window's last day (residents may still object on it), so 办结 comes
    from the day after. An issue without a recorded window has none to wait for."""
    return bool(closes_on) and day.isoformat() <= closes_on


class PublicityWindowOpen(DomainError):
    """公示 may not be cut short: resolving before the window's last day has passed."""

    def __init__(self, closes_on: str):
        self.closes_on = closes_on
        super().__init__(f"公示期至 {chinese_date(closes_on)},期满后可办结")
