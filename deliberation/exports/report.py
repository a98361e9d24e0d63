"""月报 (monthly report) for a compound or an area, as DOCX and XLSX.

Sections follow what area staff report upward: meetings held, attendance by
seat, issues by stage and category, the 721 pattern (70% settled in the
compound, 20% in the community, 10% in the subdistrict), escalations and
overdue actions, and the 三率 (响应率, 解决率, 满意率) with their formulas. The xlsx keeps numbers as
numbers so staff can sum them; a rate without data is "—", never 0%.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import docx_layout as dl
from .cells import safe_cell
from .views import ReportView

PENDING_ANSWER = "待答复"
NO_DATA = "—"
PERCENT = "0.0%"


def pct(value: float) -> str:
    return f"{value:.1%}"


def overview(view: ReportView) -> list[tuple[str, object]]:
    return [
        ("范围", view.scope_name),
        ("月份", view.month),
        ("召开会议（次）", view.meetings_held),
        ("议题总数（个）", sum(n for _, n in view.issues_by_stage)),
        ("已办结（个）", sum(row[1] for row in view.resolved_by_level)),
        ("上报事项（个）", len(view.escalations)),
        ("逾期任务（项）", len(view.overdue_actions)),
        *((f"{name}", NO_DATA if value is None else pct(value)) for name, value, *_ in view.rates),
    ]


def sections(view: ReportView) -> list[tuple[str, str, tuple[str, ...], list[tuple], dict]]:
    """(sheet name, heading, headers, rows, {column index: number format}).
    Rows keep raw numbers; the docx formats them, the xlsx applies the formats."""
    return [
        ("概况", "一、概况", ("项目", "数值"), overview(view), {}),
        ("出席率", "二、各协商主体出席率", ("协商主体", "出席率"),
         list(view.attendance_by_seat), {1: PERCENT}),
        ("议题阶段", "三、议题所处阶段", ("阶段", "议题数"), list(view.issues_by_stage), {}),
        ("议题类别", "四、议题类别", ("类别", "议题数"), list(view.issues_by_category), {}),
        ("721", "五、分级办结（“721”）", ("层级", "办结数", "占比", "目标"),
         list(view.resolved_by_level), {2: PERCENT, 3: PERCENT}),
        ("上报", "六、上报事项", ("小区", "议题", "上报请求", "答复"),
         [(c, t, r, a or PENDING_ANSWER) for c, t, r, a in view.escalations], {}),
        ("逾期任务", "七、逾期任务", ("小区", "责任主体", "任务", "期限"),
         list(view.overdue_actions), {}),
        ("三率", "八、三率", ("指标", "比率", "分子", "分母", "算式"),
         [(name, NO_DATA if value is None else value, numerator, denominator, formula)
          for name, value, numerator, denominator, formula in view.rates], {1: PERCENT}),
    ]


def _as_text(value: object, number_format: str | None) -> str:
    if number_format == PERCENT and isinstance(value, (int, float)):
        return pct(value)
    return str(value)


def report_docx(view: ReportView) -> bytes:
    doc = dl.new_document()
    dl.add_title(doc, view.title)
    if view.demo:
        dl.add_note(doc, "示例数据（演示用，非真实记录）")
    for _, heading, headers, rows, formats in sections(view):
        doc.add_heading(heading, level=1)
        if not rows:
            doc.add_paragraph("无")
            continue
        dl.add_table(doc, headers, [
            [_as_text(value, formats.get(i)) for i, value in enumerate(row)] for row in rows])
    return dl.to_bytes(doc)


def report_xlsx(view: ReportView) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet_name, _, headers, rows, formats in sections(view):
        sheet = book.create_sheet(sheet_name)
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
            for index, number_format in formats.items():
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = number_format
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            longest = max([len(str(header))] + [len(str(r[index - 1])) for r in rows])
            # CJK characters are about two columns wide in Excel.
            sheet.column_dimensions[get_column_letter(index)].width = min(60, 2 * longest + 4)
    if view.demo:
        book["概况"].append(["示例数据", "演示用，非真实记录"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
