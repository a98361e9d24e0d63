"""Checking every row of an imported 台账 before anything is written.

Input: the string dicts from `register_file.read_register_file`. Output: typed rows plus every
problem, each with the row number the user sees in Excel. Pure: no database, no streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..exports.register import EXAMPLE_PREFIX, REGISTER_COLUMNS, REQUIRED_COLUMNS
from ..model.defaults import CHANNELS, PRIORITIES, RAISED_BY_KINDS
from ..model.lifecycle import STAGE_LABELS, Level, Stage

MAX_TITLE = 120            # same limit as services.issues
MAX_TEXT = 5000
MAX_HOUSEHOLDS = 100000

_LABELS = dict(REGISTER_COLUMNS)
_KEYS = [key for key, _ in REGISTER_COLUMNS]


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    title: str
    category: str
    stage: str                    # Stage value, e.g. "collected"
    raised_by_kind: str           # key of RAISED_BY_KINDS
    raised_by_seat: str | None
    channel: str                  # key of CHANNELS
    raised_on: str                # ISO date
    building: str
    priority: str                 # key of PRIORITIES
    description: str
    public_summary: str
    resolved_level: str | None    # Level value
    resolved_on: str | None
    closed_reason: str | None
    households: int


@dataclass(frozen=True)
class RowProblem:
    row_number: int               # as in Excel: header is 1; 0 for the file as a whole
    column: str                   # Chinese header, as the user sees it
    message: str

    def __str__(self) -> str:
        if not self.row_number:
            return self.message
        return f"第 {self.row_number} 行「{self.column}」:{self.message}"


@dataclass(frozen=True)
class RegisterCheck:
    rows: tuple[ImportRow, ...]
    problems: tuple[RowProblem, ...]
    skipped: tuple[int, ...] = ()   # example rows from the template, ignored
    present: tuple[tuple[int, int], ...] = ()   # (row, number of the compound's issue it already is)

    @property
    def ok(self) -> bool:
        return not self.problems


def _fold(text: str) -> str:
    # Labels use ASCII parentheses; users often type the full-width ones.
    return text.strip().replace("\uff08", "(").replace("\uff09", ")").replace(" ", "").lower()


_STAGES = {_fold(label): stage.value for stage, label in STAGE_LABELS.items()}
_STAGES |= {stage.value: stage.value for stage in Stage}
_STAGES |= {"已关闭": Stage.CLOSED.value, "待议": Stage.COLLECTED.value,
            "巡访问事(待议)": Stage.COLLECTED.value}
_LEVELS = {level.label: level.value for level in Level} | {level.value: level.value for level in Level}
_PRIORITIES = {label: code for code, label in PRIORITIES.items()} | {code: code for code in PRIORITIES}
_CHANNELS = {label: code for code, label in CHANNELS.items()} | {code: code for code in CHANNELS}
_KINDS = {label: code for code, label in RAISED_BY_KINDS.items() if code != "seat"}
_KIND_CHANNEL = {"seat": "meeting", "resident": "resident_report", "patrol": "visit", "hotline": "hotline"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d")


def _str(value) -> str:
    return "" if value is None else str(value).strip()


def _date(text: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(text)


def _choices(options, limit: int = 8) -> str:
    options = sorted(options) if isinstance(options, set) else list(options)
    shown = "、".join(options[:limit])
    return shown + ("…" if len(options) > limit else "")


def _check_row(n: int, raw: dict, categories: set[str], seats: set[str], today: date, bad) -> ImportRow | None:
    """One row; calls bad(column_key, message) for each problem, returns None if any."""
    before = bad.count
    v = {key: _str(raw.get(key)) for key in _KEYS}
    for key in REQUIRED_COLUMNS:
        if not v[key]:
            bad(key, "不能为空")
    if len(v["title"]) > MAX_TITLE:
        bad("title", f"不能超过 {MAX_TITLE} 字")
    for key in ("description", "public_summary", "closed_reason", "building"):
        if len(v[key]) > MAX_TEXT:
            bad(key, f"不能超过 {MAX_TEXT} 字")
    if v["category"] and v["category"] not in categories:
        bad("category", f"未知类别“{v['category']}”,可选:{_choices(categories)}")
    stage = _STAGES.get(_fold(v["stage"])) if v["stage"] else None
    if v["stage"] and stage is None:
        bad("stage", f"未知阶段“{v['stage']}”,可选:{_choices(STAGE_LABELS.values())}")
    seat, who = None, v["raised_by"] or RAISED_BY_KINDS["patrol"]
    if who in seats:
        kind, seat = "seat", who
    elif who in _KINDS:
        kind = _KINDS[who]
    else:
        kind = None
        bad("raised_by", f"未知提出方“{who}”,应为本小区协商主体名称或 居民、巡访、热线"
                         + (f";协商主体可选:{_choices(seats)}" if seats else ""))
    channel = _CHANNELS.get(v["channel"]) if v["channel"] else _KIND_CHANNEL.get(kind)
    if v["channel"] and channel is None:
        bad("channel", f"未知渠道“{v['channel']}”,可选:{_choices(CHANNELS.values())}")
    dates = {}
    for key in ("raised_on", "resolved_on"):
        if v[key]:
            try:
                dates[key] = _date(v[key])
            except ValueError:
                bad(key, f"日期“{v[key]}”无效,请写成 YYYY-MM-DD,如 2024-03-12")
                continue
            if dates[key] > today:
                bad(key, f"日期 {dates[key].isoformat()} 晚于今天")
    if "raised_on" in dates and "resolved_on" in dates and dates["resolved_on"] < dates["raised_on"]:
        bad("resolved_on", "办结日期早于提出日期")
    level = _LEVELS.get(v["resolved_level"]) if v["resolved_level"] else None
    if v["resolved_level"] and level is None:
        bad("resolved_level", "解决层级只能是 小区、社区、街道")
    if stage == Stage.RESOLVED.value and not v["resolved_level"]:
        bad("resolved_level", "阶段为“已办结”时必须填写解决层级(小区、社区、街道)")
    if stage == Stage.CLOSED.value and not v["closed_reason"]:
        bad("closed_reason", "阶段为“已关闭(未解决)”时必须填写关闭原因")
    priority = _PRIORITIES.get(v["priority"] or PRIORITIES["normal"])
    if priority is None:
        bad("priority", f"未知优先级“{v['priority']}”,可选:高、中、低")
    households = 1
    if v["households"]:
        text = v["households"].removesuffix("户").strip()
        if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_HOUSEHOLDS:
            bad("households", f"“{v['households']}”不是有效的户数,应为正整数")
        else:
            households = int(text)
    if bad.count > before:
        return None
    return ImportRow(
        row_number=n, title=v["title"], category=v["category"], stage=stage, raised_by_kind=kind,
        raised_by_seat=seat, channel=channel, raised_on=dates["raised_on"].isoformat(),
        building=v["building"], priority=priority, description=v["description"],
        public_summary=v["public_summary"], resolved_level=level,
        resolved_on=dates["resolved_on"].isoformat() if "resolved_on" in dates else None,
        closed_reason=v["closed_reason"] or None, households=households)


class _Collector:
    def __init__(self):
        self.problems: list[RowProblem] = []
        self.count, self.row = 0, 0

    def __call__(self, key: str, message: str) -> None:
        self.problems.append(RowProblem(self.row, _LABELS[key], message))
        self.count += 1


def validate_register_rows(rows: list[dict], *, categories: set[str], seats: set[str],
                           today: date | None = None) -> RegisterCheck:
    """Check every row and collect every problem; nothing is written here.

    Row numbers are as Excel shows them: header row 1, first data row 2. Blank rows and the
    template's example rows are skipped. `today` is for tests and replays.
    """
    today = today or date.today()
    categories, seats = set(categories), set(seats)
    bad, good, skipped = _Collector(), [], []
    for n, raw in enumerate(rows, start=2):
        if not any(_str(value) for value in raw.values()):
            continue
        if _str(raw.get("title")).startswith((EXAMPLE_PREFIX, "示例\uff1a")):
            skipped.append(n)
            continue
        bad.row = n
        parsed = _check_row(n, raw, categories, seats, today, bad)
        if parsed is not None:
            good.append(parsed)
    if not good and not bad.problems:   # a whole-file problem: row 0, no column
        bad.problems.append(RowProblem(0, "", "文件中没有可导入的议题(表头下方没有数据行)"))
    return RegisterCheck(rows=tuple(good), problems=tuple(bad.problems), skipped=tuple(skipped))


def report_text(check: RegisterCheck) -> str:
    """A row-by-row report, one line per problem, with a summary first."""
    if check.ok and not check.rows:
        lines = ["检查通过:文件中的议题本小区都已有,没有需要导入的新议题。"]
    elif check.ok:
        lines = [f"检查通过:共 {len(check.rows)} 条议题可以导入。"]
    else:
        rows = len({p.row_number for p in check.problems if p.row_number})
        lines = [f"发现 {len(check.problems)} 处问题(涉及 {rows} 行),请修改后重新导入;本次未写入任何数据。"]
        lines += [str(p) for p in check.problems]
    if check.present:
        lines.append(f"已跳过 {len(check.present)} 行:本小区已有相同议题(标题、提出日期、提出方相同),不重复导入。")
        lines += [f"第 {row} 行:已有 #{number},跳过" for row, number in check.present]
    if check.skipped:
        lines.append("已忽略示例行:第 " + "、".join(map(str, check.skipped)) + " 行")
    return "\n".join(lines)
