"""Onboarding from one workbook, from an empty database: 南湾街道's 22 garden compounds with their
seats, rosters and accounts; re-running changes nothing; one bad row anywhere writes nothing."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from deliberation.exports.onboarding_template import TemplateCompound, onboarding_template
from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.compounds import find_area
from deliberation.services.onboarding import onboard
from deliberation.services.rollup import area_rollup
from deliberation.services.users import authenticate, create_user
from deliberation.store import one, rows

from tests.factories import dump, is_chinese, rewrite_member

STREET = "龙岗区/南湾街道"
COMMUNITIES = ("南岭村社区", "沙湾社区", "丹竹头社区")
NAMES = ("怡乐花园", "丹竹头花园", "南岭花园", "沙湾花园", "翠湖花园", "碧水花园", "金地花园", "康乐花园",
         "吉祥花园", "宝山花园", "大地花园", "樟树花园", "桂花花园", "新城花园", "龙山花园", "南湾花园",
         "厦村花园", "永恒花园", "信义花园", "心语花园", "平安花园", "<img src=x onerror=alert(1)>星河花园")


def nanwan_workbook(edit=None) -> bytes:
    """The template pre-filled with 22 compounds in three communities, then filled in as an officer
    would with openpyxl: households, one member per seat, a secretary and a recorder each."""
    compounds = tuple(TemplateCompound(f"{STREET}/{COMMUNITIES[i % 3]}", name) for i, name in enumerate(NAMES))
    data = onboarding_template(compounds, areas=("龙岗区", STREET) + tuple(f"{STREET}/{c}" for c in COMMUNITIES))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for n, row in enumerate(wb["小区"].iter_rows(min_row=2), start=1):
        row[3].value = 300 + n                                   # 户数
        row[6].value = f"{row[1].value}党群服务站"                 # 例会地点
    for i, name in enumerate(NAMES):
        for seat in ("党支部", "业主委员会", "物业服务企业"):
            wb["成员"].append([name, seat, f"{name[:2]}{seat[:2]}成员", "委员", "13800000000"])
        wb["账号"].append([f"sec{i:02d}", f"{name}书记", "支部书记", name, "", ""])
    wb["账号"].append(["nanwan_rep", "物业代表", "协商主体代表", "怡乐花园", "", "物业服务企业"])
    wb["账号"].append(["nanwan_officer", "南湾街道干部", "社区/街道干部", "", STREET, ""])
    if edit:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def empty_with_admin(tmp_path_factory, password_hash):
    """An empty migrated database with only an admin account; its file is copied per test."""
    from deliberation.store import open_db
    path = tmp_path_factory.mktemp("onboard") / "empty.db"
    db = open_db(path)
    create_user(db, SYSTEM, "root", "管理员", "admin", password_hash=password_hash)
    db.close()
    return path


@pytest.fixture
def db(fresh_db, empty_with_admin):
    from tests.factories import copy_db
    copy_db(empty_with_admin, fresh_db.conn)
    return fresh_db


def admin(db):
    return load_actor(db, one(db, "SELECT id FROM users WHERE username = 'root'")["id"])


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return nanwan_workbook()


def test_an_empty_database_gets_nanwans_22_compounds_seats_rosters_and_accounts(db, workbook):
    seen = []
    report = onboard(db, admin(db), workbook, dry_run=False, progress=seen.append)
    assert report.ok and report.applied, report.text()
    assert report.counts["小区"] == {"created": 22, "updated": 0, "unchanged": 0}
    assert report.counts["协商席位"]["created"] == 22 * 9
    assert report.counts["成员"]["created"] == 66
    assert len(report.accounts) == 24 and all(len(a.one_time_password) == 12 for a in report.accounts)
    assert seen == sorted(seen) and seen[-1] == 1.0
    street = find_area(db, "南湾街道")
    rollup = area_rollup(db, admin(db), street["id"])
    assert len(rollup["rows"]) == 22
    assert sorted(r["name"] for r in rows(db, "SELECT name FROM compounds")) == sorted(NAMES)
    yile = one(db, "SELECT * FROM compounds WHERE name = '怡乐花园'")
    assert (yile["households"], yile["branch_name"], yile["schedule_place"]) == (301, "怡乐花园党支部", "怡乐花园党群服务站")
    assert one(db, "SELECT count(*) AS n FROM seats WHERE compound_id = ?", [yile["id"]])["n"] == 9
    assert one(db, "SELECT count(*) AS n FROM categories WHERE compound_id = ?", [yile["id"]])["n"] > 0


def test_a_new_secretary_signs_in_with_the_one_time_password_and_must_change_it(db, workbook):
    report = onboard(db, admin(db), workbook, dry_run=False)
    line = next(a for a in report.accounts if a.username == "sec00")
    user_id = authenticate(db, "sec00", line.one_time_password)
    user = one(db, "SELECT * FROM users WHERE id = ?", [user_id])
    assert user["must_change_password"] == 1 and user["role"] == "secretary"
    assert load_actor(db, user_id).compound_ids == {one(db, "SELECT id FROM compounds WHERE name = '怡乐花园'")["id"]}
    officer = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'nanwan_officer'")["id"])
    assert len(officer.compound_ids) == 22


def test_rerunning_the_same_workbook_changes_no_row_and_no_event(db, workbook):
    onboard(db, admin(db), workbook, dry_run=False)
    before = dump(db)
    report = onboard(db, admin(db), workbook, dry_run=False)
    assert report.ok and not report.applied and not report.accounts
    assert report.counts["小区"] == {"created": 0, "updated": 0, "unchanged": 22}
    assert report.counts["成员"] == {"created": 0, "updated": 0, "unchanged": 66}
    assert dump(db) == before


def test_one_bad_row_in_the_last_sheet_writes_nothing_and_names_sheet_row_and_column(db):
    def bad_last_row(wb):
        wb["账号"].append(["bad_one", "某人", "物业经理", "怡乐花园", "", ""])
    before = dump(db)
    report = onboard(db, admin(db), nanwan_workbook(bad_last_row), dry_run=False)
    assert not report.ok and not report.applied
    assert dump(db) == before
    assert [str(p) for p in report.problems] == ["账号 第 26 行「角色」:角色只能是 支部书记、记录员、协商主体代表、社区/街道干部"]
    assert "本次未写入任何数据" in report.text()


def test_problems_in_several_sheets_are_all_reported_at_once(db):
    def spoil(wb):
        wb["小区"]["D24"] = "三百"                     # 户数 of the 23rd compound row: not a number
        wb["小区"].append([f"{STREET}/南岭村社区", "新花园", "", "-5", "", "每周二", ""])
        wb["成员"].append(["不存在花园", "党支部", "某人", "", "12"])
    report = onboard(db, admin(db), nanwan_workbook(spoil), dry_run=True)
    texts = [str(p) for p in report.problems]
    assert "小区 第 25 行「户数」:应为正整数" in texts
    assert "小区 第 25 行「例会时间」:应写成“每月第二个周二 19:00”这样的格式" in texts
    assert any(t.startswith("成员 第 68 行「电话」") for t in texts)
    assert all(is_chinese(t) for t in texts)


def test_a_changed_row_updates_with_an_event_of_ids_and_field_names(db, workbook):
    onboard(db, admin(db), workbook, dry_run=False)

    def change(wb):
        wb["小区"]["D2"] = 999                                   # 怡乐花园's households
        wb["协商席位"]["C7"] = "南岭警务室"                        # rename its 社区警务室 seat
        wb["成员"]["E2"] = "13900000000"                          # a member's phone
    before = dump(db)
    report = onboard(db, admin(db), nanwan_workbook(change), dry_run=False)
    assert report.ok and report.applied
    assert (report.counts["小区"]["updated"], report.counts["协商席位"]["updated"], report.counts["成员"]["updated"]) \
        == (1, 1, 1)
    yile = one(db, "SELECT * FROM compounds WHERE name = '怡乐花园'")
    assert yile["households"] == 999 and yile["version"] == 2
    assert one(db, "SELECT name FROM seats WHERE compound_id = ? AND code = 'police'", [yile["id"]])["name"] \
        == "南岭警务室"
    after = dump(db)
    new_events = after["events"][len(before["events"]):]
    assert [e["kind"] for e in new_events] == ["compound_updated", "seat_renamed", "member_updated", "onboarded"]
    for event in new_events:
        assert event["note"] == "" and "999" not in event["data"] and "13900000000" not in event["data"]
        assert "南岭" not in event["data"]
    changed_tables = {t for t in after if after[t] != before[t]}
    assert changed_tables == {"compounds", "seats", "members", "events", "compound_clock"}


def test_markup_in_names_is_kept_as_text(db, workbook):
    onboard(db, admin(db), workbook, dry_run=False)
    assert one(db, "SELECT name FROM compounds WHERE name LIKE '%星河%'")["name"] == "<img src=x onerror=alert(1)>星河花园"


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(db, workbook):
    before = dump(db)
    report = onboard(db, admin(db), workbook, dry_run=True)
    assert report.ok and not report.applied and not report.accounts
    assert report.counts["小区"]["created"] == 22 and report.counts["账号"]["created"] == 24
    assert "将新建 22" in report.text()
    assert dump(db) == before


def test_an_oversized_or_zip_bomb_or_entity_file_is_refused_before_parsing(db, workbook):
    with pytest.raises(DomainError, match="文件过大"):
        onboard(db, admin(db), b"PK" + b"\0" * (6 * 1024 * 1024), dry_run=True)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    with pytest.raises(DomainError, match="压缩炸弹"):
        onboard(db, admin(db), bomb.getvalue(), dry_run=True)
    entity = rewrite_member(workbook, "xl/workbook.xml",
                            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
    with pytest.raises(DomainError, match="XML 实体"):
        onboard(db, admin(db), entity, dry_run=True)
    with pytest.raises(DomainError, match="Excel"):
        onboard(db, admin(db), b"not a workbook at all", dry_run=True)


def test_only_the_admin_or_an_officer_granted_the_right_may_onboard(db, workbook, password_hash):
    onboard(db, admin(db), workbook, dry_run=False)
    officer_id = one(db, "SELECT id FROM users WHERE username = 'nanwan_officer'")["id"]
    db["users"].update(officer_id, {"must_change_password": 0})     # past the first sign-in
    officer = load_actor(db, officer_id)
    with pytest.raises(PermissionDenied, match="没有管理小区与区域的权限"):
        onboard(db, officer, workbook, dry_run=True)
    secretary = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'sec00'")["id"])
    with pytest.raises(PermissionDenied):
        onboard(db, secretary, workbook, dry_run=True)
    assert one(db, "SELECT count(*) AS n FROM events WHERE kind = 'refused'")["n"] == 2


def test_an_officer_with_the_right_onboards_under_their_area_only(db, workbook):
    onboard(db, admin(db), workbook, dry_run=False)
    officer_id = one(db, "SELECT id FROM users WHERE username = 'nanwan_officer'")["id"]
    db["users"].update(officer_id, {"manages_compounds": 1, "must_change_password": 0})
    officer = load_actor(db, officer_id)

    def own_area(wb):
        wb["区域"].append([f"{STREET}/新湾社区"])                  # a new community under their street
        wb["小区"].append([f"{STREET}/新湾社区", "新开花园", "", "120", "", "", ""])
        wb["账号"].delete_rows(wb["账号"].max_row)                # the officer's own row: officers are the admin's
    report = onboard(db, officer, nanwan_workbook(own_area), dry_run=False)
    assert report.ok and report.applied, report.text()
    assert report.counts["小区"] == {"created": 1, "updated": 0, "unchanged": 22}
    assert report.counts["区域"] == {"created": 1, "updated": 0, "unchanged": 5}
    before = dump(db)

    def elsewhere(wb):
        own_area(wb)
        wb["区域"].append(["罗湖区/桂园街道"])
        wb["小区"].append(["罗湖区/桂园街道", "外区花园", "", "", "", "", ""])
    report = onboard(db, officer, nanwan_workbook(elsewhere), dry_run=False)
    texts = [str(p) for p in report.problems]
    assert "区域 第 8 行「区域路径」:不在您的辖区内:只能在本辖区之下新建区域" in texts
    assert any(t.startswith("小区 第 25 行「所属区域」") for t in texts)
    assert dump(db) == before


def test_the_template_has_the_sheets_headers_and_default_seats():
    data = onboarding_template((TemplateCompound(STREET, "怡乐花园"),))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["说明", "区域", "小区", "协商席位", "成员", "账号"]
    assert [c.value for c in wb["小区"][1]] == ["所属区域", "小区名称", "地址", "户数", "党支部名称", "例会时间", "例会地点"]
    seats = [[c.value for c in row] for row in wb["协商席位"].iter_rows(min_row=2)]
    assert len(seats) == 9 and seats[0] == ["怡乐花园", "party", "党支部"]


def test_a_changed_account_row_updates_the_account_without_a_new_password(db, workbook):
    onboard(db, admin(db), workbook, dry_run=False)
    hashed = one(db, "SELECT password_hash FROM users WHERE username = 'sec01'")["password_hash"]

    def rename(wb):
        wb["账号"]["B3"] = "丹竹头花园新书记"
    report = onboard(db, admin(db), nanwan_workbook(rename), dry_run=False)
    assert report.counts["账号"] == {"created": 0, "updated": 1, "unchanged": 23} and not report.accounts
    user = one(db, "SELECT * FROM users WHERE username = 'sec01'")
    assert (user["display_name"], user["password_hash"]) == ("丹竹头花园新书记", hashed)
    event = one(db, "SELECT * FROM events WHERE kind = 'user_scope_changed'")
    assert event["data"] == f'{{"user_id": {user["id"]}, "fields": ["display_name"]}}'


def test_the_workbook_cannot_take_over_the_admin_account(db, workbook):
    def steal(wb):
        wb["账号"].append(["root", "冒名", "支部书记", "怡乐花园", "", ""])
    report = onboard(db, admin(db), nanwan_workbook(steal), dry_run=False)
    assert [str(p) for p in report.problems] == ["账号 第 26 行「用户名」:用户名“root”已被使用,且不能通过工作簿修改"]
    assert one(db, "SELECT role FROM users WHERE username = 'root'")["role"] == "admin"


def test_an_empty_template_is_reported_not_applied(db):
    report = onboard(db, admin(db), onboarding_template(), dry_run=True)
    assert [str(p) for p in report.problems] == ["工作簿中没有可开通的数据(各工作表表头下方没有数据行)"]


def test_the_command_line_onboards_reports_in_chinese_and_fails_on_a_bad_row(tmp_path, empty_with_admin, capsys):
    from deliberation.cli import main
    from tests.factories import copy_db
    path = tmp_path / "cli.db"
    copy_db(empty_with_admin, path)
    assert main(["export", "onboarding-template", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "说明"

    def bad(wb):
        wb["成员"]["E5"] = "电话号码"
    (tmp_path / "bad.xlsx").write_bytes(nanwan_workbook(bad))
    capsys.readouterr()
    assert main(["onboard", str(tmp_path / "bad.xlsx"), "--db", str(path)]) == 1
    assert "成员 第 5 行「电话」:电话号码格式不正确" in capsys.readouterr().err
    (tmp_path / "good.xlsx").write_bytes(nanwan_workbook())
    assert main(["onboard", str(tmp_path / "good.xlsx"), "--db", str(path), "--dry-run"]) == 0
    assert "小区:将新建 22" in capsys.readouterr().out
    sheet = tmp_path / "accounts.pdf"
    assert main(["onboard", str(tmp_path / "good.xlsx"), "--db", str(path), "--account-sheet", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "小区:新建 22" in out and "sec00" in out and sheet.read_bytes().startswith(b"%PDF")
    assert main(["onboard", str(tmp_path / "missing.xlsx"), "--db", str(path)]) != 0
    assert "找不到文件" in capsys.readouterr().err


def test_two_uploads_at_once_onboard_once(db, workbook):
    """Both check and hash outside the lock; the second re-checks inside it and finds nothing left to do."""
    from deliberation.store import open_db
    from tests.factories import db_path, run_together
    reports = []

    def upload():
        own = open_db(db_path(db))
        try:
            reports.append(onboard(own, admin(own), workbook, dry_run=False))
        finally:
            own.close()
    run_together(upload, 2)
    assert sorted(r.applied for r in reports) == [False, True] and all(r.ok for r in reports)
    assert one(db, "SELECT count(*) AS n FROM compounds")["n"] == 22
    assert one(db, "SELECT count(*) AS n FROM users")["n"] == 25
    assert one(db, "SELECT count(*) AS n FROM events WHERE kind = 'onboarded'")["n"] == 1
