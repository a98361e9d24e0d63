"""Issue 13, item 10: each defect the issue lists, reproduced (these tests failed before the fix)."""
from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from deliberation.exports.calendar import schedule_ics
from deliberation.exports.register import register_csv, register_xlsx
from deliberation.exports.views import ScheduleView
from deliberation.imports.register_file import MAX_ROWS
from deliberation.model.errors import DomainError
from deliberation.model.schedule import ScheduleRule
from deliberation.services import agenda as agenda_svc
from deliberation.services import meetings as meeting_svc
from deliberation.services.actors import load_actor
from deliberation.services.attendance import record_attendance
from deliberation.services.compounds import get_compound, update_compound_rules
from deliberation.services.concerns import raise_concern
from deliberation.services.issues import transition_issue
from deliberation.services.register_import import (
    MAX_IMPORT_HOUSEHOLDS,
    MAX_IMPORT_TEXT,
    import_register,
)
from deliberation.services.roster import add_seat
from deliberation.store import open_db, scalar
from deliberation.web.common.error_messages import message_in, report_in
from tests.factories import category_id, copy_db, db_path, item_of, make_issue
from tests.page_output import open_page as run_page
from tests.page_session import open_page_on, user_id
from tests.register_files import largest_allowed_file, shared_strings_xlsx

SHANGHAI = ZoneInfo("Asia/Shanghai")
BOARD = "https://yishi.example.cn/board/1"
HONGXIANG = 1


# ------------------------------------------------------------------ the .ics: one recurring rule

def _schedule(rule: ScheduleRule, start: date, months: int = 12) -> ScheduleView:
    end = date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
    return ScheduleView("鸿翔花园", "小区党群服务站", rule.label,
                        tuple(rule.occurrences(start, end - timedelta(days=1))), BOARD)


@pytest.mark.parametrize("rule", [ScheduleRule(2, 1, time(19)), ScheduleRule(1, 3, time(9, 30)),
                                  ScheduleRule(-1, 5, time(14)), ScheduleRule(4, 6, time(20, 15))],
                         ids=lambda r: r.to_text())
def test_the_ics_holds_one_event_repeating_by_the_compounds_rule(rule):
    view = _schedule(rule, date(2026, 12, 2))
    calendar = Calendar.from_ical(schedule_ics(view))
    events = calendar.walk("VEVENT")
    assert len(events) == 1                                  # not 12 fixed events
    event = events[0]
    recur = event["rrule"]
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[rule.weekday]
    assert recur["FREQ"] == ["MONTHLY"] and recur["BYDAY"] == [f"{rule.nth}{weekday}"]
    start = event.decoded("dtstart")
    assert str(event["dtstart"].params["TZID"]) == "Asia/Shanghai" and start.utcoffset() == timedelta(hours=8)
    assert event.decoded("dtend") - start == timedelta(hours=2)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    # What a phone's calendar expands the rule to is exactly the compound's next twelve meetings.
    expanded = list(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
    assert [m.astimezone(SHANGHAI).replace(tzinfo=None) for m in expanded] == list(view.occurrences)
    assert len(expanded) == 12


def test_the_standing_event_keeps_its_uid_across_exports_and_months():
    rule = ScheduleRule(2, 1, time(19))
    uid = lambda view: str(Calendar.from_ical(schedule_ics(view)).walk("VEVENT")[0]["uid"])
    assert uid(_schedule(rule, date(2026, 12, 2))) == uid(_schedule(rule, date(2027, 1, 20)))


# ------------------------------------------------------------------ importing a 台账

ROW = {"title": "5栋门禁失灵", "category": "治安", "stage": "巡访问事", "raised_by": "居民", "channel": "",
       "raised_on": "2025-10-02", "building": "5栋", "priority": "高", "description": "门禁刷卡无反应",
       "public_summary": "", "resolved_level": "", "resolved_on": "", "closed_reason": "", "households": 3}


def _count(db, table: str, compound_id: int) -> int:
    if table == "reports":
        return scalar(db, "SELECT count(*) FROM reports r JOIN issues i ON i.id = r.issue_id WHERE i.compound_id = ?",
                      [compound_id])
    return scalar(db, f"SELECT count(*) FROM {table} WHERE compound_id = ?", [compound_id])


def _snapshot(db, compound_id: int) -> dict:
    return {t: _count(db, t, compound_id) for t in ("issues", "events", "reports")}


def test_reimporting_the_same_register_adds_nothing_and_names_each_row_it_skipped(world):
    db, secretary = world.db, world.actors["secretary_a"]
    rows_ = [ROW, {**ROW, "title": "北门路灯不亮", "category": "环境绿化", "raised_by": "物业服务企业"},
             {**ROW, "title": "北门路灯不亮", "category": "环境绿化", "raised_by": "物业服务企业"}]
    data = register_xlsx(rows_)
    first = import_register(db, secretary, world.a, "十月台账.xlsx", data)
    assert first.ok and first.written == 3          # listed twice in the file: the file says there were two
    after_first = _snapshot(db, world.a)
    numbers = [n for (n,) in db.conn.execute("SELECT number FROM issues WHERE compound_id = ? ORDER BY id",
                                             [world.a])][-3:]

    again = import_register(db, secretary, world.a, "十月台账(再次).xlsx", data)
    assert again.ok and again.written == 0 and again.check.present == ((2, numbers[0]), (3, numbers[1]),
                                                                       (4, numbers[2]))
    assert _snapshot(db, world.a) == after_first
    assert "已跳过 3 行:本小区已有相同议题" in again.report
    assert f"第 2 行:已有 #{numbers[0]},跳过" in again.report and "没有需要导入的新议题" in again.report

    # One new row beside the old ones: only it is written, and the report says which were skipped.
    grown = import_register(db, secretary, world.a, "十一月台账.xlsx",
                            register_xlsx([*rows_, {**ROW, "title": "地库积水", "households": 7}]))
    assert grown.written == 1 and [row for row, _ in grown.check.present] == [2, 3, 4]
    assert _count(db, "issues", world.a) == after_first["issues"] + 1


def test_a_row_claiming_more_households_than_a_compound_of_unknown_size_allows_is_refused_in_chinese(world):
    db, b = world.db, world.compounds["B"]                 # created without a household count
    before = _snapshot(db, b)
    result = import_register(db, world.actors["secretary_b"], b, "台账.csv",
                             register_csv([ROW, {**ROW, "title": "全小区停水", "households": 5001}]))
    assert not result.ok and result.written == 0
    assert "第 3 行「反映户数」:5001 户超过单条上限 5000 户(本小区未登记总户数" in result.report
    assert _snapshot(db, b) == before


def test_a_file_whose_households_together_pass_the_import_limit_is_refused_and_nothing_written(world):
    db = world.db                                   # compound A has 600 households: each row is within it
    per_row = 600
    rows_ = [{**ROW, "title": f"议题{n}", "households": per_row}
             for n in range(MAX_IMPORT_HOUSEHOLDS // per_row + 1)]
    before = _snapshot(db, world.a)
    result = import_register(db, world.actors["secretary_a"], world.a, "台账.csv", register_csv(rows_))
    assert not result.ok and result.written == 0
    assert f"超过一次导入的上限 {MAX_IMPORT_HOUSEHOLDS} 户,请把文件分成几份分别导入" in result.report
    assert _snapshot(db, world.a) == before


def test_a_small_xlsx_whose_shared_text_passes_the_import_limit_is_refused_and_nothing_written(world):
    db = world.db                                   # one 4,000-character text, shared by every row
    count = MAX_IMPORT_TEXT // 4000 + 1
    data = shared_strings_xlsx([["标题", "类别", "阶段", "提出日期", "问题描述"]]
                               + [[f"议题{n}", "治安", "巡访问事", "2025-10-02", "说" * 4000] for n in range(count)])
    assert len(data) < 100_000                      # a file of 100 KB at most, carrying 2 million characters
    before = _snapshot(db, world.a)
    result = import_register(db, world.actors["secretary_a"], world.a, "台账.xlsx", data)
    assert not result.ok and f"超过一次导入的上限 {MAX_IMPORT_TEXT} 字,请把文件分成几份分别导入" in result.report
    assert _snapshot(db, world.a) == before


def test_rows_are_prepared_outside_the_write_lock(world):
    """While the rows are being prepared (the progress callback), another connection can write."""
    db = world.db
    refused = []

    def another_writer(done: int, total: int) -> None:
        other = sqlite3.connect(db_path(db), timeout=0.2, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            refused.append(str(exc))
        finally:
            other.close()

    rows_ = [{**ROW, "title": f"议题{n}"} for n in range(5)]
    result = import_register(db, world.actors["secretary_a"], world.a, "台账.csv", register_csv(rows_),
                             progress=another_writer)
    assert result.written == 5 and refused == []


def test_the_largest_allowed_file_imports_while_20_residents_write_and_no_write_fails(world):
    db = world.db
    data = largest_allowed_file(600)
    category = category_id(db, world.a)
    failures, written, importing = [], [], threading.Event()

    def resident(n: int) -> None:
        own = open_db(db_path(db))
        try:
            for k in range(12):
                try:
                    written.append(raise_concern(own, world.a, category_id=category, session_key=f"r{n:02d}k{k:02d}" * 4,
                                                 description=f"{n}号楼道的灯坏了,第{k}次反映"))
                except Exception as exc:       # noqa: BLE001 - a failed write, whatever its kind
                    failures.append(repr(exc))
                if not importing.is_set() and k >= 2:
                    break
        finally:
            own.close()

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(20)]
    importing.set()
    for t in threads:
        t.start()
    result = import_register(db, world.actors["secretary_a"], world.a, "全年台账.xlsx", data)
    importing.clear()
    for t in threads:
        t.join()
    assert result.ok, result.report
    assert result.written == MAX_ROWS and failures == []
    assert _count(db, "reports", world.a) >= MAX_IMPORT_HOUSEHOLDS + len(written)
    assert scalar(db, "SELECT count(*) FROM issues WHERE id IN (SELECT value FROM json_each(?))",
                  [json.dumps(written)]) == len(written) >= 60


# ------------------------------------------------------------------ the roll-up: "—", never None

def shown_table(at) -> pd.DataFrame:
    """The compound table as the grid draws it: an empty cell reads None there, whatever the
    column's number format (so the page must never send one)."""
    table = at.dataframe[0].value
    return table.astype(object).where(table.notna(), None).map(str)


@pytest.mark.parametrize("username, lang", [("nanwan_officer", "zh"), ("luohu_officer", "en")])
def test_the_rollup_shows_a_dash_where_a_figure_has_no_value(demo_path, tmp_path, monkeypatch, username, lang):
    target = tmp_path / "app.db"
    copy_db(demo_path, target)
    at = open_page_on(target, monkeypatch, "rollup", username, state={"lang": lang})
    assert not at.exception
    shown = shown_table(at)
    median = {"zh": "办结用时中位数(天)", "en": "Median days to resolve"}[lang]
    cells = shown.to_numpy().ravel().tolist()
    assert not {"None", "nan", "NaN", "<NA>"} & set(cells)
    assert "—" in list(shown[median])                  # a compound with nothing resolved in the period
    assert len(set(shown.columns)) == len(shown.columns)      # English: 办结率 and 解决率 are two columns


def test_the_english_rollup_does_not_say_1_compounds(demo_path, tmp_path, monkeypatch):
    target = tmp_path / "app.db"
    copy_db(demo_path, target)
    at = open_page_on(target, monkeypatch, "rollup", "luohu_officer", state={"lang": "en"})
    captions = [c.value for c in at.caption]
    assert "Compounds under 罗湖区: 1; period: Last 12 months." in captions
    assert not any("1 compounds" in c for c in captions)


# ------------------------------------------------------------------ the sidebar: who is signed in

@pytest.mark.parametrize("username, lang, caption", [
    ("hx_secretary", "zh", "当前用户:李明华 · 支部书记 · 鸿翔花园"),
    ("hx_secretary", "en", "Signed in: 李明华 · Branch secretary · 鸿翔花园"),
    ("hx_property", "zh", "当前用户:刘海涛 · 物业服务企业代表 · 鸿翔花园"),
    ("nanwan_officer", "zh", "当前用户:南湾街道办 · 社区/街道干部"),
])
def test_the_sidebar_names_the_user_once_with_role_and_place(demo_path, tmp_path, monkeypatch, username, lang,
                                                             caption):
    target = tmp_path / "app.db"
    copy_db(demo_path, target)
    at = open_page_on(target, monkeypatch, "home", username, state={"lang": lang})
    assert [c.value for c in at.sidebar.caption if c.value.startswith(("当前用户", "Signed in"))] == [caption]


# ------------------------------------------------------------------ the meeting console: the roll and the quorum

def _started_meeting(db) -> tuple[int, dict[str, int]]:
    """鸿翔花园's 14th meeting, opened as the secretary opens it; member ids by seat code."""
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    meeting_id = meeting_svc.schedule_meeting(db, secretary, HONGXIANG)
    meeting_svc.start_meeting(db, secretary, meeting_id)
    members = {line["seat_code"]: line["member_id"] for line in meeting_svc.attendance(db, secretary, meeting_id)}
    return meeting_id, members


def _console(db, username: str, meeting_id: int):
    return run_page("meetings", user=user_id(db, username), query={"meeting": meeting_id})


def _banner(at) -> str:
    found = [w.value for w in at.warning if "法定人数" in w.value] + [s.value for s in at.success
                                                                       if "法定人数" in s.value]
    assert len(found) == 1, found
    return found[0]


def _saved_status(db, meeting_id: int, member_id: int) -> str:
    return scalar(db, "SELECT status FROM attendance WHERE meeting_id = ? AND member_id = ?", [meeting_id, member_id])


def test_the_quorum_banner_follows_each_tick_of_the_roll_at_once(demo_env):
    db = demo_env
    meeting_id, members = _started_meeting(db)
    at = _console(db, "hx_secretary", meeting_id)
    assert _banner(at).startswith("未达法定人数")
    for code in ("party", "owners", "property", "residents_committee"):
        at.radio(key=f"meetings_att_{meeting_id}_{members[code]}").set_value("present").run()
        assert not at.exception and _banner(at).startswith("未达法定人数")     # four seats of five
    at.radio(key=f"meetings_att_{meeting_id}_{members['police']}").set_value("present").run()
    assert _banner(at).startswith("已达法定人数:5 个协商主体出席")               # no save button pressed
    assert _saved_status(db, meeting_id, members["police"]) == "present"     # it is on record


def test_a_proxy_is_saved_once_named_and_a_tick_elsewhere_is_not_overwritten(demo_env):
    db = demo_env
    meeting_id, members = _started_meeting(db)
    mine, other = _console(db, "hx_secretary", meeting_id), _console(db, "hx_recorder", meeting_id)
    # The recorder, on another device, marks 物业 present; the secretary's page still shows it absent.
    other.radio(key=f"meetings_att_{meeting_id}_{members['property']}").set_value("present").run()
    deputies = members["deputies"]
    mine.radio(key=f"meetings_att_{meeting_id}_{deputies}").set_value("proxy").run()
    assert _saved_status(db, meeting_id, deputies) == "absent"             # not yet: who holds the proxy?
    assert "填写受托人后保存" in [c.value for c in mine.caption]
    mine.text_input(key=f"meetings_att_proxy_{meeting_id}_{deputies}").input("联络站工作人员").run()
    assert _saved_status(db, meeting_id, deputies) == "proxy"
    assert _saved_status(db, meeting_id, members["property"]) == "present"     # the recorder's mark stands
    assert mine.radio(key=f"meetings_att_{meeting_id}_{members['property']}").value == "present"


# ------------------------------------------------------------------ English mode: the services' messages

CJK = re.compile(r"[\u3400-\u9fff]")


def _refusal(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.message


def _common_refusals(world) -> dict[str, str]:
    """What a secretary, recorder or officer commonly meets, each produced by the real service."""
    db, a = world.db, world.a
    secretary, recorder = world.actors["secretary_a"], world.actors["recorder_a"]
    issue = make_issue(db, secretary, a)
    planned = meeting_svc.schedule_meeting(db, secretary, a)
    agenda_svc.add_to_agenda(db, secretary, planned, issue)
    meeting_svc.start_meeting(db, secretary, planned)
    item = item_of(db, planned, issue)
    lines = meeting_svc.attendance(db, secretary, planned)
    version = get_compound(db, a).version
    return {
        "permission": _refusal(lambda: add_seat(db, recorder, a, "新主体")),
        "duplicate seat": _refusal(lambda: add_seat(db, secretary, a, "物业服务企业")),
        "empty seat": _refusal(lambda: add_seat(db, secretary, a, "  ")),
        "title": _refusal(lambda: make_issue(db, secretary, a, title=" ")),
        "quorum": _refusal(lambda: agenda_svc.record_decision(db, secretary, item, outcome="settled",
                                                              decision="同意")),
        "proxy": _refusal(lambda: record_attendance(db, secretary, planned,
                                                    {lines[0]["member_id"]: ("proxy", "")})),
        "on the agenda": _refusal(lambda: agenda_svc.add_to_agenda(db, secretary, planned, issue)),
        "response limit": _refusal(lambda: update_compound_rules(db, secretary, a, version,
                                                                 response_limit_hours=0)),
        "stale rules": _refusal(lambda: update_compound_rules(db, secretary, a, version - 1, quorum_min_seats=5)),
        "stage": _refusal(lambda: transition_issue(db, secretary, issue, "publicizing", expected_version=scalar(
            db, "SELECT version FROM issues WHERE id = ?", [issue]))),
        "stale": _refusal(lambda: transition_issue(db, secretary, issue, "resolved", expected_version=99)),
        "not found": _refusal(lambda: get_compound(db, 9999)),
        "big file": _refusal(lambda: import_register(db, secretary, a, "台账.csv", b"x" * (6 * 1024 * 1024))),
        "columns": _refusal(lambda: import_register(db, secretary, a, "台账.csv", "标题,类别\n门禁,治安\n".encode())),
    }


def test_the_refusals_a_user_commonly_meets_read_in_english_in_the_english_ui(world):
    refusals = _common_refusals(world)
    english = {case: message_in(message, "en") for case, message in refusals.items()}
    quoted = ("物业服务企业", "党支部", "阶段", "提出日期", "、")      # names and headers: data, kept as they are
    untranslated = {case: text for case, text in english.items()
                    if CJK.search(functools.reduce(lambda rest, word: rest.replace(word, ""), quoted, text))}
    assert untranslated == {}
    assert english["duplicate seat"] == "A seat named “物业服务企业” already exists."    # the name stays as typed
    assert english["stage"] == "The issue is at “Deliberating”; it cannot move straight to “Publicizing”."
    assert english["permission"] == "You may not manage the roster and rules (this attempt has been logged)."
    assert english["columns"].startswith("Required columns are missing: 阶段、提出日期")   # the file's own headers
    assert {case: message_in(message, "zh") for case, message in refusals.items()} == refusals


def test_a_refusal_on_an_english_page_is_shown_in_english(demo_env):
    at = run_page("roster", user=user_id(demo_env, "hx_secretary"), state={"lang": "en"})
    at.text_input(key="roster_new_seat_name").input("物业服务企业")
    next(b for b in at.button if b.label == "Add seat").click().run()
    assert [e.value for e in at.error] == ["A seat named “物业服务企业” already exists."]


def test_the_import_report_reads_in_english(world):
    db, secretary = world.db, world.actors["secretary_a"]
    bad = register_csv([ROW, {**ROW, "category": "火星", "raised_on": "2025-13-02"},
                        {**ROW, "title": "全小区停水", "households": 601}])
    refused = import_register(db, secretary, world.a, "台账.csv", bad)
    english = report_in(refused.report, "en").splitlines()
    assert english[0] == "Problems found: 3 (rows: 2). Correct them and import again; nothing was written."
    assert "Row 3, “类别”: unknown category “火星”; choose from: " in english[1]
    assert english[2] == "Row 3, “提出日期”: the date “2025-13-02” is not valid; write YYYY-MM-DD, e.g. 2024-03-12"
    assert english[3] == "Row 4, “反映户数”: 601 households is more than the compound's 600"
    import_register(db, secretary, world.a, "台账.csv", register_csv([ROW]))
    again = report_in(import_register(db, secretary, world.a, "台账.csv", register_csv([ROW])).report, "en")
    assert again.splitlines()[0] == ("Checked: the compound already has every issue in the file; there is nothing "
                                     "new to import.")
    assert not CJK.search(again)


def test_the_same_file_imported_twice_at_once_is_written_once(world):
    """A second tab imports the same file while the first is still preparing its rows: the first
    finds them present when it takes the lock, and writes none of them again."""
    db, secretary = world.db, world.actors["secretary_a"]
    data = register_csv([{**ROW, "title": f"议题{n}"} for n in range(3)])
    other_tab = []

    def meanwhile(done: int, total: int) -> None:
        if not other_tab:
            own = open_db(db_path(db))
            try:
                other_tab.append(import_register(own, secretary, world.a, "台账.csv", data))
            finally:
                own.close()

    first = import_register(db, secretary, world.a, "台账.csv", data, progress=meanwhile)
    assert other_tab[0].written == 3
    assert first.ok and first.written == 0 and [row for row, _ in first.check.present] == [2, 3, 4]
    assert _count(db, "issues", world.a) == 3


def test_the_chair_who_opens_the_meeting_starts_present(demo_env):
    """Append to tests/test_defects_13.py with /tmp/hd/chair_present.patch (services/meetings.py)."""
    db = demo_env
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    meeting_id = meeting_svc.schedule_meeting(db, secretary, HONGXIANG)
    chair = scalar(db, "SELECT m.id FROM members m JOIN seats s ON s.id = m.seat_id WHERE m.compound_id = ? "
                       "AND s.code = 'party' AND m.active_to IS NULL ORDER BY m.id LIMIT 1", [HONGXIANG])
    meeting_svc.start_meeting(db, secretary, meeting_id, chair_member_id=chair)
    assert _saved_status(db, meeting_id, chair) == "present"
    assert {line["status"] for line in meeting_svc.attendance(db, secretary, meeting_id)
            if line["member_id"] != chair} == {"absent"}
    at = _console(db, "hx_secretary", meeting_id)
    assert at.radio(key=f"meetings_att_{meeting_id}_{chair}").value == "present"
    assert _banner(at).startswith("未达法定人数:出席主体 1/5")
