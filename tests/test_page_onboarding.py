"""The 批量开通 page in AppTest: an admin on an empty database downloads the template, uploads the
南湾 workbook, checks it, applies it and sees the one-time passwords once; a bad workbook shows
its row-by-row report and writes nothing; an officer without the right is told so."""
from __future__ import annotations

from deliberation.services.actors import SYSTEM
from deliberation.services.users import create_user
from deliberation.store import one, open_db

from tests.factories import dump
from tests.page_output import open_page
from tests.page_session import button, texts
from tests.test_onboarding import nanwan_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def empty_db(tmp_path, monkeypatch, password_hash):
    path = tmp_path / "empty.db"
    db = open_db(path)
    admin_id = create_user(db, SYSTEM, "root", "管理员", "admin", password_hash=password_hash)
    monkeypatch.setenv("DELIBERATION_DB", str(path))
    return db, admin_id


def check(at, data: bytes):
    at.file_uploader[0].upload("南湾.xlsx", data, XLSX)
    return button_of_form(at).click().run()


def button_of_form(at):
    return next(b for b in at.get("form_submit_button") if b.label == "检查")


def test_the_admin_checks_then_applies_and_sees_the_passwords_once(tmp_path, monkeypatch, password_hash):
    db, admin_id = empty_db(tmp_path, monkeypatch, password_hash)
    at = open_page("onboarding", user=admin_id)
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == ["下载空白模板(XLSX)"]
    at = check(at, nanwan_workbook())
    assert "检查通过" in texts(at) and one(db, "SELECT count(*) AS n FROM compounds")["n"] == 0
    at = button(at, "开通").click().run()
    assert not at.exception
    shown = texts(at)
    accounts = at.table[0].value
    assert "已开通" in shown and "新账号 24 个" in shown and list(accounts["用户名"])[:2] == ["sec00", "sec01"]
    assert all(len(p) == 12 for p in accounts["一次性密码"])
    assert one(db, "SELECT count(*) AS n FROM compounds")["n"] == 22
    assert "下载账号通知单(PDF,可打印)" in [b.label for b in at.get("download_button")]
    at = button(at, "我已保存,清除密码").click().run()
    assert not at.table and at.file_uploader


def test_a_bad_row_shows_the_report_and_writes_nothing(tmp_path, monkeypatch, password_hash):
    db, admin_id = empty_db(tmp_path, monkeypatch, password_hash)
    before = dump(db)

    def bad(wb):
        wb["小区"]["D3"] = "很多"
    at = check(open_page("onboarding", user=admin_id), nanwan_workbook(bad))
    assert "小区 第 3 行「户数」:应为正整数" in "\n".join(c.value for c in at.code)
    assert not [b for b in at.button if b.label == "开通"]
    assert dump(db) == before


def test_an_officer_without_the_right_is_told_so(tmp_path, monkeypatch, password_hash):
    db, admin_id = empty_db(tmp_path, monkeypatch, password_hash)
    from deliberation.services.compounds import create_area
    area = create_area(db, SYSTEM, "龙岗区", "district")
    officer_id = create_user(db, SYSTEM, "off", "干部", "officer", password_hash=password_hash, area_id=area)
    at = open_page("onboarding", user=officer_id)
    assert not at.exception and "您没有批量开通小区的权限" in texts(at)
    assert not at.file_uploader
