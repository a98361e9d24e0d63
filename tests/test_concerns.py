"""A resident's concern from the public board: similar open issues first, "我也遇到", limits that
stop floods, the secretary accepting / merging / rejecting it, and the objection flow of 公示 end
to end through the services."""
from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest

from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.agenda import propose_agenda
from deliberation.services.concerns import (CLIENT_LIMIT_PER_HOUR, COMPOUND_LIMIT_PER_HOUR, check_concern,
                                            concern_status, join_concern, raise_concern, similar_open_issues,
                                            similarity)
from deliberation.services.clock import clock_at
from deliberation.services.issues import accept_concern, merge_issues, reject_concern
from deliberation.services.public import public_issue, public_issues
from deliberation.services.publicity import close_expired_windows, give_feedback, publish_result
from deliberation.store import one, open_db, rows
from tests.factories import (category_id, dump, household_codes, held_meeting_with_quorum, issue_in_stage, make_issue, run_together,
                             stage_of, version_of)


def concern(world, key: str = "browser-1", compound: str = "A", **kw) -> int:
    values = dict(category_id=category_id(world.db, world.compounds[compound]), description="地库晚上车位不够停,车停到消防通道",
                  building="5栋", contact="13912345699", session_key=key)
    values.update(kw)
    return raise_concern(world.db, world.compounds[compound], **values)


def test_a_concern_lands_in_collected_unaccepted_with_no_personal_text_in_its_title(world):
    issue_id = concern(world)
    issue = one(world.db, """SELECT title, description, stage, accepted_at, public_summary, raised_by_kind, channel,
                                    building FROM issues WHERE id = ?""", [issue_id])
    # The resident's own words are personal: they stay on the report (m016), not in the staff's description.
    assert issue == {"title": "居民反映:停车(5栋)", "description": "",
                     "stage": "collected", "accepted_at": None, "public_summary": "", "raised_by_kind": "resident",
                     "channel": "board", "building": "5栋"}
    report = one(world.db, """SELECT kind, contact, unit, reporter_name, session_key, words FROM reports
                              WHERE issue_id = ?""", [issue_id])
    assert report == {"kind": "resident", "contact": "13912345699", "unit": "", "reporter_name": "",
                      "session_key": "browser-1", "words": "地库晚上车位不够停,车停到消防通道"}


def test_the_board_shows_a_new_concern_as_received_and_waiting(world):
    issue_id = concern(world)
    shown = public_issue(world.db, issue_id)
    assert (shown.stage, shown.accepted, shown.summary, shown.raised_by) == ("collected", False, "", "居民")
    assert concern_status(world.db, issue_id)["waiting"] is True


def test_a_building_that_looks_like_a_flat_or_phone_number_is_refused_because_it_is_public(world):
    before = dump(world.db)
    for building in ("5栋1203", "13912345699"):
        with pytest.raises(DomainError, match="请勿填写门牌号"):
            concern(world, building=building)
    assert dump(world.db) == before


@pytest.mark.parametrize("description, message", [("太吵", "至少 5 个字"), ("吵" * 1001, "不能超过 1000 字")])
def test_a_concern_needs_a_sensible_description(world, description, message):
    with pytest.raises(DomainError, match=message):
        concern(world, description=description)


def test_a_category_of_another_compound_is_refused(world):
    with pytest.raises(DomainError, match="请选择问题类别"):
        concern(world, category_id=category_id(world.db, world.compounds["B"]))


def test_similar_open_issues_share_the_category_or_the_words(world):
    db, secretary = world.db, world.actors["secretary_a"]
    parking = make_issue(db, secretary, world.a, title="地下车库车位不足", public_summary="夜间车位紧张")
    noise = make_issue(db, secretary, world.a, title="广场舞噪音扰民", category_id=category_id(db, world.a, "噪音"))
    solved = issue_in_stage(db, secretary, world.a, "resolved", title="车位不足")
    elsewhere = make_issue(db, world.actors["secretary_b"], world.compounds["B"], title="地下车库车位不足")
    found = similar_open_issues(db, world.a, category_id(db, world.a), "晚上地下车库没有车位")
    assert [s.id for s in found] == [parking]
    assert {noise, solved, elsewhere}.isdisjoint(s.id for s in found)
    by_words = similar_open_issues(db, world.a, category_id(db, world.a, "治安"), "广场舞噪音太大了")
    assert [s.id for s in by_words] == [noise]


def test_similarity_is_zero_for_unrelated_text_in_another_category():
    assert similarity("电梯经常停运", "电梯/加装电梯", "广场舞噪音扰民", "", "噪音") == 0
    assert similarity("电梯经常停运", "电梯/加装电梯", "电梯停运", "", "电梯/加装电梯") == 0.8


def test_me_too_counts_another_household_on_the_open_issue(world):
    db = world.db
    issue_id = make_issue(db, world.actors["secretary_a"], world.a)
    join_concern(db, issue_id, session_key="browser-2", contact="13912345698")
    assert public_issue(db, issue_id).households == 2
    with pytest.raises(DomainError, match="已反映过"):
        join_concern(db, issue_id, session_key="browser-2")


def test_me_too_on_a_resolved_issue_is_refused(world):
    issue_id = issue_in_stage(world.db, world.actors["secretary_a"], world.a, "resolved")
    with pytest.raises(DomainError, match="已办结或关闭"):
        join_concern(world.db, issue_id, session_key="browser-2")


def test_one_browser_session_without_an_address_may_send_five_concerns_an_hour(world):
    start = datetime.combine(date.today(), time(9))
    with clock_at(start):
        for _ in range(CLIENT_LIMIT_PER_HOUR):
            concern(world, key="flood")
        before = dump(world.db)
        with pytest.raises(DomainError, match="一小时内已提交 5 次,请在 10:01 以后再试"):
            concern(world, key="flood")
        issue_id = make_issue(world.db, world.actors["secretary_a"], world.a)
        with pytest.raises(DomainError, match="一小时内已提交 5 次"):
            join_concern(world.db, issue_id, session_key="flood")
    with clock_at(start + timedelta(hours=1, minutes=1)):
        concern(world, key="flood")
    assert len(dump(world.db)["issues"]) == len(before["issues"]) + 2


def test_clicks_at_the_same_moment_cannot_pass_the_limit_together(world):
    """The limit is checked inside the write transaction: of eight simultaneous sends from a
    session one short of its limit, exactly one gets through."""
    for _ in range(CLIENT_LIMIT_PER_HOUR - 1):
        concern(world, key="race")
    path = world.db.execute("PRAGMA database_list").fetchone()[2]
    start, outcomes = threading.Barrier(8), []

    def send() -> None:
        db = open_db(path, migrate=False)
        start.wait()
        try:
            raise_concern(db, world.a, category_id=category_id(db, world.a), session_key="race",
                          description="地库晚上车位不够停,车停到消防通道")
            outcomes.append("sent")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            db.close()

    run_together(send, 8)
    assert outcomes.count("sent") == 1
    assert all("一小时内已提交 5 次" in o for o in outcomes if o != "sent")
    assert one(world.db, "SELECT count(*) AS n FROM reports WHERE session_key = 'race'")["n"] == CLIENT_LIMIT_PER_HOUR


def test_a_compound_takes_three_hundred_concerns_an_hour_whatever_the_sessions(world):
    with clock_at(datetime.combine(date.today(), time(9))):
        for n in range(COMPOUND_LIMIT_PER_HOUR):
            concern(world, key=f"bot-{n}")
        with pytest.raises(DomainError, match="本小区近一小时收到的反映非常多"):
            concern(world, key="one-more")
        concern(world, key="neighbour", compound="B")      # another compound is not affected


def test_a_concern_without_a_session_key_is_refused(world):
    with pytest.raises(DomainError, match="会话已失效"):
        concern(world, key="")


def test_the_secretary_accepts_a_concern_into_the_register(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = concern(world)
    accept_concern(db, secretary, issue_id, version_of(db, issue_id), title="地库车辆占用消防通道",
                   public_summary="已受理,将列入下次议事")
    shown = public_issue(db, issue_id)
    assert (shown.accepted, shown.title, shown.summary) == (True, "地库车辆占用消防通道", "已受理,将列入下次议事")
    assert [r["id"] for r in propose_agenda(db, secretary, world.a)] == [issue_id]


def test_a_rejected_concern_shows_its_reason_on_the_board(world):
    db = world.db
    issue_id = concern(world)
    reject_concern(db, world.actors["secretary_a"], issue_id, version_of(db, issue_id), "属市政道路,已转交12345热线")
    shown = public_issue(db, issue_id)
    assert (shown.stage, shown.closed_reason, shown.reply) == ("closed", "rejected", "属市政道路,已转交12345热线")


def test_a_concern_merged_into_an_open_issue_adds_its_household(world):
    db, secretary = world.db, world.actors["secretary_a"]
    kept = make_issue(db, secretary, world.a)
    duplicate = concern(world)
    merge_issues(db, secretary, duplicate, kept)
    assert public_issue(db, kept).households == 2
    assert [i.id for i in public_issues(db, world.a)[0]] == [kept]      # the merged one leaves the board


def test_a_secretary_of_another_compound_cannot_accept_the_concern(world):
    db = world.db
    issue_id = concern(world)
    with pytest.raises(PermissionDenied):
        accept_concern(db, world.actors["secretary_b"], issue_id, version_of(db, issue_id))
    assert public_issue(db, issue_id).accepted is False


def _publicized_concern(world) -> int:
    """A resident's concern carried all the way to 公示: accepted, decided with actions, published."""
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = concern(world)
    accept_concern(db, secretary, issue_id, version_of(db, issue_id))
    held_meeting_with_quorum(db, secretary, world.a, {issue_id: {"outcome": "actions", "decision": "物业清理通道"}})
    publish_result(db, secretary, issue_id, summary="消防通道已清理,增设禁停标识")
    return issue_id


def test_three_dissatisfied_households_reopen_a_published_concern_onto_the_next_agenda(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = _publicized_concern(world)
    codes = household_codes(db, world.a, 3)
    stages = [give_feedback(db, issue_id, "unsatisfied", "仍有车辆占道", session_key=f"home-{n}", household_code=code)
              for n, code in enumerate(codes)]
    assert stages == ["publicizing", "publicizing", "deliberating"]
    assert stage_of(db, issue_id) == "deliberating"
    assert [(r["id"], r["reason"]) for r in propose_agenda(db, secretary, world.a)] == [(issue_id, "carry_over")]


def test_a_window_that_closes_quietly_resolves_the_published_concern(world):
    db = world.db
    issue_id = _publicized_concern(world)
    give_feedback(db, issue_id, "satisfied", session_key="home-1")
    give_feedback(db, issue_id, "unsatisfied", session_key="home-2")
    closes = date.fromisoformat(public_issue(db, issue_id).objection_closes_on)
    with clock_at(datetime.combine(closes + timedelta(days=1), time(0, 5))):
        assert close_expired_windows(db) == 1
    shown = public_issue(db, issue_id)
    assert (shown.stage, shown.resolved_level) == ("resolved", "compound")
    assert rows(db, "SELECT rating, comment FROM feedback WHERE issue_id = ? ORDER BY id", [issue_id]) == [
        {"rating": "satisfied", "comment": ""}, {"rating": "unsatisfied", "comment": ""}]


def test_checking_a_concern_refuses_what_sending_would_before_offering_similar_ones(world):
    db = world.db
    make_issue(db, world.actors["secretary_a"], world.a, title="地下车库车位不足")
    parking = category_id(db, world.a)
    with pytest.raises(DomainError, match="请选择问题类别"):
        check_concern(db, world.a, category_id=None, description="车库没有车位了")
    with pytest.raises(DomainError, match="请勿填写门牌号"):
        check_concern(db, world.a, category_id=parking, description="车库没有车位了", building="3栋1101")
    assert [s.title for s in check_concern(db, world.a, category_id=parking, description="车库没有车位了")] == [
        "地下车库车位不足"]
