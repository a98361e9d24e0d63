"""公示 cannot be cut short (issue 10, item 3): nobody resolves an issue in 公示 before its window's
last day has passed, whoever asks and through whichever service; only the publish right (支部书记,
admin) opens or closes 公示; reopening stays possible. Tried as a careless secretary and a recorder
who has no publish right would."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest

from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.model.lifecycle import chinese_date
from deliberation.services.clock import clock_at, today
from deliberation.services.issues import transition_issue
from deliberation.services.publicity import (
    close_expired_windows,
    publish_result,
    resolvable,
)
from deliberation.store import issues as issue_store
from deliberation.store import one, rows
from tests.factories import (
    actions_for,
    decide,
    dump,
    held_meeting_with_quorum,
    is_chinese,
    issue_in_stage,
    make_issue,
    open_meeting,
    stage_of,
    version_of,
)

WITH_PUBLISH_RIGHT = ("admin", "secretary_a")
WITHOUT = ("recorder_a", "seat_rep_property_a", "seat_rep_owners_a", "officer", "officer_other", "secretary_b",
           "resident")


def on_day(n: int) -> datetime:
    """n days after the result was posted (today), at 10:00."""
    return datetime.combine(today() + timedelta(days=n), time(10))


@pytest.fixture
def posted(world) -> int:
    """Posted today with compound A's default 7-day window: residents may object through day 7."""
    issue_id = issue_in_stage(world.db, world.actors["secretary_a"], world.a, "publicizing")
    assert issue_store.require_issue(world.db, issue_id)["objection_closes_on"] == (today() + timedelta(days=7)).isoformat()
    return issue_id


def refused_events(db) -> list[dict]:
    found = rows(db, "SELECT * FROM events WHERE kind = 'refused' ORDER BY id")
    return [{**e, "data": json.loads(e["data"])} for e in found]


def without_events(snapshot: dict) -> dict:
    return {name: table for name, table in snapshot.items() if name != "events"}


def attempt_to_resolve(world, who: str, issue_id: int) -> DomainError:
    db = world.db
    before, refused_before = dump(db), len(refused_events(db))
    with pytest.raises(DomainError) as refused:
        transition_issue(db, world.actors[who], issue_id, "resolved", expected_version=version_of(db, issue_id),
                         level="compound")
    assert is_chinese(refused.value.message)
    assert without_events(dump(db)) == without_events(before)           # nothing changed…
    assert len(refused_events(db)) == refused_before + 1                # …but the attempt is on record
    assert len(dump(db)["events"]) == len(before["events"]) + 1
    return refused.value


@pytest.mark.parametrize("day", [0, 6])
@pytest.mark.parametrize("who", WITHOUT)
def test_nobody_without_the_publish_right_closes_publicity_on_day_0_or_6(world, posted, who, day):
    with clock_at(on_day(day)):
        refused = attempt_to_resolve(world, who, posted)
    assert isinstance(refused, PermissionDenied)
    assert stage_of(world.db, posted) == "publicizing"


@pytest.mark.parametrize("day", [0, 6, 7])
@pytest.mark.parametrize("who", WITH_PUBLISH_RIGHT)
def test_the_publish_right_cannot_close_publicity_before_the_window_ends(world, posted, who, day):
    with clock_at(on_day(day)):
        refused = attempt_to_resolve(world, who, posted)
    closes_on = today() + timedelta(days=7)
    # Not a permission problem: the message names the day, as the issue page does.
    assert not isinstance(refused, PermissionDenied)
    assert refused.message == f"公示期至 {closes_on.year}年{closes_on.month}月{closes_on.day}日,期满后可办结"
    event = refused_events(world.db)[-1]
    assert (event["actor_label"], event["compound_id"], event["data"]["reason"], event["data"]["issue_id"],
            event["data"]["closes_on"]) == (world.actors[who].label, world.a, "publicity_window_open", posted,
                                            closes_on.isoformat())
    assert stage_of(world.db, posted) == "publicizing"


def test_on_day_8_the_secretary_resolves_it_and_the_recorder_still_cannot(world, posted):
    db = world.db
    with clock_at(on_day(8)):
        attempt_to_resolve(world, "recorder_a", posted)
        transition_issue(db, world.actors["secretary_a"], posted, "resolved", expected_version=version_of(db, posted),
                         level="compound")
    issue = one(db, "SELECT stage, resolved_level, resolved_on FROM issues WHERE id = ?", [posted])
    assert issue == {"stage": "resolved", "resolved_level": "compound",
                     "resolved_on": (today() + timedelta(days=8)).isoformat()}
    last = one(db, "SELECT kind, from_stage, to_stage, actor_label, public FROM events ORDER BY id DESC LIMIT 1")
    assert last == {"kind": "transition", "from_stage": "publicizing", "to_stage": "resolved",
                    "actor_label": world.actors["secretary_a"].label, "public": 1}


@pytest.mark.parametrize("who", ["recorder_a", "seat_rep_property_a", "officer", "resident"])
def test_the_daily_close_is_the_publish_rights_too(world, posted, who):
    db = world.db
    before = dump(db)
    with clock_at(on_day(8)), pytest.raises(PermissionDenied):
        close_expired_windows(db, world.actors[who])
    assert without_events(dump(db)) == without_events(before) and len(refused_events(db)) == 1


@pytest.mark.parametrize("day", [0, 6, 7])
def test_the_daily_close_leaves_an_open_window_alone(world, posted, day):
    with clock_at(on_day(day)):
        assert close_expired_windows(world.db, world.actors["secretary_a"]) == 0
    assert stage_of(world.db, posted) == "publicizing"


def test_the_daily_close_still_resolves_windows_that_have_ended(world, posted):
    with clock_at(on_day(8)):
        assert close_expired_windows(world.db) == 1          # the system, from cron
    assert stage_of(world.db, posted) == "resolved"


def test_naming_a_future_day_does_not_close_a_window_early(world, posted):
    db = world.db
    with pytest.raises(DomainError, match="不能按未来日期"):
        close_expired_windows(db, world.actors["secretary_a"], on=today() + timedelta(days=30))
    assert stage_of(db, posted) == "publicizing"
    # An earlier day only finds fewer windows closed.
    assert close_expired_windows(db, world.actors["secretary_a"], on=today() - timedelta(days=3)) == 0


def test_reopening_during_the_window_stays_possible_for_the_secretary(world, posted):
    db = world.db
    with clock_at(on_day(2)):
        transition_issue(db, world.actors["secretary_a"], posted, "deliberating",
                         expected_version=version_of(db, posted), note="居民反映整改不到位,重新议事")
    assert stage_of(db, posted) == "deliberating"


def test_a_recorder_neither_reopens_nor_publishes(world, posted):
    db = world.db
    before = dump(db)
    with pytest.raises(PermissionDenied):
        transition_issue(db, world.actors["recorder_a"], posted, "deliberating",
                         expected_version=version_of(db, posted), note="重新议事")
    acting = issue_in_stage(db, world.actors["secretary_a"], world.a, "acting", title="楼道灯不亮")
    with pytest.raises(PermissionDenied):
        transition_issue(db, world.actors["recorder_a"], acting, "publicizing",
                         expected_version=version_of(db, acting), note="已修好")
    assert stage_of(db, posted) == "publicizing" and stage_of(db, acting) == "acting"
    assert [e["data"]["action"] for e in refused_events(db)] == ["publish", "publish"]
    assert len(before["issues"]) + 1 == len(dump(db)["issues"])


def _posted_while_on_a_running_meeting(world) -> tuple[int, int]:
    """An issue in 合力干事 with an overdue action goes on a meeting's agenda; while the meeting runs
    the secretary posts its result. The meeting could then "settle" it: another way to 办结."""
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, title="消防通道堵塞")
    held_meeting_with_quorum(db, secretary, world.a, {issue_id: {
        "outcome": "actions", "actions": actions_for(db, world.a, "property", due_in_days=-2)}})
    meeting_id = open_meeting(db, secretary, world.a, [issue_id])
    publish_result(db, secretary, issue_id, summary="通道已清理")
    return issue_id, meeting_id


def test_a_meeting_cannot_settle_an_issue_in_publicity_before_the_window_ends(world):
    issue_id, meeting_id = _posted_while_on_a_running_meeting(world)
    with pytest.raises(DomainError, match="公示期至 .*期满后可办结"):
        decide(world.db, world.actors["secretary_a"], meeting_id, issue_id, outcome="settled", level="compound")
    assert stage_of(world.db, issue_id) == "publicizing"


def test_a_recorder_cannot_settle_an_issue_in_publicity_through_a_meeting(world):
    issue_id, meeting_id = _posted_while_on_a_running_meeting(world)
    with pytest.raises(PermissionDenied):
        decide(world.db, world.actors["recorder_a"], meeting_id, issue_id, outcome="settled", level="compound")
    assert stage_of(world.db, issue_id) == "publicizing" and len(refused_events(world.db)) == 1


def test_the_page_is_told_when_the_button_would_succeed(world, posted):
    issue = issue_store.require_issue(world.db, posted)
    for day, expected in ((0, False), (7, False), (8, True)):
        with clock_at(on_day(day)):
            assert resolvable(world.actors["secretary_a"], issue) is expected
            assert resolvable(world.actors["admin"], issue) is expected
            assert resolvable(world.actors["recorder_a"], issue) is False
            assert resolvable(world.actors["secretary_b"], issue) is False


def test_dates_are_written_the_chinese_way():
    assert chinese_date("2026-12-09") == "2026年12月9日" == chinese_date(date(2026, 12, 9))
