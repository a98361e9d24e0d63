"""Standing meeting schedule (固定时间) as an iCalendar file for phones and Outlook: one event that
repeats by the compound's rule (RRULE FREQ=MONTHLY;BYDAY=2TU for 每月第二个周二), not one event per
date, so a calendar shows it as the standing meeting it is and a re-import replaces it whole."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from ..model.schedule import ORDINALS, ScheduleRule
from .views import ScheduleView

SHANGHAI = ZoneInfo("Asia/Shanghai")
DURATION = timedelta(hours=2)
PRODID = "-//小区协商议事//1+8 schedule//ZH"
ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def local(moment: datetime) -> datetime:
    """Naive times are Shenzhen wall-clock times; aware ones are converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def event_uid(compound: str) -> str:
    # One standing event per compound, stable across exports: re-importing replaces it, never duplicates.
    digest = hashlib.sha1(compound.encode("utf-8")).hexdigest()[:12]
    return f"{digest}-schedule@xiaoqu-yishi"


def rule_of(view: ScheduleView, starts: list[datetime]) -> ScheduleRule | None:
    """The monthly rule the dates were made from: the one whose label is the view's and whose dates
    are these. None when no rule gives exactly these dates (then they are listed one by one)."""
    first = starts[0]
    candidates = [ScheduleRule(nth, first.weekday(), first.time().replace(tzinfo=None)) for nth in ORDINALS]
    for rule in sorted(candidates, key=lambda r: r.label != view.rule_label):
        made = rule.occurrences(first.date(), starts[-1].date())
        if [m.replace(tzinfo=SHANGHAI) for m in made] == starts:
            return rule
    return None


def recurrence(rule: ScheduleRule, last: datetime) -> vRecur:
    # UNTIL is in UTC because DTSTART carries a TZID (RFC 5545 §3.3.10).
    return vRecur(freq="MONTHLY", byday=f"{rule.nth}{ICAL_WEEKDAYS[rule.weekday]}",
                  until=last.astimezone(UTC))


def schedule_ics(view: ScheduleView) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{view.compound}协商议事例会")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    starts = sorted(local(o) for o in view.occurrences)
    if not starts:
        return calendar.to_ical()
    event = Event()
    event.add("uid", event_uid(view.compound))
    # DTSTAMP is when this file was made; clients compare it to decide whether
    # a re-imported event (same UID) carries newer details.
    event.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    event.add("dtstart", starts[0])
    event.add("dtend", starts[0] + DURATION)
    rule = rule_of(view, starts)
    if rule is not None:
        event.add("rrule", recurrence(rule, starts[-1]))
    elif len(starts) > 1:
        event.add("rdate", starts[1:])
    event.add("summary", f"{view.compound}“1+8”协商议事例会")
    event.add("location", view.place)
    event.add("description", f"例会规则：{view.rule_label}\n公示栏：{view.board_url}")
    event.add("url", view.board_url)
    calendar.add_component(event)
    # Only the span we use, so the VTIMEZONE leaves out China's 1986–91 summer time.
    calendar.add_missing_timezones(first_date=starts[0].date(), last_date=starts[-1].date() + timedelta(days=1))
    return calendar.to_ical()
