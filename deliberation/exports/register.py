"""The 议题台账 (issue register) as files: XLSX, CSV, and an import template.

Pure functions: rows in (already human-readable Chinese), bytes out. The same column
list is what `deliberation.imports.register_file` reads back.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from ..model.defaults import CHANNELS, PRIORITIES
from ..model.lifecycle import STAGE_LABELS, Level, Stage
from .cells import safe_cell

REGISTER_COLUMNS: list[tuple[str, str]] = [
    ("title", "标题"),
    ("category", "类别"),
    ("stage", "阶段"),
    ("raised_by", "提出方"),
    ("channel", "渠道"),
    ("raised_on", "提出日期"),
    ("building", "楼栋/位置"),
    ("priority", "优先级"),
    ("description", "问题描述"),
    ("public_summary", "公示摘要"),
    ("resolved_level", "解决层级"),
    ("resolved_on", "办结日期"),
    ("closed_reason", "关闭原因"),
    ("households", "反映户数"),
]
REQUIRED_COLUMNS = ("title", "category", "stage", "raised_on")
SHEET_TITLE = "议题台账"
DATE_FORMAT_HINT = "YYYY-MM-DD(如 2024-03-12;也接受 2024/03/12、2024年3月12日)"
EXAMPLE_PREFIX = "示例:"

# Column widths in Excel character units; CJK characters count about two each.
_WIDTHS = {"title": 30, "category": 14, "stage": 14, "raised_by": 18, "channel": 12,
           "raised_on": 12, "building": 14, "priority": 8, "description": 48,
           "public_summary": 40, "resolved_level": 10, "resolved_on": 12,
           "closed_reason": 20, "households": 10}

_EXAMPLE_ROW = {
    "title": EXAMPLE_PREFIX + "3栋地下车库照明不足", "category": "环境绿化",
    "stage": STAGE_LABELS[Stage.COLLECTED], "raised_by": "居民",
    "channel": CHANNELS["resident_report"], "raised_on": "2024-03-12", "building": "3栋地下车库",
    "priority": PRIORITIES["normal"], "description": "示例行,导入时会被忽略;请删除或改成真实议题。",
    "public_summary": "", "resolved_level": "", "resolved_on": "", "closed_reason": "",
    "households": 2,
}


def _cell(value):
    """One value as a spreadsheet cell: text neutralised against formulas, numbers kept."""
    if value is None:
        return ""
    if isinstance(value, bool):          # bool is an int; show it as words, not 1/0
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()          # text, so every locale shows the same date
    # openpyxl refuses control characters; they have no business in a register anyway.
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _table(rows: list[dict]) -> list[list]:
    return [[_cell(row.get(key)) for key, _ in REGISTER_COLUMNS] for row in rows]


def _header_style(ws) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    for index, (key, _) in enumerate(REGISTER_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = _WIDTHS[key]


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _register_sheet(wb: Workbook, rows: list[dict]):
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append([header for _, header in REGISTER_COLUMNS])
    for values in _table(rows):
        ws.append(values)
    _header_style(ws)
    if rows:
        ws.auto_filter.ref = ws.dimensions
    return ws


def register_xlsx(rows: list[dict]) -> bytes:
    """The register as one sheet 议题台账: bold frozen header, one issue per row."""
    wb = Workbook()
    _register_sheet(wb, rows)
    return _save(wb)


def register_csv(rows: list[dict]) -> bytes:
    """The register as CSV, UTF-8 with BOM so Excel on Chinese Windows opens it correctly."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([header for _, header in REGISTER_COLUMNS])
    writer.writerows(_table(rows))
    return text.getvalue().encode("utf-8-sig")


def _notes(categories, seats) -> list[tuple[str, str]]:
    labels = {key: header for key, header in REGISTER_COLUMNS}
    lines = [
        ("必填列", "、".join(labels[k] for k in REQUIRED_COLUMNS)),
        ("第 1 行", "必须是表头,列名与本模板一致(列的顺序可以调整,多余的列会被忽略)"),
        ("示例行", f"标题以“{EXAMPLE_PREFIX}”开头的行导入时忽略"),
        ("阶段", "、".join(STAGE_LABELS.values())),
        ("优先级", "、".join(PRIORITIES.values()) + "(留空为“中”)"),
        ("渠道", "、".join(CHANNELS.values()) + "(留空按提出方推定)"),
        ("提出方", "本小区的协商主体名称,或 居民、巡访、热线(留空为“巡访”)"),
        ("日期格式", DATE_FORMAT_HINT + ";不能晚于今天"),
        ("解决层级", "、".join(level.label for level in Level) + "(阶段为“已办结”时必填)"),
        ("关闭原因", "阶段为“已关闭(未解决)”时必填"),
        ("反映户数", "正整数(留空为 1)"),
    ]
    if categories:
        lines.append(("类别", "、".join(categories)))
    if seats:
        lines.append(("协商主体", "、".join(seats)))
    return [(name, safe_cell(text)) for name, text in lines]


def register_template_xlsx(categories=(), seats=()) -> bytes:
    """An empty register to fill in: header, one marked example row, and a 说明 sheet."""
    categories, seats = tuple(categories), tuple(seats)
    wb = Workbook()
    example = dict(_EXAMPLE_ROW, category=categories[0]) if categories else _EXAMPLE_ROW
    ws = _register_sheet(wb, [example])
    example_font = Font(italic=True, color="808080")
    for cell in ws[2]:
        cell.font = example_font
    notes = wb.create_sheet("说明")
    notes.append(["项目", "说明"])
    for line in _notes(categories, seats):
        notes.append(list(line))
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 90
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return _save(wb)
