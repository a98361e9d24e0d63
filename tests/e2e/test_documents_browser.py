"""Documents in a real browser: the 南湾街道 officer answers an escalation on 区域汇总 and downloads
the area's monthly report; the 鸿翔花园 secretary downloads the public minutes of the 13th meeting
and imports a register file, after a first file is refused row by row, then prints the agenda and
the sign-in sheet of the 14th meeting from its console."""
from __future__ import annotations

import re
from functools import partial

import docx

from deliberation.store import open_db, scalar
from tests.document_text import pdf_text
from tests.paper_meeting import CALLER, MARKUP_TITLE, planned_meeting

from .helpers import sign_in, step_in, wait_idle

SHOTS = "test_documents_browser"
step = partial(step_in, SHOTS)



def go_to(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    wait_idle(page)


def download(page, button: str):
    with page.expect_download() as caught:
        page.get_by_role("button", name=button, exact=True).click()
    return caught.value


def test_the_officer_answers_an_escalation_and_downloads_the_area_report(page, app_url, demo_db):
    sign_in(page, app_url, "nanwan_officer")
    go_to(page, "区域汇总")
    page.get_by_role("heading", name="各小区情况").wait_for()
    step(page, "rollup")
    waiting = page.get_by_test_id("stExpander")
    before = waiting.count()
    assert before > 0
    first = waiting.first
    first.locator("summary").click()
    first.get_by_label("答复内容(将显示在小区议题记录和居民公示栏)").fill("街道已协调相关部门处理。")
    first.get_by_role("button", name="提交答复").click()
    page.get_by_text("已答复,议题已转入“合力干事”。").wait_for()
    step(page, "answered")
    assert page.get_by_test_id("stExpander").count() == before - 1

    page.get_by_role("button", name="生成月报").click()
    wait_idle(page)
    report = download(page, "Word")
    assert re.fullmatch(r"南湾街道\d{4}年\d{1,2}月协商议事月报\.docx", report.suggested_filename)
    text = "\n".join(p.text for p in docx.Document(report.path()).paragraphs)
    assert "南湾街道" in text and "五、分级办结" in text
    step(page, "report_ready")
    assert page.dialogs_seen == [] and page.errors_seen == []


def test_the_secretary_downloads_public_minutes_and_imports_a_register(page, app_url, demo_db, tmp_path):
    sign_in(page, app_url, "hx_secretary")
    go_to(page, "会议")
    page.get_by_role("button", name="打开会议").click()
    wait_idle(page)
    page.get_by_text("公开版(隐去个人信息)").click()
    wait_idle(page)
    page.get_by_role("button", name="生成纪要文件").click()
    wait_idle(page)
    step(page, "minutes_ready")
    minutes = download(page, "PDF")
    assert minutes.suggested_filename == "鸿翔花园第13次会议纪要(公开版).pdf"
    text = pdf_text(minutes.path())
    assert "鸿翔花园第13次“1+8”协商议事会议纪要" in text and "李明华" not in text
    assert "鸿翔花园联合党支部" in text.split("（盖章）")[-1]

    go_to(page, "议题台账")
    page.get_by_text("导出 / 导入台账").click()
    wait_idle(page)
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("标题,类别,阶段,提出方,提出日期\n[x](javascript:alert(1)),火星,巡访问事,居民,2025-10-02\n",
                   encoding="utf-8")
    good.write_text("标题,类别,阶段,提出方,提出日期\n5栋门禁失灵,治安,巡访问事,居民,2025-10-02\n", encoding="utf-8")
    issues = scalar(open_db(demo_db), "SELECT count(*) FROM issues")
    page.locator('input[type="file"]').set_input_files(str(bad))
    wait_idle(page)
    page.get_by_role("button", name="检查文件").click()
    page.get_by_text("第 2 行「类别」:未知类别“火星”", exact=False).wait_for()
    step(page, "import_refused")
    assert scalar(open_db(demo_db), "SELECT count(*) FROM issues") == issues

    page.locator('input[type="file"]').set_input_files(str(good))
    wait_idle(page)
    page.get_by_role("button", name="检查文件").click()
    wait_idle(page)
    page.get_by_role("button", name="确认导入 1 条").click()
    page.get_by_text("已导入 1 条议题。").wait_for()
    step(page, "imported")
    assert scalar(open_db(demo_db), "SELECT count(*) FROM issues") == issues + 1
    assert page.dialogs_seen == [] and page.errors_seen == []


def test_the_secretary_prints_the_agenda_and_sign_in_sheet_of_the_next_meeting(page, app_url, demo_db):
    """Runs last in the module: it schedules 鸿翔花园's 14th meeting in the shared database."""
    db = open_db(demo_db)
    planned_meeting(db)
    db.close()
    sign_in(page, app_url, "hx_secretary")
    go_to(page, "会议")
    page.get_by_role("button", name="进入第14次会议控制台(计划中)").click()
    step(page, "planned_console", page.get_by_text("会前材料", exact=True))
    page.get_by_role("button", name="生成议程和签到表").click()
    step(page, "papers_ready", page.get_by_role("button", name="签到表 PDF"))
    sheet = download(page, "签到表 PDF")
    assert sheet.suggested_filename == "鸿翔花园第14次“1+8”协商议事会议签到表.pdf"
    text = pdf_text(sheet.path())
    assert "时间：2026年12月8日（星期二）19:00" in text and "本人签到" in text and "二、列席人员" in text
    agenda = download(page, "议程 Word")
    assert agenda.suggested_filename == "鸿翔花园第14次“1+8”协商议事会议议程.docx"
    lines = [p.text for p in docx.Document(agenda.path()).paragraphs]
    assert f"议题一：{MARKUP_TITLE}" in lines and CALLER not in "\n".join(lines)
    assert page.dialogs_seen == [] and page.errors_seen == []
