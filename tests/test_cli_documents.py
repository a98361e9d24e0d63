"""`python -m deliberation export … / import register …` run as a real process on a copy of the
demo database: every file it writes opens in a reader, and failures say why in Chinese."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar

from deliberation.store import open_db, scalar
from tests.document_text import docx_text, pdf_text
from tests.factories import copy_db
from tests.paper_meeting import planned_meeting

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db_file(tmp_path_factory, demo_path) -> Path:
    """One copy for the read-only exports of this module."""
    target = tmp_path_factory.mktemp("cli") / "demo.db"
    copy_db(demo_path, target)
    return target


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deliberation", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_export_minutes_writes_docx_pdf_and_markdown_that_open(db_file, tmp_path):
    title = "鸿翔花园第13次“1+8”协商议事会议纪要"
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text), ("md", lambda p: p.read_text(encoding="utf-8"))):
        out = tmp_path / f"m13.{fmt}"
        done = run("export", "minutes", "--db", db_file, "--compound", "鸿翔花园", "--meeting", 13,
                   "--format", fmt, "-o", out)
        assert done.returncode == 0, done.stderr
        assert title in read(out)


def test_export_public_minutes_leave_out_the_chair(db_file, tmp_path):
    out = tmp_path / "m13.md"
    assert run("export", "minutes", "--db", db_file, "--compound", "鸿翔花园", "--meeting", 13, "--public",
               "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "公开版" in text and "李明华" not in text


@pytest.fixture(scope="module")
def planned_file(tmp_path_factory, demo_path) -> Path:
    """A copy with 鸿翔花园's 14th meeting scheduled and its agenda set (tests/paper_meeting.py)."""
    target = tmp_path_factory.mktemp("cli_planned") / "demo.db"
    copy_db(demo_path, target)
    db = open_db(target)
    planned_meeting(db)
    db.close()
    return target


@pytest.mark.parametrize("kind, title", [("agenda", "鸿翔花园第14次“1+8”协商议事会议议程"),
                                         ("sign-in", "鸿翔花园第14次“1+8”协商议事会议签到表")])
def test_export_the_papers_of_a_planned_meeting_as_docx_and_pdf(planned_file, tmp_path, kind, title):
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        out = tmp_path / f"{kind}.{fmt}"
        done = run("export", kind, "--db", planned_file, "--compound", "鸿翔花园", "--meeting", 14, "-o", out)
        assert done.returncode == 0, done.stderr
        assert f"已导出:{out}" in done.stdout
        text = read(out)
        assert title in text and "2026年12月8日" in text
        assert ("雨后地库入口积水" in text) == (kind == "agenda")      # backgrounds on the agenda only


def test_export_minutes_of_a_meeting_not_yet_held_is_refused_in_chinese_and_writes_nothing(planned_file, tmp_path):
    out = tmp_path / "m14.pdf"
    done = run("export", "minutes", "--db", planned_file, "--compound", "鸿翔花园", "--meeting", 14, "-o", out)
    assert done.returncode == 2
    assert "第14次会议尚未召开，还没有会议纪要。会前请打印议程和签到表。" in done.stderr
    assert not out.exists()


def test_export_notice_writes_docx_and_pdf_that_open(db_file, tmp_path):
    own = tmp_path / "demo.db"                           # the public address is set: a copy of its own
    copy_db(db_file, own)
    assert run("config", "set", "public-url", "https://yishi.example.cn/", "--db", own).returncode == 0
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        out = tmp_path / f"notice.{fmt}"
        done = run("export", "notice", "--db", own, "--compound", "怡乐花园", "--format", fmt, "-o", out)
        assert done.returncode == 0, done.stderr
        assert "怡乐花园协商议事结果公示" in read(out)
        assert "https://yishi.example.cn/board/" in read(out)


def test_export_register_writes_xlsx_and_csv_with_every_issue(db_file, tmp_path):
    issues = scalar(open_db(db_file), """SELECT count(*) FROM issues i JOIN compounds c ON c.id = i.compound_id
                                         WHERE c.name = '鸿翔花园' AND i.merged_into_id IS NULL""")
    xlsx, csv_file = tmp_path / "reg.xlsx", tmp_path / "reg.csv"
    assert run("export", "register", "--db", db_file, "--compound", "鸿翔花园", "-o", xlsx).returncode == 0
    assert run("export", "register", "--db", db_file, "--compound", "鸿翔花园", "--format", "csv",
               "-o", csv_file).returncode == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.max_row == issues + 1 and sheet["A1"].value == "标题"
    assert len(list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))) == issues + 1


def test_export_report_for_an_area_or_a_compound_writes_docx_and_xlsx(db_file, tmp_path):
    docx_out, xlsx_out = tmp_path / "area.docx", tmp_path / "yile.xlsx"
    assert run("export", "report", "--db", db_file, "--area", "南湾街道", "--month", "2025-03",
               "-o", docx_out).returncode == 0
    assert "南湾街道2025年3月协商议事月报" in docx_text(docx_out)
    assert run("export", "report", "--db", db_file, "--compound", "鸿翔花园", "--month", "2025-03",
               "--format", "xlsx", "-o", xlsx_out).returncode == 0
    overview = openpyxl.load_workbook(xlsx_out)["概况"]
    assert [row for row in overview.iter_rows(values_only=True) if row[0] == "召开会议（次）"] == [("召开会议（次）", 1)]


def test_export_ics_writes_a_calendar_of_the_standing_rule(db_file, tmp_path):
    out = tmp_path / "hx.ics"
    assert run("export", "ics", "--db", db_file, "--compound", "鸿翔花园", "-o", out).returncode == 0
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    # One recurring event (the compound's "3 fixed" rule), not a dozen fixed ones.
    assert len(events) == 1 and "鸿翔花园" in str(events[0]["summary"]) and events[0]["rrule"]["BYDAY"] == ["2TU"]


def test_import_register_dry_run_prints_the_report_and_writes_nothing(db_file, tmp_path):
    exported = tmp_path / "reg.xlsx"
    run("export", "register", "--db", db_file, "--compound", "鸿翔花园", "-o", exported)
    before = scalar(open_db(db_file), "SELECT count(*) FROM issues")
    done = run("import", "register", "--db", db_file, "--compound", "示例花园01", exported, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "检查通过:共 15 条议题可以导入" in done.stdout and "试导入" in done.stdout
    assert scalar(open_db(db_file), "SELECT count(*) FROM issues") == before


def test_import_register_writes_the_rows_of_a_good_file(demo_path, tmp_path):
    db_file = tmp_path / "w.db"
    copy_db(demo_path, db_file)
    source = tmp_path / "new.csv"
    source.write_text("标题,类别,阶段,提出方,提出日期\n5栋门禁失灵,治安,巡访问事,居民,2025-10-02\n", encoding="utf-8")
    done = run("import", "register", "--db", db_file, "--compound", "示例花园01", source)
    assert done.returncode == 0, done.stderr
    assert "已导入 1 条议题" in done.stdout
    assert scalar(open_db(db_file), "SELECT count(*) FROM issues WHERE title = '5栋门禁失灵'") == 1


def test_import_register_with_a_bad_row_exits_1_with_the_row_report(db_file, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("标题,类别,阶段,提出方,提出日期\n门禁失灵,火星,巡访问事,居民,2025-10-02\n", encoding="utf-8")
    done = run("import", "register", "--db", db_file, "--compound", "鸿翔花园", source)
    assert done.returncode == 1
    assert "第 2 行「类别」:未知类别“火星”" in done.stderr


def test_import_register_of_a_file_that_is_not_a_spreadsheet_exits_1(db_file, tmp_path):
    source = tmp_path / "fake.xlsx"
    source.write_text("这不是表格", encoding="utf-8")
    done = run("import", "register", "--db", db_file, "--compound", "鸿翔花园", source)
    assert done.returncode == 1
    assert "不是有效的 Excel" in done.stderr and "未写入任何数据" in done.stderr


@pytest.mark.parametrize("args, message", [
    (("export", "minutes", "--compound", "不存在花园", "--meeting", 1, "-o", "x.docx"), "找不到小区“不存在花园”"),
    (("export", "minutes", "--compound", "鸿翔花园", "--meeting", 99, "-o", "x.docx"), "没有第 99 次会议"),
    (("export", "report", "--area", "南湾街道", "--month", "2025-3", "-o", "x.docx"), "月份格式"),
    (("export", "register", "--compound", "鸿翔花园", "-o", "x.txt"), "请用 --format 指定格式"),
    (("export", "agenda", "--compound", "鸿翔花园", "--meeting", 99, "-o", "x.pdf"), "没有第 99 次会议"),
    (("export", "sign-in", "--compound", "鸿翔花园", "--meeting", 13, "-o", "x.md"), "请用 --format 指定格式:docx / pdf"),
    (("import", "register", "--compound", "鸿翔花园", "nowhere.xlsx"), "找不到文件"),
])
def test_a_failed_command_says_why_in_chinese_and_exits_non_zero(db_file, tmp_path, args, message):
    args = tuple(str(tmp_path / a) if str(a).startswith(("x.", "nowhere")) else a for a in args)
    done = run(*args[:2], "--db", db_file, *args[2:])
    assert done.returncode != 0
    assert message in done.stderr
