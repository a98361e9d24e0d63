"""The standing schedule of "3 fixed" (固定时间): a rule such as 每月第二个周二 19:00."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .errors import DomainError

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ORDINALS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}


@dataclass(frozen=True)
class ScheduleRule:
    """Monthly: the `nth` `weekday` of each month (nth=-1: the last). weekday 0 = Monday."""
    nth: int
    weekday: int
    at: time

    def __post_init__(self):
        if self.nth not in ORDINALS:
            raise DomainError("每月第几个只能是 1–4 或最后一个")
        if not 0 <= self.weekday <= 6:
            raise DomainError("星期必须在周一到周日之间")

    @property
    def label(self) -> str:
        return f"每月{ORDINALS[self.nth]}{WEEKDAYS[self.weekday]} {self.at:%H:%M}"

    def day_in_month(self, year: int, month: int) -> date:
        days = [d for d in calendar.Calendar().itermonthdates(year, month)
                if d.month == month and d.weekday() == self.weekday]
        return days[-1] if self.nth == -1 else days[self.nth - 1]

    def next_after(self, moment: datetime) -> datetime:
        """The first meeting time strictly after `moment`."""
        year, month = moment.year, moment.month
        for _ in range(3):
            candidate = datetime.combine(self.day_in_month(year, month), self.at)
            if candidate > moment:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        raise AssertionError("unreachable: a monthly rule always has a date within two months")

    def occurrences(self, start: date, end: date) -> list[datetime]:
        out, moment = [], datetime.combine(start, time.min) - timedelta(seconds=1)
        while True:
            moment = self.next_after(moment)
            if moment.date() > end:
                return out
            out.append(moment)

    def to_text(self) -> str:
        return f"{self.nth}:{self.weekday}:{self.at:%H:%M}"

    @classmethod
    def from_text(cls, text: str) -> "ScheduleRule":
        try:
            nth, weekday, hhmm = text.split(":", 2)
            return cls(int(nth), int(weekday), time.fromisoformat(hhmm))
        except (ValueError, TypeError) as exc:
            raise DomainError(f"例会规则格式不正确:{text}") from exc
