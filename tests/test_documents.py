"""Documents assembled from the demo database and opened again by a reader library: minutes,
the 公示 notice, the register export, the monthly report, the meeting calendar; and the download
panels on the pages that carry them."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pytest
from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from deliberation.exports import (
    minutes_docx,
    minutes_markdown,
    minutes_pdf,
    notice_docx,
    notice_pdf,
    report_docx,
    report_xlsx,
    schedule_ics,
)
from deliberation.exports.agenda import agenda_docx, agenda_pdf
from deliberation.exports.register import REGISTER_COLUMNS, register_csv, register_xlsx
from deliberation.exports.sign_in_sheet import sign_in_pdf
from deliberation.exports.views import SignInRow
from deliberation.model.defaults import ATTENDANCE
from deliberation.model.errors import DomainError, NotFound, PermissionDenied
from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.agenda import add_to_agenda
from deliberation.services.compounds import find_area, find_compound
from deliberation.services.deployment import set_public_url
from deliberation.services.documents import (
    minutes_view,
    notice_view,
    register_rows,
    register_vocabulary,
    schedule_view,
)
from deliberation.services.meeting_papers import agenda_view, sign_in_view
from deliberation.services.meetings import approve_minutes, schedule_meeting
from deliberation.services.register import IssueFilter, list_issues
from deliberation.services.reports import report_view
from deliberation.services.roster import add_seat
from deliberation.store import one, open_db, rows, scalar
from tests.document_pages import pdf_fonts, save_pages
from tests.document_text import docx_text, pdf_text
from tests.factories import copy_db
from tests.page_session import expand, open_page_on
from tests.paper_meeting import (
    CALLER,
    CALLER_PHONE,
    MARKUP_TITLE,
    OWNER_DUE,
    PROXY,
    held_meeting,
    planned_meeting,
)

TITLE_13 = "鸿翔花园第13次“1+8”协商议事会议纪要"


def actor(db, username: str):
    return load_actor(db, one(db, "SELECT id FROM users WHERE username = ?", [username])["id"])


def meeting_id(db, compound: str, number: int) -> int:
    return one(db, """SELECT m.id FROM meetings m JOIN compounds c ON c.id = m.compound_id
                      WHERE c.name = ? AND m.number = ?""", [compound, number])["id"]


def personal_values(db) -> set[str]:
    """Every name, phone, unit and contact the demo data holds about a person."""
    values = set()
    for sql in ("SELECT name AS v FROM members", "SELECT phone AS v FROM members",
                "SELECT proxy_name AS v FROM attendance", "SELECT unit AS v FROM reports",
                "SELECT contact AS v FROM reports", "SELECT reporter_name AS v FROM reports"):
        values |= {r["v"] for r in rows(db, sql) if r["v"] and r["v"].strip()}
    return values


# ------------------------------------------------------------------ minutes

def test_the_13th_minutes_of_hongxiang_as_docx_list_attendance_by_seat_with_status_and_every_agenda_item(demo_db):
    meeting = meeting_id(demo_db, "鸿翔花园", 13)
    view = minutes_view(demo_db, actor(demo_db, "hx_secretary"), meeting)
    document = docx.Document(io.BytesIO(minutes_docx(view)))
    table = document.tables[0]
    expected = [(r["seat_name"], ATTENDANCE[r["status"]]) for r in rows(demo_db, """
        SELECT a.seat_name, a.status FROM attendance a JOIN seats s ON s.id = a.seat_id
        WHERE a.meeting_id = ? ORDER BY s.position, a.member_id""", [meeting])]
    assert [c.text for c in table.rows[0].cells] == ["协商主体", "参会人员", "出席情况"]
    assert [(row.cells[0].text, row.cells[2].text) for row in table.rows[1:]] == expected
    text = docx_text(minutes_docx(view))
    assert TITLE_13 in text
    titles = [r["title"] for r in rows(demo_db, """SELECT i.title FROM agenda_items a JOIN issues i
        ON i.id = a.issue_id WHERE a.meeting_id = ? ORDER BY a.position""", [meeting])]
    assert titles and all(title in text for title in titles)


def test_the_13th_minutes_of_hongxiang_as_pdf_carry_the_chinese_title_and_embed_the_serif_face(demo_db):
    view = minutes_view(demo_db, actor(demo_db, "hx_recorder"), meeting_id(demo_db, "鸿翔花园", 13))
    data = minutes_pdf(view)
    text = pdf_text(data)
    assert TITLE_13 in text and "鸿翔花园联合党支部" in text and "鸿翔花园党支部" not in text
    fonts = pdf_fonts(data)
    assert {f["name"].split("+")[1] for f in fonts} == {"NotoSerifCJKSC", "NotoSerifCJKSCBold"}
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)


def test_public_minutes_of_every_published_meeting_hold_no_personal_value_from_the_demo_data(demo_db):
    private = personal_values(demo_db)
    assert len(private) > 50
    for m in rows(demo_db, """SELECT m.id FROM meetings m JOIN compounds c ON c.id = m.compound_id
                              WHERE m.status = 'published' AND c.name IN ('鸿翔花园', '怡乐花园')"""):
        view = minutes_view(demo_db, SYSTEM, m["id"], public=True)
        assert all(line.name is None for line in view.attendance) and view.chair is None and view.recorder is None
        for text in (minutes_markdown(view), docx_text(minutes_docx(view))):
            assert not [value for value in private if value in text], m


def test_public_minutes_as_pdf_hold_no_member_name(demo_db):
    view = minutes_view(demo_db, SYSTEM, meeting_id(demo_db, "鸿翔花园", 13), public=True)
    text = pdf_text(minutes_pdf(view))
    assert TITLE_13 in text
    assert not [value for value in personal_values(demo_db) if value in text]


def test_public_minutes_of_a_meeting_not_yet_published_are_refused(demo_copy):
    secretary = actor(demo_copy, "hx_secretary")
    planned = schedule_meeting(demo_copy, secretary, find_compound(demo_copy, "鸿翔花园").id)
    with pytest.raises(NotFound, match="尚未公开"):
        minutes_view(demo_copy, secretary, planned, public=True)


def test_a_meeting_not_yet_held_has_no_minutes_only_its_papers(demo_copy):
    """Not an empty "应到0人" record: a Chinese refusal that points to the 议程 and 签到表."""
    paper = planned_meeting(demo_copy)
    with pytest.raises(DomainError, match="第14次会议尚未召开，还没有会议纪要。会前请打印议程和签到表。"):
        minutes_view(demo_copy, paper.secretary, paper.meeting_id)
    with pytest.raises(PermissionDenied):        # who may not read it is told that first
        minutes_view(demo_copy, actor(demo_copy, "yl_secretary"), paper.meeting_id)


def test_the_minutes_of_a_held_meeting_carry_what_an_office_files(demo_copy):
    paper = held_meeting(demo_copy)
    view = minutes_view(demo_copy, paper.secretary, paper.meeting_id)
    owners_member = one(demo_copy, """SELECT m.name FROM members m JOIN seats s ON s.id = m.seat_id
                                      WHERE m.compound_id = ? AND s.code = 'owners'""", [paper.compound_id])["name"]
    for render, read in ((minutes_docx, docx_text), (minutes_pdf, pdf_text)):
        text = "".join(read(render(view)).split())
        for expected in ("时间：2026年12月8日19:00—20:45", "地点：小区党群服务站", "主持人：李明华", "记录人：支部委员",
                         "应到：10人", "实到：8人（含委托出席1人）", f"委托出席：物业服务企业刘海涛(委托{PROXY})",
                         "请假：人大代表/政协委员联络站郑淑芬", "缺席：社区警务室吴卫东", "列席：—",
                         "出席（含委托出席）的协商主体7个，共9个", "已达到法定人数。", "草稿（纪要尚未审定）",
                         "鸿翔花园联合党支部", "（盖章）"):
            assert expected in text, (render.__name__, expected)
        assert CALLER not in text and CALLER_PHONE not in text
    first = view.items[0]
    assert [(a.seat, a.owner, a.due_on) for a in first.actions] == [
        ("物业服务企业", None, OWNER_DUE.isoformat()), ("业主委员会", owners_member, OWNER_DUE.isoformat())]
    table = docx.Document(io.BytesIO(minutes_docx(view))).tables[1]
    assert [c.text for c in table.rows[2].cells] == ["业主委员会", owners_member, "监督施工并验收", "2026年12月31日", "待办"]
    assert [c.text for c in table.rows[1].cells][:2] == ["物业服务企业", "—"]


def test_approved_minutes_are_no_longer_a_draft_and_carry_the_approval_date_by_the_seal(demo_copy):
    paper = held_meeting(demo_copy)
    approve_minutes(demo_copy, paper.secretary, paper.meeting_id)
    view = minutes_view(demo_copy, paper.secretary, paper.meeting_id)
    approved = one(demo_copy, "SELECT minutes_approved_at FROM meetings WHERE id = ?", [paper.meeting_id])
    assert not view.draft and view.approved_on == approved["minutes_approved_at"][:10]
    text = docx_text(minutes_docx(view))
    assert "草稿" not in text
    year, month, day = (int(part) for part in view.approved_on.split("-"))
    assert f"{year}年{month}月{day}日" in text.split("鸿翔花园联合党支部")[-1]


def test_minutes_of_another_compound_are_refused_to_a_secretary(demo_db):
    with pytest.raises(PermissionDenied):
        minutes_view(demo_db, actor(demo_db, "yl_secretary"), meeting_id(demo_db, "鸿翔花园", 13))


# ------------------------------------------------------------------ the papers for the room

def test_the_agenda_of_the_14th_meeting_lists_each_item_with_its_background_and_who_raised_it(demo_copy):
    paper = planned_meeting(demo_copy)
    view = agenda_view(demo_copy, paper.secretary, paper.meeting_id)
    numbers = [r["number"] for r in rows(demo_copy, "SELECT number FROM issues WHERE id IN (?, ?, ?) ORDER BY id",
                                         paper.issue_ids)]
    assert [(i.position, i.number, i.title, i.raised_by) for i in view.items] == [
        (1, numbers[0], MARKUP_TITLE, "业主委员会"), (2, numbers[1], "夜间装修噪音", "热线"),
        (3, numbers[2], "快递柜占用消防通道", "巡访")]
    assert view.items[0].background == "雨后地库入口积水，车辆难以通行，业委会提出加装截水沟。"
    assert view.branch == "鸿翔花园联合党支部" and view.scheduled_at == "2026-12-08 19:00"
    assert view.seats[0] == "党支部" and len(view.seats) == 9
    for data, read in ((agenda_docx(view), docx_text), (agenda_pdf(view), pdf_text)):
        text = read(data)
        assert "".join(MARKUP_TITLE.split()) in "".join(text.split())          # markup printed as typed
        assert CALLER not in text and CALLER_PHONE not in text                   # the hotline caller: never
    save_pages(agenda_pdf(view), "agenda-14th-meeting")


def test_an_issue_back_on_the_agenda_shows_what_earlier_meetings_did_with_it(demo_copy):
    paper = held_meeting(demo_copy)                       # its third item was left undecided: 暂缓
    fifteenth = schedule_meeting(demo_copy, paper.secretary, paper.compound_id)
    add_to_agenda(demo_copy, paper.secretary, fifteenth, paper.issue_ids[2])
    item = agenda_view(demo_copy, paper.secretary, fifteenth).items[0]
    assert item.title == "快递柜占用消防通道" and item.history == ("第14次会议：暂缓/下次再议",)
    assert "前次审议：第14次会议：暂缓/下次再议" in docx_text(agenda_docx(agenda_view(demo_copy, paper.secretary,
                                                                                 fifteenth)))


def test_the_sign_in_sheet_lists_the_members_serving_on_the_day_seat_by_seat(demo_copy):
    paper = planned_meeting(demo_copy)
    view = sign_in_view(demo_copy, paper.secretary, paper.meeting_id)
    serving = rows(demo_copy, """SELECT s.name AS seat, m.name FROM members m JOIN seats s ON s.id = m.seat_id
                                WHERE m.compound_id = ? AND m.active_from <= '2026-12-08'
                                  AND (m.active_to IS NULL OR m.active_to >= '2026-12-08') AND s.retired_at IS NULL
                                ORDER BY s.position, m.id""", [paper.compound_id])
    assert [(r.seat, r.name) for r in view.rows] == [(r["seat"], r["name"]) for r in serving]
    assert view.min_seats == 5 and "党支部" in view.required
    phones = {r["phone"] for r in rows(demo_copy, "SELECT phone FROM members WHERE phone != ''")}
    text = pdf_text(sign_in_pdf(view))
    assert all(r["name"] in text for r in serving) and not [p for p in phones if p in text]


def test_a_seat_with_nobody_serving_still_gets_a_line_to_sign(demo_copy):
    paper = planned_meeting(demo_copy)
    add_seat(demo_copy, SYSTEM, paper.compound_id, "物业监督小组")
    rows_ = sign_in_view(demo_copy, paper.secretary, paper.meeting_id).rows
    assert rows_[-1] == SignInRow(seat="物业监督小组", name="")


def test_the_papers_are_for_those_who_read_the_compound_only(demo_copy):
    paper = planned_meeting(demo_copy)
    for username in ("yl_secretary", "nanwan_officer"):
        for build in (agenda_view, sign_in_view):
            with pytest.raises(PermissionDenied):
                build(demo_copy, actor(demo_copy, username), paper.meeting_id)
    assert agenda_view(demo_copy, actor(demo_copy, "hx_property"), paper.meeting_id).items  # a seat at the table


# ------------------------------------------------------------------ the 公示 notice

def test_the_notice_lists_what_is_under_publicity_with_the_window_and_the_board_address(demo_copy):
    demo_db = demo_copy
    set_public_url(demo_db, SYSTEM, "https://yishi.example.cn/")
    yile = find_compound(demo_db, "怡乐花园").id
    view = notice_view(demo_db, actor(demo_db, "yl_secretary"), yile)
    under = rows(demo_db, """SELECT title, objection_closes_on FROM public_issues
                             WHERE compound_id = ? AND stage = 'publicizing' AND merged_into_id IS NULL""", [yile])
    assert under and [item.title for item in view.items] == [r["title"] for r in under]
    assert view.window_closes == max(r["objection_closes_on"] for r in under)
    assert view.board_url == f"https://yishi.example.cn/board/{yile}"
    assert view.demo
    text = docx_text(notice_docx(view))
    assert "怡乐花园协商议事结果公示" in text and view.board_url in text
    assert all(item.title in text for item in view.items)
    assert "怡乐花园协商议事结果公示" in pdf_text(notice_pdf(view))


def test_the_notice_is_signed_by_the_branch_in_full_and_says_where_to_object(demo_db):
    view = notice_view(demo_db, SYSTEM, find_compound(demo_db, "鸿翔花园").id)
    text = pdf_text(notice_pdf(view))
    assert "或到小区党群服务站向鸿翔花园联合党支部当面反映。" in text
    assert "鸿翔花园联合党支部" in text.split("（盖章）")[-1] and "鸿翔花园党支部" not in text


def test_the_notice_holds_no_personal_value_from_the_demo_data(demo_db):
    private = personal_values(demo_db)
    for compound in ("鸿翔花园", "怡乐花园"):
        view = notice_view(demo_db, SYSTEM, find_compound(demo_db, compound).id)
        for text in (docx_text(notice_docx(view)), pdf_text(notice_pdf(view))):
            assert not [value for value in private if value in text]


def test_the_notice_default_address_is_the_local_app_with_a_warning(demo_db):
    view = notice_view(demo_db, SYSTEM, 1)              # no public address set in the demo database
    assert view.board_url == "http://localhost:8501/board/1"
    assert "尚未设置公开访问地址" in view.address_warning and "演示数据库" in view.address_warning


# ------------------------------------------------------------------ the register export

@pytest.mark.parametrize("issue_filter", [
    IssueFilter(),
    IssueFilter(stages=("collected", "deliberating", "acting", "escalated", "publicizing")),
    IssueFilter(text="车"),
    IssueFilter(overdue=True),
], ids=["all", "open", "text", "overdue"])
def test_register_rows_are_the_issues_list_issues_gives_for_the_same_filter(demo_db, issue_filter):
    secretary = actor(demo_db, "yl_secretary")
    yile = find_compound(demo_db, "怡乐花园").id
    listed = list_issues(demo_db, secretary, yile, issue_filter, page_size=200).rows
    exported = register_rows(demo_db, secretary, yile, issue_filter)
    assert [(r["title"], r["raised_on"], r["category"]) for r in exported] == \
        [(r["title"], r["raised_on"], r["category"]) for r in listed]
    assert set(exported[0]) == {key for key, _ in REGISTER_COLUMNS} if exported else True


def test_the_register_xlsx_and_csv_hold_exactly_the_exported_rows(demo_db):
    secretary = actor(demo_db, "hx_secretary")
    hongxiang = find_compound(demo_db, "鸿翔花园").id
    exported = register_rows(demo_db, secretary, hongxiang)
    listed = list_issues(demo_db, secretary, hongxiang, page_size=200).rows
    expected = [[str(r[key]) for key, _ in REGISTER_COLUMNS] for r in exported]
    sheet = openpyxl.load_workbook(io.BytesIO(register_xlsx(exported))).active
    table = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert table[0] == [header for _, header in REGISTER_COLUMNS]
    assert table[1:] == expected
    assert [row[0] for row in table[1:]] == [r["title"] for r in listed]
    reader = list(csv.reader(io.StringIO(register_csv(exported).decode("utf-8-sig"))))
    assert reader[1:] == expected


def test_a_secretary_cannot_export_another_compounds_register(demo_db):
    with pytest.raises(PermissionDenied):
        register_rows(demo_db, actor(demo_db, "yl_secretary"), find_compound(demo_db, "鸿翔花园").id)


def test_the_register_vocabulary_is_the_compounds_active_categories_and_seats(demo_db):
    categories, seats = register_vocabulary(demo_db, SYSTEM, 1)
    assert "停车" in categories and "物业服务企业" in seats and seats[0] == "党支部"


# ------------------------------------------------------------------ the monthly report

def test_the_area_report_counts_the_months_meetings_and_resolutions_and_opens_as_docx_and_xlsx(demo_db):
    officer = actor(demo_db, "nanwan_officer")
    area = find_area(demo_db, "南湾街道")["id"]
    month = one(demo_db, """SELECT substr(max(scheduled_at), 1, 7) AS m FROM meetings m
                            JOIN compounds c ON c.id = m.compound_id WHERE c.area_id = ?""", [area])["m"]
    view = report_view(demo_db, officer, area_id=area, month=month)
    assert view.title == f"南湾街道{month[:4]}年{int(month[5:])}月协商议事月报"
    assert view.meetings_held == scalar(demo_db, """SELECT count(*) FROM meetings m JOIN compounds c
        ON c.id = m.compound_id WHERE c.area_id = ? AND m.status != 'planned' AND substr(m.scheduled_at, 1, 7) = ?""",
                                        [area, month])
    assert sum(n for _, n, _, _ in view.resolved_by_level) == scalar(demo_db, """SELECT count(*) FROM issues i
        JOIN compounds c ON c.id = i.compound_id WHERE c.area_id = ? AND i.stage = 'resolved'
        AND substr(i.resolved_on, 1, 7) = ?""", [area, month])
    assert [target for *_, target in view.resolved_by_level] == [0.7, 0.2, 0.1]
    assert all(0 <= rate <= 1 for _, rate in view.attendance_by_seat)
    assert sum(n for _, n in view.issues_by_stage) == sum(n for _, n in view.issues_by_category)
    assert view.title in docx_text(report_docx(view))
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(view)))
    assert {"概况", "721", "上报"} <= set(book.sheetnames)


def test_a_compound_report_is_for_its_secretary_and_refused_to_the_recorder_and_outside_officers(demo_db):
    hongxiang = find_compound(demo_db, "鸿翔花园").id
    view = report_view(demo_db, actor(demo_db, "hx_secretary"), compound_id=hongxiang, month="2025-03")
    assert view.scope_name == "鸿翔花园" and view.meetings_held == 1
    for username in ("hx_recorder", "nanwan_officer"):
        with pytest.raises(PermissionDenied):
            report_view(demo_db, actor(demo_db, username), compound_id=hongxiang, month="2025-03")
    with pytest.raises(PermissionDenied):
        report_view(demo_db, actor(demo_db, "songyuan_officer"), area_id=find_area(demo_db, "南湾街道")["id"],
                    month="2025-03")


@pytest.mark.parametrize("month, message", [("2025-13", "YYYY-MM"), ("3月", "YYYY-MM"), ("2999-01", "未来")])
def test_a_bad_or_future_month_is_refused(demo_db, month, message):
    with pytest.raises(Exception, match=message):
        report_view(demo_db, SYSTEM, compound_id=1, month=month)


# ------------------------------------------------------------------ the calendar

def test_the_calendar_holds_twelve_months_of_the_standing_rule(demo_db):
    view = schedule_view(demo_db, 1)
    assert 11 <= len(view.occurrences) <= 12
    assert all(o.weekday() == 1 and o.hour == 19 for o in view.occurrences)       # 第二个周二 19:00
    events = Calendar.from_ical(schedule_ics(view)).walk("VEVENT")
    assert len(events) == 1 and events[0]["rrule"]["BYDAY"] == ["2TU"]          # one recurring rule
    assert str(events[0]["location"]) == view.place


# ------------------------------------------------------------------ the download panels on pages


@pytest.fixture
def demo_file(demo_path, tmp_path) -> Path:
    """A private copy of the demo database file for the app under test."""
    target = tmp_path / "app.db"
    copy_db(demo_path, target)
    return target


def app(page: str, db_path, monkeypatch, username: str, **query) -> AppTest:
    """The page as the router shows it to a signed-in user (so links to other pages resolve)."""
    return open_page_on(db_path, monkeypatch, page, username, **query)


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_a_secretary_prepares_the_register_files_on_the_register_page(demo_file, monkeypatch):
    at = app("register", demo_file, monkeypatch, "hx_secretary")
    assert not at.exception and "生成台账文件" not in [b.label for b in at.button]     # built once opened
    at = click(expand(at, "register_documents_open"), "生成台账文件")
    assert not at.exception and not at.error
    assert downloads(at) == ["Excel", "CSV", "导入模板"]


def test_a_secretary_prepares_the_13th_minutes_on_the_meetings_console(demo_file, monkeypatch):
    meeting = one(open_db(demo_file), """SELECT m.id FROM meetings m JOIN compounds c ON c.id = m.compound_id
                                             WHERE c.name = '鸿翔花园' AND m.number = 13""")["id"]
    at = app("meetings", demo_file, monkeypatch, "hx_secretary", meeting=str(meeting))
    assert not at.exception
    at = click(at, "生成纪要文件")
    assert not at.exception and not at.error
    assert downloads(at) == ["Word", "PDF", "Markdown"]


def test_a_secretary_prepares_the_agenda_and_sign_in_sheet_on_the_console_of_a_planned_meeting(demo_file, monkeypatch):
    db = open_db(demo_file)
    paper = planned_meeting(db)
    db.close()
    at = app("meetings", demo_file, monkeypatch, "hx_secretary", meeting=str(paper.meeting_id))
    assert not at.exception and "会前材料" in [m.value.strip("*") for m in at.markdown]
    at = click(at, "生成议程和签到表")
    assert not at.exception and not at.error
    assert downloads(at) == ["议程 Word", "议程 PDF", "签到表 Word", "签到表 PDF"]
    at = app("meetings", demo_file, monkeypatch, "hx_secretary", meeting=str(paper.meeting_id), lang="en")
    assert not at.exception and "Papers for the meeting" in [m.value.strip("*") for m in at.markdown]
    at = click(at, "Prepare the agenda and sign-in sheet")
    assert downloads(at) == ["Agenda Word", "Agenda PDF", "Sign-in sheet Word", "Sign-in sheet PDF"]


def test_the_workbench_offers_the_notice_and_the_calendar_and_the_overview_the_monthly_report(demo_file, monkeypatch):
    at = app("home", demo_file, monkeypatch, "yl_secretary")
    assert not at.exception
    at = click(at, "生成公示通知")
    assert downloads(at) == ["Word", "PDF", "下载例会日历(.ics)"]
    at = app("dashboard", demo_file, monkeypatch, "yl_secretary")
    assert not at.exception
    at = click(at, "生成月报")
    assert not at.exception and downloads(at) == ["Word", "Excel"]


def test_a_seat_representative_sees_the_calendar_but_no_notice_or_report_panel(demo_file, monkeypatch):
    at = app("home", demo_file, monkeypatch, "hx_property")
    assert not at.exception
    assert "生成公示通知" not in [b.label for b in at.button]
    assert downloads(at) == ["下载例会日历(.ics)"]
    at = app("dashboard", demo_file, monkeypatch, "hx_property")
    assert not at.exception and "生成月报" not in [b.label for b in at.button]

