"""View-models the exporters take: plain, frozen, already in Chinese.

The service layer fills these from the database and decides what a reader may
see (public=True: names should already be None; the exporters print none of
them anyway). Dates are pre-formatted strings so an exporter never guesses a
time zone, except ScheduleView's datetimes: naive ones are Asia/Shanghai
wall-clock times, aware ones are converted to it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, fields
from datetime import datetime

# Control characters (other than tab, newline, CR) are illegal in DOCX/XLSX XML
# and make python-docx and openpyxl raise; a pasted one must not break an export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(value):
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    if isinstance(value, (tuple, list)):   # lists become tuples: frozen means immutable
        return tuple(_clean(v) for v in value)
    return value


class _Cleaned:
    """Strips illegal control characters from every text field on creation."""

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            cleaned = _clean(value)
            if cleaned is not value:
                object.__setattr__(self, field.name, cleaned)


@dataclass(frozen=True)
class PhotoThumb:
    """A photo's thumbnail as printed: a cleaned JPEG (services/photo_files.py), the photo's
    size (for its proportions) and a label written by the app (现场/整改前, 整改后, 居民拍摄)."""
    jpeg: bytes = dataclasses.field(repr=False)
    width: int
    height: int
    label: str


@dataclass(frozen=True)
class AttendanceLine(_Cleaned):
    seat: str                 # 协商主体, e.g. 业主委员会
    name: str | None          # member name; None in the public version
    status: str               # 出席 / 缺席 / 请假 / 委托出席


@dataclass(frozen=True)
class ActionLine(_Cleaned):
    seat: str                 # 责任主体
    task: str
    due_on: str               # YYYY-MM-DD, printed as 完成时限
    status: str               # 待办 / 进行中 / 已完成 / 已取消
    owner: str | None = None  # 责任人: the member named for it; None when none was (or public)


@dataclass(frozen=True)
class AgendaLine(_Cleaned):
    position: int             # 1-based: 议题一, 议题二 …
    title: str
    discussion: str           # 讨论情况
    decision: str             # 决议
    outcome: str              # 处理结果, e.g. 分工落实
    actions: tuple[ActionLine, ...] = ()
    votes: tuple[tuple[str, str], ...] = ()   # (seat, 赞成/反对/弃权)
    public_summary: str = ""  # 公开说明: the only text of the item the public version prints
    issue_id: int | None = None
    photos: tuple[PhotoThumb, ...] = ()   # public version: only photos marked public


@dataclass(frozen=True)
class QuorumLine(_Cleaned):
    """The compound's quorum rule and how the meeting stood against it (by seat, not person)."""
    met: bool
    seats_present: int        # seats present in person or by proxy
    seats_total: int          # seats on the meeting's roll
    min_seats: int
    required: tuple[str, ...] = ()           # seats that must be present
    missing_required: tuple[str, ...] = ()


@dataclass(frozen=True)
class MinutesView(_Cleaned):
    compound: str
    number: int               # 第N次 meeting of this compound
    starts_at: str            # e.g. 2025-03-11 19:00: the actual start, else the scheduled time
    place: str
    chair: str | None         # 主持人; None when public
    recorder: str | None      # 记录人; None when public
    attendance: tuple[AttendanceLine, ...]
    items: tuple[AgendaLine, ...]
    public: bool = False
    demo: bool = False
    ends_at: str = ""         # the recorded end; "" when none (then no end is printed)
    branch: str = ""          # the party branch's full name, who files the minutes
    quorum: QuorumLine | None = None
    observers: tuple[str, ...] = ()          # 列席; nothing records them yet
    draft: bool = False       # not yet approved: printed as a draft
    approved_on: str = ""     # YYYY-MM-DD the minutes were approved: the date by the seal
    amendments: tuple[str, ...] = ()         # corrections after approval, one line each (internal only)

    @property
    def title(self) -> str:
        return f"{self.compound}第{self.number}次“1+8”协商议事会议纪要"


@dataclass(frozen=True)
class NoticeItem(_Cleaned):
    title: str
    category: str
    summary: str
    resolved_level: str       # 小区 / 社区 / 街道
    photos: tuple[PhotoThumb, ...] = ()   # photos marked public only


@dataclass(frozen=True)
class NoticeView(_Cleaned):
    compound: str
    items: tuple[NoticeItem, ...]
    window_opens: str         # YYYY-MM-DD
    window_closes: str        # YYYY-MM-DD
    board_url: str            # public board, encoded in the QR code
    demo: bool = False
    address_warning: str | None = None   # red line while the public address is unset or local
    branch: str = ""          # the party branch's full name: who publishes, and signs
    office: str = ""          # where objections are heard in person (the compound's meeting place)

    @property
    def title(self) -> str:
        return f"{self.compound}协商议事结果公示"


@dataclass(frozen=True)
class PaperItem(_Cleaned):
    """One item of a meeting's 议程: what it is about, who raised it, why it is back."""
    position: int             # 1-based: 议题一, 议题二 …
    number: int               # the issue's number in the compound (#n)
    title: str
    category: str
    raised_by: str            # a seat's name, or 居民 / 巡访 / 热线 (never a person)
    raised_on: str            # YYYY-MM-DD
    background: str           # the staff's description of the issue
    history: tuple[str, ...] = ()   # earlier meetings that took it up, e.g. 第12次会议:暂缓/下次再议


@dataclass(frozen=True)
class AgendaView(_Cleaned):
    """议程 of one meeting, handed out before it."""
    compound: str
    number: int
    scheduled_at: str         # YYYY-MM-DD HH:MM
    place: str
    branch: str
    chair: str | None         # 主持人 once chosen; None before
    seats: tuple[str, ...]    # the seats invited (参会协商主体)
    items: tuple[PaperItem, ...]
    demo: bool = False

    @property
    def title(self) -> str:
        return f"{self.compound}第{self.number}次“1+8”协商议事会议议程"


@dataclass(frozen=True)
class SignInRow(_Cleaned):
    seat: str
    name: str                 # "" for a seat with no member on the day: whoever comes signs
    title: str = ""           # 职务


@dataclass(frozen=True)
class SignInView(_Cleaned):
    """签到表: the standing roster by seat with room to sign, for proxies and for 列席."""
    compound: str
    number: int
    scheduled_at: str
    place: str
    branch: str
    rows: tuple[SignInRow, ...]
    min_seats: int
    required: tuple[str, ...] = ()
    observer_rows: int = 4    # blank lines for 列席 (people attending who are not members)
    demo: bool = False

    @property
    def title(self) -> str:
        return f"{self.compound}第{self.number}次“1+8”协商议事会议签到表"


@dataclass(frozen=True)
class ReportView(_Cleaned):
    """月报 for one compound or a whole area (社区/街道)."""
    scope_name: str
    month: str                                            # YYYY-MM
    meetings_held: int
    attendance_by_seat: tuple[tuple[str, float], ...]     # (seat, rate 0..1)
    issues_by_stage: tuple[tuple[str, int], ...]          # (stage label, count)
    issues_by_category: tuple[tuple[str, int], ...]       # (category, count)
    resolved_by_level: tuple[tuple[str, int, float, float], ...]  # (level, count, share, target)
    escalations: tuple[tuple[str, str, str, str], ...]    # (compound, issue, request, answer or '')
    overdue_actions: tuple[tuple[str, str, str, str], ...]  # (compound, seat, task, due_on)
    demo: bool = False
    # 三率: (name, rate 0..1 or None without data, numerator, denominator, formula written out)
    rates: tuple[tuple[str, float | None, float, int, str], ...] = ()

    @property
    def title(self) -> str:
        year, month = self.month.split("-")
        return f"{self.scope_name}{year}年{int(month)}月协商议事月报"


@dataclass(frozen=True)
class ScheduleView(_Cleaned):
    compound: str
    place: str
    rule_label: str                       # e.g. 每月第二个周二 19:00
    occurrences: tuple[datetime, ...]     # naive = Asia/Shanghai wall clock
    board_url: str
