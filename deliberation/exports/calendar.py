"""Standing meeting schedule (固定时间) as an iCalendar file for phones and Outlook."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from .views import ScheduleView

SHANGHAI = ZoneInfo("Asia/Shanghai")
DURATION = timedelta(hours=2)
PRODID = "-//小区协商议事//1+8 schedule//ZH"


def local(moment: datetime) -> datetime:
    """Naive times are Shenzhen wall-clock times; aware ones are converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def event_uid(compound: str, moment: datetime) -> str:
    # Stable across exports, so re-importing updates events instead of duplicating them.
    digest = hashlib.sha1(compound.encode("utf-8")).hexdigest()[:12]
    return f"{digest}-{moment:%Y%m%d}@xiaoqu-yishi"


def schedule_ics(view: ScheduleView) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{view.compound}协商议事例会")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    # DTSTAMP is when this file was made; clients compare it to decide whether
    # a re-imported event (same UID) carries newer details.
    stamp = datetime.now(UTC).replace(microsecond=0)
    for occurrence in view.occurrences:
        start = local(occurrence)
        event = Event()
        event.add("uid", event_uid(view.compound, start))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + DURATION)
        event.add("summary", f"{view.compound}“1+8”协商议事例会")
        event.add("location", view.place)
        event.add("description", f"例会规则：{view.rule_label}\n公示栏：{view.board_url}")
        event.add("url", view.board_url)
        calendar.add_component(event)
    if view.occurrences:
        # Only the span we use, so the VTIMEZONE leaves out China's 1986–91 summer time.
        dates = [local(o).date() for o in view.occurrences]
        calendar.add_missing_timezones(first_date=min(dates),
                                       last_date=max(dates) + timedelta(days=1))
    return calendar.to_ical()
