"""Importing a 台账 into a compound: the round trip from the demo data, all-or-nothing writes, and
bad files refused with their message and nothing written."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from deliberation.exports.register import register_csv, register_template_xlsx, register_xlsx
from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.compounds import create_compound, find_area, find_compound
from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.documents import register_rows, register_vocabulary
from deliberation.services.register_import import import_register
from deliberation.store import one, rows, scalar
from tests.factories import rewrite_member

GOOD_ROW = {"title": "5栋门禁失灵", "category": "治安", "stage": "巡访问事", "raised_by": "居民",
            "channel": "", "raised_on": "2025-10-02", "building": "5栋", "priority": "高",
            "description": "门禁刷卡无反应", "public_summary": "", "resolved_level": "", "resolved_on": "",
            "closed_reason": "", "households": 3}


def actor(db, username: str):
    return load_actor(db, one(db, "SELECT id FROM users WHERE username = ?", [username])["id"])


def counts(db) -> dict:
    return {table: scalar(db, f"SELECT count(*) FROM {table}") for table in ("issues", "events", "reports")}


def empty_compound(db, name: str = "新建花园") -> int:
    return create_compound(db, SYSTEM, find_area(db, "松园社区")["id"], name, place="新建花园党群服务站",
                           households=800)


def by_key(found: list[dict]) -> list[dict]:
    return sorted(found, key=lambda r: (r["raised_on"], r["title"]))


# ------------------------------------------------------------------ the round trip

@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_hongxiangs_register_exported_and_imported_into_an_empty_compound_gives_the_same_issues(demo_copy, fmt):
    hongxiang = find_compound(demo_copy, "鸿翔花园").id
    original = register_rows(demo_copy, SYSTEM, hongxiang)
    data = register_xlsx(original) if fmt == "xlsx" else register_csv(original)
    target = empty_compound(demo_copy)
    result = import_register(demo_copy, actor(demo_copy, "admin"), target, f"鸿翔花园台账.{fmt}", data)
    assert result.ok and result.written == len(original) == 15
    assert by_key(register_rows(demo_copy, SYSTEM, target)) == by_key(original)
    levels = rows(demo_copy, "SELECT resolved_level, count(*) AS n FROM issues WHERE compound_id = ? GROUP BY 1",
                  [target])
    assert levels == rows(demo_copy, """SELECT resolved_level, count(*) AS n FROM issues WHERE compound_id = ?
                                        AND merged_into_id IS NULL GROUP BY 1""", [hongxiang])


def test_every_imported_issue_gets_an_imported_event_naming_the_file_and_row(demo_copy):
    target = empty_compound(demo_copy)
    data = register_xlsx([GOOD_ROW, {**GOOD_ROW, "title": "北门路灯不亮", "category": "环境绿化"}])
    result = import_register(demo_copy, SYSTEM, target, "十月台账.xlsx", data)
    events = rows(demo_copy, "SELECT issue_id, to_stage, note, data FROM events WHERE kind = 'imported' "
                             "AND compound_id = ? ORDER BY id", [target])
    assert [e["issue_id"] for e in events] == list(result.issue_ids)
    assert [json.loads(e["data"]) for e in events] == [{"file": "十月台账.xlsx", "row": 2},
                                                       {"file": "十月台账.xlsx", "row": 3}]
    assert all(e["to_stage"] == "collected" and "十月台账.xlsx" in e["note"] for e in events)
    assert scalar(demo_copy, "SELECT count(*) FROM reports WHERE issue_id = ?", [result.issue_ids[0]]) == 3
    assert one(demo_copy, "SELECT count(*) AS n FROM events WHERE kind = 'register_imported' AND compound_id = ?",
               [target])["n"] == 1


def test_resolved_and_closed_rows_keep_their_level_date_and_reason(demo_copy):
    target = empty_compound(demo_copy)
    data = register_xlsx([
        {**GOOD_ROW, "stage": "已办结", "resolved_level": "街道", "resolved_on": "2025-11-01"},
        {**GOOD_ROW, "title": "违建拆除", "category": "违建", "stage": "已关闭(未解决)", "closed_reason": "不属小区职责"},
    ])
    import_register(demo_copy, SYSTEM, target, "t.xlsx", data)
    found = rows(demo_copy, """SELECT stage, resolved_level, resolved_on, closed_reason, stage_due_on FROM issues
                               WHERE compound_id = ? ORDER BY id""", [target])
    assert found == [
        {"stage": "resolved", "resolved_level": "subdistrict", "resolved_on": "2025-11-01", "closed_reason": None,
         "stage_due_on": None},
        {"stage": "closed", "resolved_level": None, "resolved_on": None, "closed_reason": "not_our_remit",
         "stage_due_on": None},
    ]


def test_a_dry_run_reports_and_writes_nothing(demo_copy):
    target = empty_compound(demo_copy)
    before = counts(demo_copy)
    result = import_register(demo_copy, SYSTEM, target, "t.csv", register_csv([GOOD_ROW]), dry_run=True)
    assert result.ok and result.written == 0 and "检查通过:共 1 条" in result.report
    assert counts(demo_copy) == before


def test_progress_is_reported_row_by_row_up_to_the_total(demo_copy):
    seen = []
    import_register(demo_copy, SYSTEM, empty_compound(demo_copy), "t.xlsx",
                    register_xlsx([GOOD_ROW] * 5), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 5) for n in range(1, 6)]


def test_the_import_template_lists_the_compounds_vocabulary_and_its_example_row_is_skipped(demo_copy):
    target = empty_compound(demo_copy)
    categories, seats = register_vocabulary(demo_copy, SYSTEM, target)
    template = register_template_xlsx(categories, seats)
    result = import_register(demo_copy, SYSTEM, target, "模板.xlsx", template, dry_run=True)
    assert not result.ok and result.check.skipped == (2,)
    assert "没有可导入的议题" in result.report


# ------------------------------------------------------------------ refused, nothing written

def bad_workbook_with_a_doctype() -> bytes:
    evil = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol1;</t></is></c></row></sheetData></worksheet>"""
    return rewrite_member(register_xlsx([GOOD_ROW]), "xl/worksheets/sheet1.xml", evil)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def missing_column() -> bytes:
    return "标题,类别,提出日期\n门禁失灵,治安,2025-10-02\n".encode("utf-8")


REFUSED_FILES = {
    "missing column": ("t.csv", missing_column, "缺少必需的列:阶段"),
    "text named xlsx": ("台账.xlsx", lambda: "这不是表格".encode("utf-8"), "不是有效的 Excel"),
    "zip bomb": ("台账.xlsx", zip_bomb, "疑似压缩炸弹"),
    "entity expansion": ("台账.xlsx", bad_workbook_with_a_doctype, "不安全的 XML 实体"),
}


@pytest.mark.parametrize("case", REFUSED_FILES)
def test_a_file_that_cannot_be_read_is_refused_with_its_message_and_nothing_written(demo_copy, case):
    filename, make, message = REFUSED_FILES[case]
    target = find_compound(demo_copy, "鸿翔花园").id
    before = counts(demo_copy)
    with pytest.raises(DomainError, match=message):
        import_register(demo_copy, actor(demo_copy, "hx_secretary"), target, filename, make())
    assert counts(demo_copy) == before


BAD_ROWS = {
    "unknown category": ({"category": "火星"}, "第 3 行「类别」:未知类别“火星”"),
    "bad date": ({"raised_on": "2025-13-02"}, "第 3 行「提出日期」:日期“2025-13-02”无效"),
    "unknown close reason": ({"stage": "已关闭(未解决)", "closed_reason": "看心情"}, "第 3 行「关闭原因」:未知关闭原因"),
    "more households than the compound": ({"households": 99999}, "第 3 行「反映户数」"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_one_bad_row_refuses_the_whole_file_with_a_row_report_and_nothing_written(demo_copy, case):
    change, message = BAD_ROWS[case]
    target = find_compound(demo_copy, "鸿翔花园").id
    before = counts(demo_copy)
    data = register_xlsx([GOOD_ROW, {**GOOD_ROW, **change}])
    result = import_register(demo_copy, actor(demo_copy, "hx_recorder"), target, "台账.xlsx", data)
    assert not result.ok and result.written == 0
    assert message in result.report and "本次未写入任何数据" in result.report
    assert counts(demo_copy) == before


def test_roles_that_may_not_raise_and_edit_issues_are_refused_and_nothing_is_imported(demo_copy):
    hongxiang = find_compound(demo_copy, "鸿翔花园").id
    data = register_xlsx([GOOD_ROW])
    for username in ("hx_property", "songyuan_officer", "yl_secretary"):
        issues = scalar(demo_copy, "SELECT count(*) FROM issues")
        with pytest.raises(PermissionDenied):
            import_register(demo_copy, actor(demo_copy, username), hongxiang, "t.xlsx", data)
        assert scalar(demo_copy, "SELECT count(*) FROM issues") == issues


def test_an_imported_history_reports_its_resolutions_in_their_month_and_not_as_open_later(demo_copy):
    from deliberation.services.reports import report_view
    hongxiang = find_compound(demo_copy, "鸿翔花园").id
    target = empty_compound(demo_copy)
    import_register(demo_copy, SYSTEM, target, "鸿翔.xlsx", register_xlsx(register_rows(demo_copy, SYSTEM, hongxiang)))
    for month in ("2024-06", "2025-03"):
        original = report_view(demo_copy, SYSTEM, compound_id=hongxiang, month=month)
        imported = report_view(demo_copy, SYSTEM, compound_id=target, month=month)
        assert imported.resolved_by_level == original.resolved_by_level
    assert report_view(demo_copy, SYSTEM, compound_id=target, month="2025-06").issues_by_stage == ()
