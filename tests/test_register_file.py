"""Reading an uploaded 台账 safely, and checking every row before anything is written."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from deliberation.exports.register import REGISTER_COLUMNS, register_csv, register_template_xlsx, register_xlsx
from deliberation.imports.register_file import (
    MAX_ROWS, MAX_UPLOAD_BYTES, ImportRow, RowProblem, read_register_file, report_text,
    validate_register_rows,
)
from deliberation.model.errors import DomainError
from tests.factories import rewrite_member

TODAY = date(2024, 6, 1)
CATEGORIES = {"停车", "高空抛物", "宠物/不文明养宠"}
SEATS = {"业主委员会", "物业服务企业"}
HEADERS = [header for _, header in REGISTER_COLUMNS]


def issue(**changes) -> dict:
    row = {
        "title": "车位不足", "category": "停车", "stage": "民主议事", "raised_by": "业主委员会",
        "channel": "会上提出", "raised_on": "2024-03-12", "building": "地面停车场", "priority": "高",
        "description": "晚间车位紧张,消防通道被占。", "public_summary": "", "resolved_level": "",
        "resolved_on": "", "closed_reason": "", "households": "12",
    }
    row.update(changes)
    return row


def check(*rows, today=TODAY):
    return validate_register_rows(list(rows), categories=CATEGORIES, seats=SEATS, today=today)


def refused(filename: str, data: bytes) -> str:
    with pytest.raises(DomainError) as caught:
        read_register_file(filename, data)
    return caught.value.message


# ------------------------------------------------------------------ reading files

def test_an_xlsx_written_by_the_export_reads_back_equal():
    rows = [issue(), issue(title="高空抛物", category="高空抛物", stage="已办结", raised_by="居民",
                           resolved_level="小区", resolved_on="2024-05-02", households="1",
                           description="多行\n描述")]
    assert read_register_file("台账.xlsx", register_xlsx(rows)) == rows


def test_a_csv_with_bom_written_by_the_export_reads_back_equal():
    rows = [issue(), issue(title="宠物乱跑", category="宠物/不文明养宠", description='含,逗号和"引号"')]
    data = register_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_register_file("台账.csv", data) == rows


def test_a_gbk_csv_saved_by_chinese_excel_is_decoded():
    text = io.StringIO(newline="")
    csv.writer(text).writerows([HEADERS, list(issue().values())])
    data = text.getvalue().encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")                 # really not UTF-8
    assert read_register_file("台账.csv", data) == [issue()]


def test_a_formula_cell_survives_a_round_trip_as_plain_text_in_both_formats():
    rows = [issue(title='=HYPERLINK("http://evil.example","点")', building="@3栋", description="-1")]
    xlsx = register_xlsx(rows)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml              # no formula was written
    assert read_register_file("a.xlsx", xlsx) == rows
    assert b"'=HYPERLINK" in register_csv(rows)
    assert read_register_file("a.csv", register_csv(rows)) == rows


def test_a_formula_typed_in_a_users_xlsx_is_read_as_its_text_not_run():
    wb = openpyxl.Workbook()
    wb.active.append(HEADERS)
    wb.active.append(list(issue(title='=HYPERLINK("http://evil.example","点")').values()))
    out = io.BytesIO()
    wb.save(out)
    assert read_register_file("a.xlsx", out.getvalue())[0]["title"] == '=HYPERLINK("http://evil.example","点")'


def test_excel_date_cells_become_iso_dates_and_numbers_lose_their_decimal_point():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["标题", "类别", "阶段", "提出日期", "反映户数", "备注(多余列)"])
    ws.append(["  车位不足 ", "停车", "巡访问事", datetime(2024, 3, 12), 3.0, "忽略"])
    ws.append(["高空抛物", "高空抛物", "巡访问事", date(2024, 4, 1), None, None])
    out = io.BytesIO()
    wb.save(out)
    rows = read_register_file("a.xlsx", out.getvalue())
    assert [(r["title"], r["raised_on"], r["households"], r["channel"]) for r in rows] == [
        ("车位不足", "2024-03-12", "3", ""), ("高空抛物", "2024-04-01", "", "")]


def test_english_column_keys_are_accepted_as_headers():
    data = ("title,category,stage,raised_on\r\n车位不足,停车,collected,2024-03-12\r\n").encode()
    assert read_register_file("a.csv", data)[0]["stage"] == "collected"


def test_a_file_is_recognised_by_content_not_by_its_name():
    rows = [issue()]
    assert read_register_file("导出.csv", register_xlsx(rows)) == rows   # a zip named .csv


def test_a_missing_required_column_is_named():
    text = "标题,阶段,提出日期\r\n车位不足,巡访问事,2024-03-12\r\n"
    assert refused("a.csv", text.encode("utf-8-sig")).startswith("缺少必需的列:类别")


def test_a_text_file_named_xlsx_is_refused():
    assert refused("台账.xlsx", "标题,类别\n车位不足,停车\n".encode()) == "文件不是有效的 Excel(.xlsx)文件"


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused("台账.xlsx", out.getvalue()) == "文件不是有效的 Excel(.xlsx)文件"


def test_an_oversized_upload_is_refused_before_it_is_parsed():
    assert refused("台账.csv", b"a" * (MAX_UPLOAD_BYTES + 1)) == "文件过大(上限 5 MB)"


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 200 * 1024             # ~60 KB on disk, 60 MB unpacked
    assert refused("台账.xlsx", data) == "文件解压后过大,疑似压缩炸弹,已拒绝"


def test_a_single_member_with_an_absurd_compression_ratio_is_refused():
    bomb = rewrite_member(register_xlsx([issue()]), "xl/styles.xml", b" " * (10 * 1024 * 1024))
    assert refused("台账.xlsx", bomb) == "文件解压后过大,疑似压缩炸弹,已拒绝"


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


def test_an_xlsx_with_an_entity_expansion_doctype_is_refused():
    evil = rewrite_member(register_xlsx([issue()]), "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    assert refused("台账.xlsx", evil) == "文件含有不安全的 XML 实体定义,已拒绝"


def test_a_doctype_hidden_in_a_utf16_sheet_is_refused():
    xml = BILLION_LAUGHS.replace(b"UTF-8", b"UTF-16").decode().encode("utf-16")
    evil = rewrite_member(register_xlsx([issue()]), "xl/worksheets/sheet1.xml", xml)
    assert refused("台账.xlsx", evil) == "文件含有不安全的 XML 实体定义,已拒绝"


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_an_old_binary_xls_is_refused_with_a_hint_to_resave():
    assert "另存为 .xlsx 或 CSV" in refused("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_more_rows_than_the_limit_are_refused():
    line = ",".join(issue().values()) + "\r\n"
    data = (",".join(HEADERS) + "\r\n" + line * (MAX_ROWS + 1)).encode("utf-8-sig")
    assert refused("a.csv", data) == f"行数过多(上限 {MAX_ROWS} 行),请分批导入"


def test_an_empty_file_is_refused():
    assert refused("a.csv", b"") == "文件是空的"


# ------------------------------------------------------------------ checking rows

def test_a_good_row_becomes_typed_values():
    result = check(issue(stage="已办结", resolved_level="社区", resolved_on="2024/05/02"))
    assert result.ok and result.problems == ()
    assert result.rows == (ImportRow(
        row_number=2, title="车位不足", category="停车", stage="resolved", raised_by_kind="seat",
        raised_by_seat="业主委员会", channel="meeting", raised_on="2024-03-12", building="地面停车场",
        priority="high", description="晚间车位紧张,消防通道被占。", public_summary="",
        resolved_level="community", resolved_on="2024-05-02", closed_reason=None, households=12),)


def test_empty_optional_cells_take_the_documented_defaults():
    row = check(issue(raised_by="", channel="", priority="", households="")).rows[0]
    assert (row.raised_by_kind, row.raised_by_seat, row.channel, row.priority, row.households) == (
        "patrol", None, "visit", "normal", 1)


def test_residents_patrols_and_the_hotline_are_accepted_as_raisers():
    kinds = [r.raised_by_kind for r in check(*(issue(raised_by=w) for w in ("居民", "巡访", "热线"))).rows]
    assert kinds == ["resident", "patrol", "hotline"]


def test_english_stage_codes_full_width_brackets_and_chinese_date_forms_are_accepted():
    result = check(issue(stage="collected", raised_on="2024年3月2日"),
                   issue(stage="已关闭\uff08未解决\uff09", closed_reason="不属小区职责"),
                   issue(stage="Acting", raised_on="2024/3/5"))
    assert [(r.stage, r.raised_on) for r in result.rows] == [
        ("collected", "2024-03-02"), ("closed", "2024-03-12"), ("acting", "2024-03-05")]


def test_an_unknown_category_is_reported_with_its_row_number():
    result = check(issue(), issue(category="停车场"))
    assert not result.ok
    assert result.problems == (RowProblem(3, "类别", "未知类别“停车场”,可选:停车、宠物/不文明养宠、高空抛物"),)
    assert str(result.problems[0]) == "第 3 行「类别」:未知类别“停车场”,可选:停车、宠物/不文明养宠、高空抛物"


def test_a_bad_date_is_reported():
    (problem,) = check(issue(raised_on="2024-13-40")).problems
    assert (problem.row_number, problem.column) == (2, "提出日期")
    assert problem.message == "日期“2024-13-40”无效,请写成 YYYY-MM-DD,如 2024-03-12"


def test_a_future_date_is_reported():
    (problem,) = check(issue(raised_on="2024-06-02")).problems
    assert problem == RowProblem(2, "提出日期", "日期 2024-06-02 晚于今天")


def test_a_date_after_the_real_today_is_future_when_no_day_is_given():
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = validate_register_rows([issue(raised_on=tomorrow)], categories=CATEGORIES, seats=SEATS)
    assert [p.column for p in result.problems] == ["提出日期"]


def test_every_row_is_checked_and_every_problem_collected():
    result = check(
        issue(),
        issue(title="", category="", stage="", raised_on=""),
        issue(raised_by="开发商", priority="紧急", households="0"),
        issue(stage="已办结"),
        issue(stage="已关闭"),
        issue(stage="未知", channel="微信", resolved_level="区", resolved_on="2024-03-01"),
    )
    assert [(p.row_number, p.column) for p in result.problems] == [
        (3, "标题"), (3, "类别"), (3, "阶段"), (3, "提出日期"),
        (4, "提出方"), (4, "优先级"), (4, "反映户数"),
        (5, "解决层级"),
        (6, "关闭原因"),
        (7, "阶段"), (7, "渠道"), (7, "办结日期"), (7, "解决层级"),
    ]
    assert [r.row_number for r in result.rows] == [2]
    assert "“已办结”时必须填写解决层级" in result.problems[7].message
    assert "“已关闭(未解决)”时必须填写关闭原因" in result.problems[8].message
    assert result.problems[11].message == "办结日期早于提出日期"


def test_blank_rows_are_skipped_but_row_numbers_stay_as_in_excel():
    blank = {key: "" for key, _ in REGISTER_COLUMNS}
    result = check(issue(), blank, issue(category="停车场"))
    assert [p.row_number for p in result.problems] == [4]


def test_the_templates_example_row_is_ignored_on_import():
    rows = read_register_file("模板.xlsx", register_template_xlsx(categories=("停车",)))
    result = check(*rows, issue())
    assert result.ok
    assert result.skipped == (2,)
    assert [r.row_number for r in result.rows] == [3]


def test_a_file_with_no_issues_is_not_ok():
    result = check()
    assert not result.ok
    assert report_text(result).splitlines()[-1] == "文件中没有可导入的议题(表头下方没有数据行)"


def test_the_report_lists_each_problem_on_its_own_line():
    text = report_text(check(issue(), issue(category="停车场", raised_on="昨天")))
    assert text.splitlines() == [
        "发现 2 处问题(涉及 1 行),请修改后重新导入;本次未写入任何数据。",
        "第 3 行「类别」:未知类别“停车场”,可选:停车、宠物/不文明养宠、高空抛物",
        "第 3 行「提出日期」:日期“昨天”无效,请写成 YYYY-MM-DD,如 2024-03-12",
    ]
    assert report_text(check(issue())) == "检查通过:共 1 条议题可以导入。"


def test_rows_built_in_code_with_numbers_and_none_are_checked_too():
    result = check(issue(households=4, public_summary=None))
    assert result.ok and result.rows[0].households == 4 and result.rows[0].public_summary == ""
