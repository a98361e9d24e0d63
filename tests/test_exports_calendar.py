"""The standing meeting schedule as an .ics file, parsed back with icalendar."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar

from deliberation.exports.calendar import schedule_ics
from deliberation.exports.views import ScheduleView

SHANGHAI = ZoneInfo("Asia/Shanghai")
SECOND_TUESDAYS = (datetime(2025, 3, 11, 19), datetime(2025, 4, 8, 19), datetime(2025, 5, 13, 19))
BOARD = "https://yishi.example.cn/public?compound=1"


def make_schedule(occurrences=SECOND_TUESDAYS, compound="鸿翔花园"):
    return ScheduleView(compound, "鸿翔花园党群服务站", "每月第二个周二 19:00", occurrences, BOARD)


def events(data: bytes):
    return Calendar.from_ical(data).walk("VEVENT")


def test_schedule_is_one_event_from_the_first_meeting_at_seven_pm_shanghai_time_repeating_monthly():
    parsed = events(schedule_ics(make_schedule()))
    assert len(parsed) == 1
    start = parsed[0].decoded("dtstart")
    assert start.replace(tzinfo=None) == SECOND_TUESDAYS[0] and start.utcoffset() == timedelta(hours=8)
    assert str(parsed[0]["dtstart"].params["TZID"]) == "Asia/Shanghai"
    assert parsed[0]["rrule"]["BYDAY"] == ["2TU"]


def test_each_meeting_lasts_two_hours_at_the_fixed_place_with_rule_and_board_link():
    event = events(schedule_ics(make_schedule()))[0]
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert str(event["summary"]) == "鸿翔花园“1+8”协商议事例会"
    assert str(event["location"]) == "鸿翔花园党群服务站"
    assert "每月第二个周二 19:00" in str(event["description"])
    assert BOARD in str(event["description"])


def test_calendar_declares_version_prodid_and_the_shanghai_timezone():
    calendar = Calendar.from_ical(schedule_ics(make_schedule()))
    assert str(calendar["version"]) == "2.0"
    assert "prodid" in calendar
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_the_event_uid_is_stable_across_exports_and_distinct_per_compound():
    first = [str(e["uid"]) for e in events(schedule_ics(make_schedule()))]
    again = [str(e["uid"]) for e in events(schedule_ics(make_schedule()))]
    other = [str(e["uid"]) for e in events(schedule_ics(make_schedule(compound="怡乐花园")))]
    assert first == again and len(first) == 1
    assert not set(first) & set(other)


def test_dates_no_monthly_rule_gives_are_listed_on_the_one_event():
    odd = (datetime(2025, 3, 11, 19), datetime(2025, 3, 20, 19))
    event = events(schedule_ics(make_schedule(occurrences=odd)))[0]
    assert "rrule" not in event
    assert [d.dt.replace(tzinfo=None) for d in event["rdate"].dts] == [odd[1]]


def test_an_aware_utc_time_is_shown_as_shanghai_wall_clock_time():
    utc_start = datetime(2025, 3, 11, 11, tzinfo=timezone.utc)
    start = events(schedule_ics(make_schedule(occurrences=(utc_start,))))[0].decoded("dtstart")
    assert start.replace(tzinfo=None) == datetime(2025, 3, 11, 19)
    assert start.utcoffset() == timedelta(hours=8)


def test_an_empty_schedule_is_still_a_valid_calendar():
    calendar = Calendar.from_ical(schedule_ics(make_schedule(occurrences=())))
    assert calendar.walk("VEVENT") == []
