"""Dates and times as printed papers write them: 2026年12月8日, 19:00—20:45.

The view-models carry ISO text (YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS]); these turn it into the form
an office files. Text that is not a date is printed as it is, never guessed at.
"""
from __future__ import annotations

from datetime import datetime

DASH = "—"
WEEKDAYS = "一二三四五六日"


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        return None


def cn_date(text: str | None) -> str:
    """'2026-12-08' (or a datetime text) → '2026年12月8日'; empty → —."""
    if not text:
        return DASH
    moment = _moment(text[:10])
    return f"{moment.year}年{moment.month}月{moment.day}日" if moment else text


def cn_weekday(text: str) -> str:
    moment = _moment(text[:10])
    return f"星期{WEEKDAYS[moment.weekday()]}" if moment else ""


def cn_time_span(starts_at: str, ends_at: str = "") -> str:
    """'2026年12月8日 19:00—20:45'; the end only when one is recorded and later than the start;
    an end on another day names that day."""
    start = _moment(starts_at)
    if start is None:
        return starts_at or DASH
    text = f"{cn_date(starts_at)} {start:%H:%M}"
    end = _moment(ends_at) if ends_at else None
    if end is None or end <= start:
        return text
    if end.date() == start.date():
        return f"{text}{DASH}{end:%H:%M}"
    same_year = end.year == start.year
    day = f"{end.month}月{end.day}日" if same_year else cn_date(end.isoformat())
    return f"{text}{DASH}{day} {end:%H:%M}"


def cn_day_and_time(starts_at: str) -> str:
    """'2026年12月8日（星期二）19:00': when a meeting is called, as a notice of it says."""
    start = _moment(starts_at)
    if start is None:
        return starts_at or DASH
    return f"{cn_date(starts_at)}（{cn_weekday(starts_at)}）{start:%H:%M}"


def blank_date() -> str:
    """A date line to be written by hand: the paper is signed on a day not yet known."""
    return "　　　　年　　月　　日"

