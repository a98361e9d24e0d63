"""One household, one voice (议事码): codes issued as hashes only, objections and ratings counted
per household, voices without a code kept apart, and abuse limits per household and per client
address that a reload cannot reset — tried as a hostile resident and a careless staff member would."""
from __future__ import annotations

import hashlib
import threading
from datetime import date, datetime, time, timedelta

import pytest

from deliberation.model.errors import DomainError, NotFound, PermissionDenied
from deliberation.services.clock import clock_at
from deliberation.services.concerns import (
    CLIENT_LIMIT_PER_HOUR,
    HOUSEHOLD_LIMIT_PER_HOUR,
    join_concern,
    raise_concern,
)
from deliberation.services.households import (
    ALPHABET,
    check_household_code,
    household_codes,
    issue_codes,
    masked,
    normalise,
    parse_units,
    reissue_code,
    revoke_code,
    unverified_voices,
)
from deliberation.services.issues import accept_concern
from deliberation.services.public import public_feedback_counts, public_issue
from deliberation.services.publicity import give_feedback, publish_result
from deliberation.store import one, open_db, rows
from tests.factories import (
    category_id,
    db_path,
    dump,
    held_meeting_with_quorum,
    is_chinese,
    issue_in_stage,
    make_issue,
    run_together,
    stage_of,
    version_of,
)
from tests.factories import household_codes as codes_for


@pytest.fixture
def posted(world) -> int:
    """A result in 公示 in compound A (threshold 3 households)."""
    return issue_in_stage(world.db, world.actors["secretary_a"], world.a, "publicizing")


def unsatisfied_households(db, issue_id: int) -> int:
    return one(db, """SELECT count(DISTINCT household_code_id) AS n FROM feedback WHERE issue_id = ?
                      AND rating = 'unsatisfied' AND household_code_id IS NOT NULL""", [issue_id])["n"]


# --- issuing codes ---------------------------------------------------------------------------

def test_codes_are_short_unambiguous_grouped_and_stored_only_as_a_hash(world):
    db = world.db
    issued = issue_codes(db, world.actors["secretary_a"], world.a, "1栋101,1栋102\n2栋301-303")
    assert [c.unit for c in issued] == ["1栋101", "1栋102", "2栋301", "2栋302", "2栋303"]
    for c in issued:
        assert len(c.code) == 9 and c.code[4] == "-" and set(c.code.replace("-", "")) <= set(ALPHABET)
    assert len({c.code for c in issued}) == 5
    stored = rows(db, "SELECT * FROM household_codes WHERE compound_id = ?", [world.a])
    assert {r["code_hash"] for r in stored} == {hashlib.sha256(normalise(c.code).encode()).hexdigest()
                                                for c in issued}
    everything = repr(dump(db))
    assert not any(c.code in everything or normalise(c.code) in everything for c in issued)
    # The event log keeps a count, never a unit or a code.
    event = one(db, "SELECT note, data FROM events WHERE kind = 'household_codes_issued'")
    assert "1栋101" not in repr(event) and "5" in event["note"]


def test_a_unit_holding_a_live_code_is_not_given_a_second_one(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_codes(db, secretary, world.a, "3栋502")
    before = dump(db)
    with pytest.raises(DomainError, match="3栋502 已有议事码"):
        issue_codes(db, secretary, world.a, "3栋501, 3栋502")
    assert dump(db) == before                                # nothing of the batch was written


@pytest.mark.parametrize("typed, message", [("1栋105-101", "房号范围「1栋105-101」不正确"),
                                            ("1栋101-9栋", "看不懂"), ("", "请填写要发放议事码的房号")])
def test_a_malformed_unit_list_is_refused_quoting_what_was_typed(world, typed, message):
    with pytest.raises(DomainError, match=message):
        issue_codes(world.db, world.actors["secretary_a"], world.a, typed)


def test_ranges_keep_leading_zeros_and_drop_repeats():
    assert parse_units("A座0801-0803、A座0802") == ["A座0801", "A座0802", "A座0803"]
    assert parse_units("5栋1203-5栋1204") == ["5栋1203", "5栋1204"]


@pytest.mark.parametrize("who", ["recorder_a", "seat_rep_owners_a", "secretary_b", "officer"])
def test_only_the_compounds_secretary_hands_out_codes_and_a_refusal_is_audited(world, who):
    db = world.db
    refused = one(db, "SELECT count(*) AS n FROM events WHERE kind = 'refused'")["n"]
    with pytest.raises(PermissionDenied):
        issue_codes(db, world.actors[who], world.a, "1栋101")
    with pytest.raises(PermissionDenied):
        household_codes(db, world.actors[who], world.a)
    assert one(db, "SELECT count(*) AS n FROM events WHERE kind = 'refused'")["n"] == refused + 2
    assert rows(db, "SELECT * FROM household_codes") == []


def test_a_reissued_code_replaces_the_old_one_which_is_refused_in_chinese(world, posted):
    db, secretary = world.db, world.actors["secretary_a"]
    old = issue_codes(db, secretary, world.a, "3栋502")[0].code
    new = reissue_code(db, secretary, world.a, "3栋502")
    assert new.unit == "3栋502" and new.code != old
    with pytest.raises(DomainError, match=f"议事码「{old}」已停用") as refused:
        give_feedback(db, posted, "unsatisfied", session_key="s1", household_code=old)
    assert is_chinese(refused.value.message)
    assert give_feedback(db, posted, "unsatisfied", session_key="s1", household_code=new.code) == "publicizing"
    listed = household_codes(db, secretary, world.a)
    assert [(r["unit"], bool(r["revoked_at"])) for r in listed] == [("3栋502", False), ("3栋502", True)]
    assert "code_hash" not in listed[0]


def test_a_revoked_code_is_refused_and_writes_nothing(world, posted):
    db, secretary = world.db, world.actors["secretary_a"]
    code = issue_codes(db, secretary, world.a, "3栋502")[0].code
    revoke_code(db, secretary, world.a, "3栋502")
    before = dump(db)
    with pytest.raises(DomainError, match="已停用"):
        join_concern(db, make_issue(db, secretary, world.a), session_key="x", household_code=code)
    with pytest.raises(DomainError, match="已停用"):
        check_household_code(db, world.a, code)
    with pytest.raises(NotFound):
        revoke_code(db, secretary, world.a, "3栋502")
    assert len(dump(db)["reports"]) == len(before["reports"]) + 1    # only make_issue's own report


def test_a_wrong_code_or_one_of_another_compound_is_refused_quoting_what_was_typed(world, posted):
    db = world.db
    other = codes_for(db, world.compounds["B"], 1)[0]
    for typed in (other, "ABCD-EFGH", "<b>x</b>", "²²²²-²²²²"):
        with pytest.raises(DomainError, match="不正确") as refused:
            give_feedback(db, posted, "unsatisfied", session_key="s", household_code=typed)
        assert typed[:20] in refused.value.message
    assert rows(db, "SELECT * FROM feedback") == []


def test_a_code_is_forgiving_about_case_spaces_and_dashes_and_shown_masked(world):
    code = codes_for(world.db, world.a, 1)[0]
    sloppy = " " + code.lower().replace("-", " ") + " "
    assert check_household_code(world.db, world.a, sloppy) == code
    assert masked(code) == "****-" + code[-4:]


# --- one household, one voice ----------------------------------------------------------------

def test_one_code_objecting_three_times_from_three_browsers_counts_one_household(world, posted):
    db = world.db
    code = codes_for(db, world.a, 1)[0]
    stages = [give_feedback(db, posted, "unsatisfied", session_key=f"fresh-browser-{n}", household_code=code,
                            client_address=f"10.0.0.{n}") for n in range(3)]
    assert stages == ["publicizing"] * 3
    assert stage_of(db, posted) == "publicizing"
    assert unsatisfied_households(db, posted) == 1
    assert public_feedback_counts(db, posted) == {"unsatisfied": 1}


def test_three_codes_reopen_the_result(world, posted):
    db = world.db
    stages = [give_feedback(db, posted, "unsatisfied", session_key="one-phone", household_code=code)
              for code in codes_for(db, world.a, 3)]
    assert stages == ["publicizing", "publicizing", "deliberating"]
    assert stage_of(db, posted) == "deliberating"


def test_a_household_that_changes_its_rating_replaces_it(world, posted):
    db = world.db
    code, other = codes_for(db, world.a, 2)
    give_feedback(db, posted, "unsatisfied", "仍有车辆占道", session_key="s1", household_code=code)
    give_feedback(db, posted, "unsatisfied", session_key="s2", household_code=other)
    give_feedback(db, posted, "satisfied", "已经好了", session_key="s3", household_code=code)
    assert rows(db, "SELECT rating, comment FROM feedback WHERE issue_id = ? ORDER BY id", [posted]) == [
        {"rating": "satisfied", "comment": "已经好了"}, {"rating": "unsatisfied", "comment": ""}]
    assert public_feedback_counts(db, posted) == {"satisfied": 1, "unsatisfied": 1}
    # Changing back and forth never adds: two households, one still unsatisfied.
    give_feedback(db, posted, "unsatisfied", session_key="s4", household_code=code)
    give_feedback(db, posted, "satisfied", session_key="s5", household_code=code)
    assert unsatisfied_households(db, posted) == 1 and stage_of(db, posted) == "publicizing"


def test_voices_without_a_code_are_kept_apart_and_never_reopen(world, posted):
    db, secretary = world.db, world.actors["secretary_a"]
    stages = [give_feedback(db, posted, "unsatisfied", "不满意", session_key=f"anon-{n}", client_address=f"10.1.0.{n}")
              for n in range(10)]
    assert set(stages) == {"publicizing"} and stage_of(db, posted) == "publicizing"
    assert public_feedback_counts(db, posted) == {}                    # the board counts households only
    assert unverified_voices(db, secretary, posted) == {"reports": 0, "ratings": 10}
    with pytest.raises(PermissionDenied):
        unverified_voices(db, world.actors["secretary_b"], posted)


def test_me_too_counts_a_household_once_per_issue_whatever_the_browser(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    code = codes_for(db, world.a, 1)[0]
    join_concern(db, issue_id, session_key="b1", household_code=code, client_address="10.0.0.1")
    with pytest.raises(DomainError, match="您家已反映过这个问题"):
        join_concern(db, issue_id, session_key="b2-after-reload", household_code=code, client_address="10.0.0.2")
    assert public_issue(db, issue_id).households == 2                 # the staff report and one household
    assert unverified_voices(db, secretary, issue_id) == {"reports": 0, "ratings": 0}
    join_concern(db, issue_id, session_key="b3", client_address="10.0.0.3")    # without a code: kept apart
    assert unverified_voices(db, secretary, issue_id) == {"reports": 1, "ratings": 0}


def test_the_threshold_is_the_compounds_in_households(world, posted):
    from deliberation.services.compounds import get_compound, update_compound_rules
    db, secretary = world.db, world.actors["secretary_a"]
    update_compound_rules(db, secretary, world.a, get_compound(db, world.a).version, objection_threshold=2)
    code = codes_for(db, world.a, 2)
    assert give_feedback(db, posted, "unsatisfied", session_key="s", household_code=code[0]) == "publicizing"
    assert give_feedback(db, posted, "unsatisfied", session_key="s", household_code=code[0]) == "publicizing"
    assert give_feedback(db, posted, "unsatisfied", session_key="s", household_code=code[1]) == "deliberating"


# --- limits that survive a reload --------------------------------------------------------------

def _concern(world, **kw) -> int:
    values = {"category_id": category_id(world.db, world.a), "description": "地库晚上车位不够停,车停到消防通道",
              "session_key": "k"}
    return raise_concern(world.db, world.a, **{**values, **kw})


def test_the_address_limit_holds_across_reloads_and_says_when_to_try_again(world):
    start = datetime.combine(date.today(), time(9, 30))
    with clock_at(start):
        for n in range(CLIENT_LIMIT_PER_HOUR):
            _concern(world, session_key=f"reload-{n}", client_address="203.0.113.7")   # a new session each time
        with pytest.raises(DomainError, match="这台设备一小时内已提交 5 次,请在 10:31 以后再试") as refused:
            _concern(world, session_key="reload-again", client_address="203.0.113.7")
        assert is_chinese(refused.value.message)
        # The compound's form stays open for everyone else.
        _concern(world, session_key="neighbour", client_address="203.0.113.8")
    with clock_at(start + timedelta(hours=1, minutes=1)):
        _concern(world, session_key="later", client_address="203.0.113.7")


def test_the_household_limit_holds_whatever_the_address(world):
    db, secretary = world.db, world.actors["secretary_a"]
    code = codes_for(db, world.a, 1)[0]
    with clock_at(datetime.combine(date.today(), time(9))):
        for n in range(HOUSEHOLD_LIMIT_PER_HOUR):
            _concern(world, session_key=f"s{n}", client_address=f"198.51.100.{n}", household_code=code)
        with pytest.raises(DomainError, match=r"您家\(此议事码\)一小时内已提交 5 次"):
            join_concern(db, make_issue(db, secretary, world.a), session_key="s9", household_code=code,
                         client_address="198.51.100.99")


def test_addresses_are_kept_only_as_hashes(world):
    _concern(world, client_address="203.0.113.77")
    assert "203.0.113.77" not in repr(dump(world.db))


def test_two_sends_at_once_from_one_address_cannot_pass_the_limit_together(world):
    for n in range(CLIENT_LIMIT_PER_HOUR - 1):
        _concern(world, session_key=f"r{n}", client_address="192.0.2.1")
    path, start, outcomes, n = db_path(world.db), threading.Barrier(2), [], iter(range(2))

    def send() -> None:
        db = open_db(path, migrate=False)
        start.wait()
        try:
            raise_concern(db, world.a, category_id=category_id(db, world.a), session_key=f"race-{next(n)}",
                          description="地库晚上车位不够停,车停到消防通道", client_address="192.0.2.1")
            outcomes.append("sent")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            db.close()

    run_together(send, 2)
    assert outcomes.count("sent") == 1 and "一小时内已提交 5 次" in "".join(outcomes)


def test_two_objections_at_once_from_one_household_count_once(world, posted):
    db = world.db
    code = codes_for(db, world.a, 1)[0]
    path, start, outcomes, n = db_path(db), threading.Barrier(2), [], iter(range(2))

    def send() -> None:
        other = open_db(path, migrate=False)
        start.wait()
        try:
            outcomes.append(give_feedback(other, posted, "unsatisfied", session_key=f"tab-{next(n)}",
                                          household_code=code))
        finally:
            other.close()

    run_together(send, 2)
    assert outcomes == ["publicizing", "publicizing"]
    assert one(db, "SELECT count(*) AS n FROM feedback WHERE issue_id = ?", [posted])["n"] == 1


def test_ratings_are_limited_per_address_too(world, posted):
    db = world.db
    with clock_at(datetime.combine(date.today(), time(9))):
        issues = [posted] + [issue_in_stage(db, world.actors["secretary_a"], world.a, "publicizing")
                             for _ in range(CLIENT_LIMIT_PER_HOUR)]
        for issue_id in issues[:CLIENT_LIMIT_PER_HOUR]:
            give_feedback(db, issue_id, "satisfied", session_key="tab", client_address="192.0.2.50")
        with pytest.raises(DomainError, match="这台设备一小时内已提交 5 次"):
            give_feedback(db, issues[-1], "satisfied", session_key="new-tab", client_address="192.0.2.50")


def test_a_published_resident_concern_reopens_only_with_codes(world):
    """End to end: a resident's own concern, published, then objected to by codes."""
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = _concern(world, household_code=codes_for(db, world.a, 1, prefix="8栋")[0])
    accept_concern(db, secretary, issue_id, version_of(db, issue_id))
    held_meeting_with_quorum(db, secretary, world.a, {issue_id: {"outcome": "actions", "decision": "物业清理通道"}})
    publish_result(db, secretary, issue_id, summary="消防通道已清理")
    for n in range(5):
        give_feedback(db, issue_id, "unsatisfied", session_key=f"anon{n}", client_address=f"10.9.0.{n}")
    assert stage_of(db, issue_id) == "publicizing"
    for code in codes_for(db, world.a, 3):
        give_feedback(db, issue_id, "unsatisfied", session_key="x", household_code=code)
    assert stage_of(db, issue_id) == "deliberating"


# --- the secretary's slips: page, PDF, CLI -------------------------------------------------------

def _slip_text(pdf: bytes) -> str:
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-raw", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout


def test_the_slips_pdf_holds_compound_code_instructions_and_address_and_no_name(world):
    from deliberation.services.actors import SYSTEM
    from deliberation.services.deployment import set_public_url
    from deliberation.services.households import code_slips
    set_public_url(world.db, SYSTEM, "https://yi.example.cn")
    count, pdf = code_slips(world.db, world.actors["secretary_a"], world.a, "3栋501-512")
    assert count == 12 and pdf.startswith(b"%PDF")
    text = _slip_text(pdf)
    assert text.count("甲花园 议事码") == 12 and "\f" in text.strip()       # two A4 pages
    compact = "".join(text.split())                # the address and instructions wrap inside a slip
    assert "https://yi.example.cn/board/" in compact and "输入议事码" in compact
    assert "测试" not in text and "成员" not in text                          # no person's name
    assert "公开访问地址" not in text and "扫码打不开" not in text               # the address is set: no warning


def test_the_secretary_prints_slips_from_the_roster_page_and_a_recorder_sees_no_such_tab(demo_env):
    from tests.page_output import open_page
    from tests.page_session import user_id
    at = open_page("roster", user=user_id(demo_env, "hx_secretary"))
    assert "议事码" in [t.label for t in at.tabs]
    at.text_area(key="roster_codes_units").input("9栋101-103")
    next(b for b in at.button if b.label == "生成议事码纸条(PDF)").click().run()
    assert not at.exception
    assert any("已生成 3 户的议事码" in w.value for w in at.warning)
    assert rows(demo_env, "SELECT unit FROM household_codes WHERE compound_id = 1 ORDER BY unit") == [
        {"unit": "9栋101"}, {"unit": "9栋102"}, {"unit": "9栋103"}]
    recorder = open_page("roster", user=user_id(demo_env, "hx_recorder"))
    assert "议事码" not in [t.label for t in recorder.tabs]


def test_the_cli_prints_slips_and_refuses_a_second_code_for_a_unit(world, tmp_path, capsys):
    from deliberation.cli import main
    path = db_path(world.db)
    out = tmp_path / "slips.pdf"
    assert main(["household-codes", "--db", path, "--compound", "甲花园", "--units", "1栋101,1栋102",
                 "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and "议事码 2 户" in capsys.readouterr().out
    assert main(["household-codes", "--db", path, "--compound", "甲花园", "--units", "1栋101", "-o", str(out)]) != 0
    assert "1栋101 已有议事码" in capsys.readouterr().err


def test_the_secretary_sees_voices_without_a_code_apart_on_the_issue_page(demo_env):
    from tests.page_session import open_page, user_id
    give_feedback(demo_env, 58, "unsatisfied", "减速带太高", session_key="anon-1", client_address="10.2.0.1")
    give_feedback(demo_env, 58, "unsatisfied", session_key="anon-2", client_address="10.2.0.2")
    give_feedback(demo_env, 58, "satisfied", session_key="x", household_code=codes_for(demo_env, 2, 1)[0])
    at = open_page("issue", user_id(demo_env, "yl_secretary"), issue=58)
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "未验证议事码的意见 2 条(本轮评价 2 · 反映/我也遇到 0):仅供参考,不计入户数和异议阈值。" in captions
    assert any("已有 0 户不满意" in i.value for i in at.info)
