"""The escalation ladder (issue 13, item 8): 小区 → 社区 → 街道. The officer an escalation waits with
answers it or passes it up with a note; the answer comes back to the compound's issue and its public
page; the 721 figure counts the level that answered; 上报到 offers only the levels the compound has.
Written as a careless or hostile officer would use it: another area's officer, a second click, a
stale page, a tampered id, markup in the note."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from deliberation.model.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    StaleRecord,
)
from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.clock import clock_at, now
from deliberation.services.compounds import create_compound
from deliberation.services.escalation import (
    answer_escalation,
    escalate,
    escalation_levels,
    pass_up,
    pending_escalations,
)
from deliberation.services.issue_view import issue_detail
from deliberation.services.public import (
    public_escalations,
    public_issue,
    public_timeline,
)
from deliberation.services.publicity import close_expired_windows
from deliberation.services.rollup import area_rollup
from deliberation.services.stats import compound_stats
from deliberation.services.users import create_user
from deliberation.store import one, rows
from tests.factories import (
    dump,
    escalated_issue,
    is_chinese,
    issue_in_stage,
    last_event,
    stage_of,
)

NOTE = "社区已两次约谈物业,施工围挡涉及市政道路,需街道协调城管和交警"


@pytest.fixture
def street(world):
    """桂园街道's officer (the world has only 松园社区's and 东门街道's)."""
    user_id = create_user(world.db, SYSTEM, "guiyuan", "桂园街道干部", "officer", password_hash="x",
                          area_id=world.areas["桂园街道"])
    return load_actor(world.db, user_id)


def version_of_escalation(db, escalation_id: int) -> int:
    return one(db, "SELECT version FROM escalations WHERE id = ?", [escalation_id])["version"]


def waiting_ids(db, actor) -> list[int]:
    return [e["id"] for e in pending_escalations(db, actor)]


def test_a_community_officer_passes_an_escalation_up_to_the_subdistrict_with_a_note(world, street):
    db, community = world.db, world.actors["officer"]
    issue_id, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    assert waiting_ids(db, community) == [escalation_id] and waiting_ids(db, street) == [escalation_id]

    went_to = pass_up(db, community, escalation_id, NOTE, expected_version=version_of_escalation(db, escalation_id))

    assert went_to == "桂园街道"
    escalation = one(db, "SELECT * FROM escalations WHERE id = ?", [escalation_id])
    assert (escalation["level_to"], escalation["area_id"], escalation["answered_on"]) == (
        "subdistrict", world.areas["桂园街道"], None)
    assert waiting_ids(db, community) == []                       # no longer the 社区's to answer
    [waiting] = pending_escalations(db, street)
    assert [(p["from_area"], p["to_area"], p["note"], p["passed_by_label"]) for p in waiting["passes"]] == [
        ("松园社区", "桂园街道", NOTE, community.label)]
    assert waiting["next"] is None                                # 街道 is the top rung
    issue = one(db, "SELECT stage, fix_level FROM issues WHERE id = ?", [issue_id])
    assert (issue["stage"], issue["fix_level"]) == ("escalated", "subdistrict")
    event = last_event(db, issue_id)
    assert (event["kind"], event["note"], event["public"], event["actor_id"]) == (
        "escalation_passed", "松园社区转报桂园街道", 1, community.user_id)
    assert NOTE not in event["data"]                              # typed text stays out of the append-only record


def test_the_subdistricts_answer_reaches_the_compounds_issue_and_public_page_and_721_counts_the_subdistrict(world, street):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id, escalation_id = escalated_issue(db, secretary, world.a, "community")
    pass_up(db, world.actors["officer"], escalation_id, NOTE)
    answer_escalation(db, street, escalation_id, "街道已协调城管拆除违规围挡,三日内完成", next_stage="publicizing",
                      expected_version=version_of_escalation(db, escalation_id))

    detail = issue_detail(db, secretary, issue_id)
    assert detail["issue"]["stage"] == "publicizing"
    assert [(e["answer"], e["answered_level"], e["area_name"]) for e in detail["escalations"]] == [
        ("街道已协调城管拆除违规围挡,三日内完成", "subdistrict", "桂园街道")]
    assert [p["note"] for p in detail["escalation_passes"]] == [NOTE]
    board = public_issue(db, issue_id)
    assert board.summary == "街道已协调城管拆除违规围挡,三日内完成"
    lines = [e["note"] for e in public_timeline(db, issue_id)]
    assert "转报街道" in lines and "街道已协调城管拆除违规围挡,三日内完成" in lines
    assert NOTE not in json.dumps(public_timeline(db, issue_id), ensure_ascii=False)      # the note is not public
    assert [(e["level_to"], e["answer"]) for e in public_escalations(db, world.a)] == [
        ("subdistrict", "街道已协调城管拆除违规围挡,三日内完成")]

    with clock_at(now() + timedelta(days=8)):
        assert close_expired_windows(db, secretary) == 1
    assert one(db, "SELECT resolved_level FROM issues WHERE id = ?", [issue_id])["resolved_level"] == "subdistrict"
    assert compound_stats(db, secretary, world.a)["resolved_by_level"] == {"subdistrict": 1}
    assert area_rollup(db, world.actors["admin"], world.areas["桂园街道"])["levels"] == {
        "compound": 0, "community": 0, "subdistrict": 1}


def test_a_subdistrict_officer_answering_a_community_request_directly_is_counted_at_the_subdistrict(world, street):
    db, secretary = world.db, world.actors["secretary_a"]
    _, escalation_id = escalated_issue(db, secretary, world.a, "community")
    answer_escalation(db, street, escalation_id, "街道直接协调解决", next_stage="publicizing")
    assert one(db, "SELECT answered_level FROM escalations WHERE id = ?", [escalation_id])["answered_level"] == "subdistrict"
    with clock_at(now() + timedelta(days=8)):
        close_expired_windows(db, secretary)
    assert compound_stats(db, secretary, world.a)["resolved_by_level"] == {"subdistrict": 1}


def test_a_community_answer_stays_counted_at_the_community(world):
    db, secretary = world.db, world.actors["secretary_a"]
    _, escalation_id = escalated_issue(db, secretary, world.a, "community")
    answer_escalation(db, world.actors["officer"], escalation_id, "社区协调解决", next_stage="publicizing")
    with clock_at(now() + timedelta(days=8)):
        close_expired_windows(db, secretary)
    assert compound_stats(db, secretary, world.a)["resolved_by_level"] == {"community": 1}


def test_the_subdistrict_is_the_top_rung(world, street):
    db = world.db
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "subdistrict")
    before = dump(db)
    with pytest.raises(DomainError, match="最高层级,请直接答复"):
        pass_up(db, street, escalation_id, NOTE)
    assert dump(db) == before


def test_a_double_click_passes_it_up_once(world):
    db, community = world.db, world.actors["officer"]
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    seen = version_of_escalation(db, escalation_id)
    pass_up(db, community, escalation_id, NOTE, expected_version=seen)
    before = dump(db)
    with pytest.raises(StaleRecord, match="已转报桂园街道"):
        pass_up(db, community, escalation_id, NOTE, expected_version=seen)
    assert dump(db) == before                                     # no second step, no audit noise
    assert len(rows(db, "SELECT id FROM escalation_passes")) == 1


def test_the_community_page_left_open_cannot_answer_what_was_passed_up(world, street):
    db, community = world.db, world.actors["officer"]
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    seen = version_of_escalation(db, escalation_id)
    pass_up(db, street, escalation_id, "街道直接接手", expected_version=seen)   # a colleague above took it
    before = dump(db)
    with pytest.raises(StaleRecord, match="已转报桂园街道"):
        answer_escalation(db, community, escalation_id, "社区已处理", expected_version=seen)
    assert dump(db) == before


def test_a_double_click_answers_once(world):
    db, community = world.db, world.actors["officer"]
    issue_id, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    seen = version_of_escalation(db, escalation_id)
    answer_escalation(db, community, escalation_id, "社区已协调", expected_version=seen)
    before = dump(db)
    with pytest.raises(DomainError, match="已答复"):
        answer_escalation(db, community, escalation_id, "社区已协调", expected_version=seen)
    with pytest.raises(DomainError, match="已答复"):
        pass_up(db, community, escalation_id, NOTE, expected_version=seen)
    assert dump(db) == before
    assert stage_of(db, issue_id) == "acting"


def test_another_areas_officer_cannot_pass_it_up_and_the_attempt_is_recorded(world):
    db, other = world.db, world.actors["officer_other"]          # 东门街道: not above 甲花园
    issue_id, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    with pytest.raises(PermissionDenied):
        pass_up(db, other, escalation_id, NOTE)
    refused = one(db, "SELECT * FROM events ORDER BY id DESC LIMIT 1")
    assert (refused["kind"], refused["actor_id"]) == ("refused", other.user_id)
    assert one(db, "SELECT area_id FROM escalations WHERE id = ?", [escalation_id])["area_id"] == world.areas["松园社区"]
    assert stage_of(db, issue_id) == "escalated"


def test_a_community_officer_cannot_act_on_what_waits_at_the_subdistrict(world):
    db, community = world.db, world.actors["officer"]
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "subdistrict")
    for attempt in (lambda: pass_up(db, community, escalation_id, NOTE),
                    lambda: answer_escalation(db, community, escalation_id, "社区来答")):
        with pytest.raises(PermissionDenied, match="其他区域"):
            attempt()
        assert one(db, "SELECT kind FROM events ORDER BY id DESC LIMIT 1")["kind"] == "refused"


@pytest.mark.parametrize("who", ["secretary_a", "recorder_a", "seat_rep_property_a", "resident"])
def test_only_officers_pass_escalations_up(world, who):
    db = world.db
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    with pytest.raises(PermissionDenied) as refused:
        pass_up(db, world.actors[who], escalation_id, NOTE)
    assert is_chinese(refused.value.message)
    assert one(db, "SELECT level_to FROM escalations WHERE id = ?", [escalation_id])["level_to"] == "community"


@pytest.mark.parametrize("escalation_id", [999_999, -1, 0])
def test_a_tampered_escalation_id_finds_nothing(world, escalation_id):
    with pytest.raises(NotFound, match="找不到该上报事项"):
        pass_up(world.db, world.actors["officer"], escalation_id, NOTE)
    with pytest.raises(NotFound, match="找不到该上报事项"):
        answer_escalation(world.db, world.actors["officer"], escalation_id, "答复")


@pytest.mark.parametrize("note,message", [("", "写明说明"), ("   \n ", "写明说明"), ("很" * 501, "不能超过 500 字")])
def test_passing_up_needs_a_note_of_reasonable_length(world, note, message):
    db = world.db
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    before = dump(db)
    with pytest.raises(DomainError, match=message):
        pass_up(db, world.actors["officer"], escalation_id, note)
    assert dump(db) == before


def test_markup_in_the_note_is_kept_as_typed_and_stays_off_the_public_record(world, street):
    db = world.db
    issue_id, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    note = '<script>alert(1)</script> [点我](javascript:alert(2)) **急**'
    pass_up(db, world.actors["officer"], escalation_id, note)
    assert [p["note"] for p in pending_escalations(db, street)[0]["passes"]] == [note]
    public = json.dumps([public_timeline(db, issue_id), public_escalations(db, world.a)], ensure_ascii=False)
    assert "script" not in public and "javascript" not in public
    assert all("script" not in e["data"] for e in rows(db, "SELECT data FROM events WHERE issue_id = ?", [issue_id]))


def test_the_pass_note_can_be_redacted(world):
    from deliberation.services.privacy import REDACTED, redact
    db = world.db
    _, escalation_id = escalated_issue(db, world.actors["secretary_a"], world.a, "community")
    pass_up(db, world.actors["officer"], escalation_id, "业主王某某(13800001111)多次投诉")
    pass_id = one(db, "SELECT id FROM escalation_passes")["id"]
    redact(db, world.actors["secretary_a"], "escalation_pass", pass_id, "note")
    assert one(db, "SELECT note FROM escalation_passes")["note"] in (REDACTED, "")
    assert "13800001111" not in json.dumps(dump(db), ensure_ascii=False)


def test_escalate_to_offers_only_the_levels_the_compound_has(world):
    db = world.db
    with_community = escalation_levels(db, world.actors["secretary_a"], world.a)
    assert [(r["level"], r["area"]) for r in with_community] == [("community", "松园社区"), ("subdistrict", "桂园街道")]
    straight = create_compound(db, SYSTEM, world.areas["东门街道"], "丁花园", place="丁花园服务站")
    assert [(r["level"], r["area"]) for r in escalation_levels(db, SYSTEM, straight)] == [("subdistrict", "东门街道")]


def test_a_compound_without_a_community_escalates_straight_to_its_subdistrict(world):
    db = world.db
    straight = create_compound(db, SYSTEM, world.areas["东门街道"], "丁花园", place="丁花园服务站")
    refused_id = issue_in_stage(db, SYSTEM, straight, "deliberating")
    before = dump(db)
    with pytest.raises(DomainError, match=re.escape("该小区没有上级社区,可上报到:街道(东门街道)")):
        escalate(db, SYSTEM, refused_id, "community", "请社区协调")
    assert dump(db) == before
    escalation_id = escalate(db, SYSTEM, refused_id, None, "请上级协调")      # the form's default: its lowest rung
    assert one(db, "SELECT level_to, area_id FROM escalations WHERE id = ?", [escalation_id]) == {
        "level_to": "subdistrict", "area_id": world.areas["东门街道"]}
    street = load_actor(db, world.actors["officer_other"].user_id)      # re-read: its area gained a compound
    assert waiting_ids(db, street) == [escalation_id]
    with pytest.raises(DomainError, match="最高层级"):
        pass_up(db, street, escalation_id, NOTE)


def test_yile_garden_in_the_demo_is_offered_only_its_subdistrict(demo_db):
    yl_secretary = load_actor(demo_db, one(demo_db, "SELECT id FROM users WHERE username = 'yl_secretary'")["id"])
    yile = one(demo_db, "SELECT id FROM compounds WHERE name = '怡乐花园'")["id"]
    assert [(r["level"], r["area"]) for r in escalation_levels(demo_db, yl_secretary, yile)] == [
        ("subdistrict", "南湾街道")]


@pytest.mark.parametrize("level", ["district", "compound", "", "community' OR 1=1 --"])
def test_an_unknown_level_is_refused(world, level):
    db = world.db
    issue_id = issue_in_stage(db, world.actors["secretary_a"], world.a, "deliberating")
    before = dump(db)
    with pytest.raises(DomainError, match="请选择上报到社区还是街道"):
        escalate(db, world.actors["secretary_a"], issue_id, level, "请协调")
    assert dump(db) == before


# --- the officer's page (区域汇总 → 待答复的上报事项), in AppTest on a copy of the demo -----------------

@pytest.fixture
def songyuan_waiting(demo_path, tmp_path):
    """A copy of the demo with one 鸿翔花园 issue escalated to 松园社区: (db file, escalation id)."""
    from deliberation.store import open_db
    from tests.factories import copy_db
    target = tmp_path / "app.db"
    copy_db(demo_path, target)
    db = open_db(target)
    secretary = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'hx_secretary'")["id"])
    issue_id = issue_in_stage(db, secretary, 1, "deliberating", title="东门外人行道被施工围挡占用")
    escalation_id = escalate(db, secretary, issue_id, "community", "请社区协调施工单位留出通道")
    db.close()
    return target, escalation_id


def test_the_community_officer_passes_it_up_on_the_page(songyuan_waiting, monkeypatch):
    from deliberation.store import open_db
    from tests.page_session import open_page_on
    path, escalation_id = songyuan_waiting
    at = open_page_on(path, monkeypatch, "rollup", "songyuan_officer", state={"lang": "zh"})
    assert not at.exception
    key = f"rollup_pass_{escalation_id}"
    send = lambda: next(b for b in at.button if b.label == "转报桂园街道" and key in (b.form_id or "")).click()
    send()
    at.run()
    assert [e.value for e in at.error] == ["转报需要写明说明(如社区已做的工作、需要街道协调的事项)"]
    at.text_area(key=f"{key}_note").input(NOTE)
    send()
    at.run()
    assert not at.exception and not at.error
    assert at.success[0].value == "已转报桂园街道,等待其答复。"
    assert f"{key}_note" not in [t.key for t in at.text_area]          # no longer the 社区's to act on
    db = open_db(path)
    assert one(db, "SELECT note FROM escalation_passes WHERE escalation_id = ?", [escalation_id])["note"] == NOTE


def test_an_answer_from_a_page_left_open_after_the_pass_is_refused_with_where_it_went(songyuan_waiting, monkeypatch):
    from deliberation.store import open_db
    from tests.page_session import open_page_on
    path, escalation_id = songyuan_waiting
    at = open_page_on(path, monkeypatch, "rollup", "songyuan_officer", state={"lang": "zh"})
    db = open_db(path)
    colleague = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'songyuan_officer'")["id"])
    pass_up(db, colleague, escalation_id, NOTE)                         # in another tab, first
    key = f"rollup_answer_{escalation_id}"
    at.text_area(key=f"{key}_text").input("社区已处理")
    next(b for b in at.button if b.label == "提交答复" and key in (b.form_id or "")).click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["该上报事项已转报桂园街道,请刷新后查看"]
    assert "社区已处理" in [t.value for t in at.text]                     # what was typed is shown, not lost
    assert one(db, "SELECT answered_on FROM escalations WHERE id = ?", [escalation_id])["answered_on"] is None


def test_markup_in_an_answer_and_a_note_shows_literally_on_the_issue_page(songyuan_waiting, monkeypatch):
    from deliberation.store import open_db
    from tests.page_session import open_page_on
    path, escalation_id = songyuan_waiting
    db = open_db(path)
    officer = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'songyuan_officer'")["id"])
    street = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'guiyuan_officer'")["id"])
    pass_up(db, officer, escalation_id, "[点我](javascript:alert(1)) <b>急</b>")
    answer_escalation(db, street, escalation_id, "**已解决** [详情](javascript:alert(2))", next_stage="acting")
    issue_id = one(db, "SELECT issue_id FROM escalations WHERE id = ?", [escalation_id])["issue_id"]
    at = open_page_on(path, monkeypatch, "issue", "hx_secretary", issue=issue_id)
    assert not at.exception and not at.error
    [banner] = [s.value for s in at.success if "上级已答复" in s.value]
    assert "\\*\\*已解决\\*\\*" in banner and "\\[详情\\]" in banner          # escaped: no bold, no link
    shown = [t.value for t in at.text]
    assert "[点我](javascript:alert(1)) <b>急</b>" in shown                         # st.text: as typed
    assert "**已解决** [详情](javascript:alert(2))" in shown
