"""The monthly report (月报) read back from DOCX and XLSX."""

import io

import docx
from openpyxl import load_workbook

from deliberation.exports.report import report_docx, report_xlsx
from deliberation.exports.views import ReportView

SHEETS = ["概况", "出席率", "议题阶段", "议题类别", "721", "上报", "逾期任务", "三率"]


def make_report(demo=False, escalations=None):
    return ReportView(
        scope_name="南湾街道", month="2025-03", meetings_held=12,
        attendance_by_seat=(("党支部", 1.0), ("业主委员会", 0.917), ("物业服务企业", 0.75)),
        issues_by_stage=(("巡访问事", 5), ("民主议事", 3), ("合力干事", 4), ("已办结", 10)),
        issues_by_category=(("停车", 6), ("高空抛物", 3), ("=HYPERLINK(\"http://x\")", 1)),
        resolved_by_level=(("小区", 7, 0.7, 0.7), ("社区", 2, 0.2, 0.2), ("街道", 1, 0.1, 0.1)),
        escalations=escalations if escalations is not None else (
            ("怡乐花园", "变压器增容", "请街道协调供电局", "已协调，4月施工"),
            ("鸿翔花园", "违建拆除", "-请城管执法", "")),
        overdue_actions=(("怡乐花园", "物业服务企业", "@清理消防通道", "2025-03-01"),),
        demo=demo)


def sheet_rows(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.values) for sheet in book}


def test_report_xlsx_has_one_sheet_per_section_in_order():
    assert list(sheet_rows(report_xlsx(make_report()))) == SHEETS


def test_report_xlsx_overview_counts_meetings_issues_escalations_and_overdue_actions():
    assert sheet_rows(report_xlsx(make_report()))["概况"] == [
        ("项目", "数值"), ("范围", "南湾街道"), ("月份", "2025-03"), ("召开会议（次）", 12),
        ("议题总数（个）", 22), ("已办结（个）", 10), ("上报事项（个）", 2), ("逾期任务（项）", 1)]


def test_report_xlsx_keeps_rates_and_shares_as_numbers_formatted_as_percent():
    data = report_xlsx(make_report())
    rows = sheet_rows(data)
    assert rows["出席率"] == [("协商主体", "出席率"), ("党支部", 1), ("业主委员会", 0.917),
                            ("物业服务企业", 0.75)]
    assert rows["721"] == [("层级", "办结数", "占比", "目标"), ("小区", 7, 0.7, 0.7),
                          ("社区", 2, 0.2, 0.2), ("街道", 1, 0.1, 0.1)]
    book = load_workbook(io.BytesIO(data))
    assert book["出席率"]["B3"].number_format == "0.0%"
    assert book["721"]["C2"].number_format == "0.0%"


def test_report_xlsx_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    rows = sheet_rows(report_xlsx(make_report()))
    assert ("'=HYPERLINK(\"http://x\")", 1) in rows["议题类别"]
    assert rows["上报"][2] == ("鸿翔花园", "违建拆除", "'-请城管执法", "待答复")
    assert rows["逾期任务"][1] == ("怡乐花园", "物业服务企业", "'@清理消防通道", "2025-03-01")
    book = load_workbook(io.BytesIO(report_xlsx(make_report())))
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows()
               for cell in row)


def test_report_xlsx_marks_demo_data():
    assert ("示例数据", "演示用，非真实记录") in sheet_rows(report_xlsx(make_report(demo=True)))["概况"]
    assert all(row[0] != "示例数据" for row in sheet_rows(report_xlsx(make_report()))["概况"])


def test_report_docx_has_title_every_section_and_percentages():
    document = docx.Document(io.BytesIO(report_docx(make_report(demo=True))))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "南湾街道2025年3月协商议事月报"
    assert "示例数据（演示用，非真实记录）" in paragraphs
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、概况", "二、各协商主体出席率", "三、议题所处阶段", "四、议题类别",
                        "五、分级办结（“721”）", "六、上报事项", "七、逾期任务", "八、三率"]
    tables = {t.rows[0].cells[0].text + "|" + t.rows[0].cells[1].text: t
              for t in document.tables}
    seven_two_one = [[c.text for c in row.cells] for row in tables["层级|办结数"].rows]
    assert seven_two_one[1] == ["小区", "7", "70.0%", "70.0%"]
    attendance = [[c.text for c in row.cells] for row in tables["协商主体|出席率"].rows]
    assert attendance[2] == ["业主委员会", "91.7%"]


def test_report_docx_says_none_for_an_empty_section_and_pending_for_unanswered():
    document = docx.Document(io.BytesIO(report_docx(make_report(escalations=()))))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[paragraphs.index("六、上报事项") + 1] == "无"
    answered = docx.Document(io.BytesIO(report_docx(make_report())))
    cells = [c.text for t in answered.tables for row in t.rows for c in row.cells]
    assert "待答复" in cells


def test_report_xlsx_keeps_the_three_rates_as_numbers_and_a_rate_without_data_as_a_dash():
    rates = (("响应率", 0.8, 12, 15, "响应率 = 时限内响应的居民反映 12 ÷ 应响应的居民反映 15 = 80.0%"),
             ("满意率", None, 0, 0, "满意率 = (1×满意 0 + 0.8×基本满意 0) ÷ 住户评价 0 = —(暂无数据)"))
    view = ReportView(**{**make_report().__dict__, "rates": rates})
    data = report_xlsx(view)
    assert sheet_rows(data)["三率"] == [("指标", "比率", "分子", "分母", "算式"), rates[0], ("满意率", "—", 0, 0, rates[1][4])]
    assert load_workbook(io.BytesIO(data))["三率"]["B2"].number_format == "0.0%"
    assert ("响应率", "80.0%") in sheet_rows(data)["概况"] and ("满意率", "—") in sheet_rows(data)["概况"]
