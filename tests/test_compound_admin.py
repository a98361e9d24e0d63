"""Areas and compounds managed in the app (issue 12): create, rename, move, retire and settings,
through the services and the command line, with who may do it (admin; an officer granted the right,
only under their own area)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from deliberation.model.errors import DomainError, PermissionDenied, StaleRecord
from deliberation.model.schedule import ScheduleRule
from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.compound_admin import (management_tree, move_area, move_compound, rename_area,
                                                  rename_compound, retire_area, retire_compound)
from deliberation.services.compounds import (create_area, create_compound, find_area, find_compound, get_compound,
                                             list_compounds, update_compound_settings)
from deliberation.services.issue_view import issue_detail
from deliberation.services.managing import set_compound_management
from deliberation.services.rollup import area_rollup
from deliberation.store import one, open_db, rows, scalar
from tests.factories import dump, is_chinese, make_issue

ROOT = Path(__file__).resolve().parents[1]
MARKUP = "<b>红</b>[点我](javascript:alert(1))**花园**"


def events_since(db, last_id: int) -> list[dict]:
    return rows(db, "SELECT kind, compound_id, note, data FROM events WHERE id > ? ORDER BY id", [last_id])


def last_event_id(db) -> int:
    return scalar(db, "SELECT coalesce(max(id), 0) FROM events")


def granted(world, username: str = "officer"):
    """The officer with the right granted by the admin (re-loaded, as a page run would)."""
    actor = world.actors[username]
    set_compound_management(world.db, world.actors["admin"], actor.user_id, True)
    return load_actor(world.db, actor.user_id)


# --- create ---------------------------------------------------------------------------------------

def test_admin_builds_a_district_tree_and_a_compound_with_the_default_seats(fresh_db):
    db, before = fresh_db, last_event_id(fresh_db)
    district = create_area(db, SYSTEM, "龙岗区", "district")
    street = create_area(db, SYSTEM, "南湾街道", "subdistrict", district)
    community = create_area(db, SYSTEM, "丹竹头社区", "community", street)
    compound_id = create_compound(db, SYSTEM, community, "怡乐花园", address="南湾街道丹竹头", households=1200,
                                  branch_name="怡乐花园联合党支部")
    compound = get_compound(db, compound_id)
    assert (compound.area_path, compound.branch_name, compound.households) == (
        "龙岗区/南湾街道/丹竹头社区", "怡乐花园联合党支部", 1200)
    assert scalar(db, "SELECT count(*) FROM seats WHERE compound_id = ?", [compound_id]) == 9
    kinds = [e["kind"] for e in events_since(db, before)]
    assert kinds == ["area_created", "area_created", "area_created", "compound_created"]
    # Events name ids, never the typed names.
    assert not any("怡乐" in e["note"] + e["data"] or "南湾" in e["note"] + e["data"] for e in events_since(db, before))


@pytest.mark.parametrize("level, parent, message", [
    ("community", "罗湖区", "社区必须隶属于街道"),
    ("subdistrict", "松园社区", "街道必须隶属于区"),
    ("province", "罗湖区", "未知的区域层级"),
])
def test_an_area_under_a_parent_of_the_wrong_level_is_refused(world, level, parent, message):
    with pytest.raises(DomainError, match=message):
        create_area(world.db, SYSTEM, "新区域", level, world.areas[parent])


def test_a_compound_directly_under_a_district_is_refused(world):
    with pytest.raises(DomainError, match="小区必须隶属于社区或街道"):
        create_compound(world.db, SYSTEM, world.areas["罗湖区"], "新花园")


def test_markup_in_names_is_kept_as_typed(world):
    compound_id = create_compound(world.db, SYSTEM, world.areas["松园社区"], MARKUP, branch_name=MARKUP + "党支部")
    assert (get_compound(world.db, compound_id).name, get_compound(world.db, compound_id).branch_name) == (
        MARKUP, MARKUP + "党支部")


@pytest.mark.parametrize("name, message", [("  ", "不能为空"), ("甲" * 61, "不能超过 60 个字"),
                                           ("一\n二", "换行")])
def test_an_empty_overlong_or_multiline_name_is_refused(world, name, message):
    with pytest.raises(DomainError, match=message):
        create_compound(world.db, SYSTEM, world.areas["松园社区"], name)


# --- rename and move ------------------------------------------------------------------------------

def test_rename_and_move_keep_the_compound_and_its_issues(world):
    db, admin = world.db, world.actors["admin"]
    issue_id = make_issue(db, world.actors["secretary_a"], world.a)
    rename_compound(db, admin, world.a, get_compound(db, world.a).version, "甲花园(一期)")
    move_compound(db, admin, world.a, get_compound(db, world.a).version, world.areas["湖贝社区"])
    compound = get_compound(db, world.a)
    assert (compound.name, compound.area_path) == ("甲花园(一期)", "罗湖区/东门街道/湖贝社区")
    assert one(db, "SELECT compound_id FROM issues WHERE id = ?", [issue_id]) == {"compound_id": world.a}
    # The officer of 东门街道 now sees it; the one of 松园社区 no longer does.
    assert world.a in load_actor(db, world.actors["officer_other"].user_id).compound_ids
    assert world.a not in load_actor(db, world.actors["officer"].user_id).compound_ids


def test_a_compound_cannot_be_renamed_to_a_name_its_area_already_has(world):
    with pytest.raises(DomainError, match="已有名为“乙花园”的小区"):
        rename_compound(world.db, SYSTEM, world.a, get_compound(world.db, world.a).version, "乙花园")


def test_an_area_moves_under_another_parent_of_its_level(world):
    db = world.db
    move_area(db, SYSTEM, world.areas["松园社区"], world.areas["东门街道"])
    assert get_compound(db, world.a).area_path == "罗湖区/东门街道/松园社区"
    rename_area(db, SYSTEM, world.areas["东门街道"], "东门新街道")
    assert get_compound(db, world.a).area_path == "罗湖区/东门新街道/松园社区"


def test_moving_an_area_under_itself_or_below_it_is_refused(world):
    db, before = world.db, dump(world.db)
    with pytest.raises(DomainError, match="不能把区域迁到它自己或它的下级区域之下"):
        move_area(db, SYSTEM, world.areas["桂园街道"], world.areas["松园社区"])
    with pytest.raises(DomainError, match="不能把区域迁到它自己"):
        move_area(db, SYSTEM, world.areas["桂园街道"], world.areas["桂园街道"])
    with pytest.raises(DomainError, match="社区必须隶属于街道"):
        move_area(db, SYSTEM, world.areas["松园社区"], world.areas["罗湖区"])
    assert dump(db) == before


# --- retire ---------------------------------------------------------------------------------------

def test_retiring_an_area_with_live_compounds_is_refused_in_chinese(world):
    with pytest.raises(DomainError, match="“松园社区”下还有 2 个未撤销的小区") as refused:
        retire_area(world.db, SYSTEM, world.areas["松园社区"])
    assert is_chinese(refused.value.message)
    retire_compound(world.db, SYSTEM, world.compounds["C"], get_compound(world.db, world.compounds["C"]).version)
    with pytest.raises(DomainError, match="下还有 1 个未撤销的下级区域"):
        retire_area(world.db, SYSTEM, world.areas["东门街道"])


def test_a_retired_compound_leaves_pickers_and_rollup_but_its_records_stay_readable(world):
    db, admin = world.db, world.actors["admin"]
    issue_id = make_issue(db, world.actors["secretary_a"], world.a, title="高空抛物")
    retire_compound(db, admin, world.a, get_compound(db, world.a).version)
    assert world.a not in [c["id"] for c in list_compounds(db, admin)]
    assert [r["compound_id"] for r in area_rollup(db, admin, world.areas["罗湖区"])["rows"]] == [
        world.compounds["B"], world.compounds["C"]]
    # History stays: the compound, its issue and its events are all still there.
    assert get_compound(db, world.a).name == "甲花园"
    assert issue_detail(db, admin, issue_id)["issue"]["title"] == "高空抛物"
    assert scalar(db, "SELECT count(*) FROM events WHERE compound_id = ? AND kind = 'compound_retired'",
                  [world.a]) == 1
    with pytest.raises(DomainError, match="已撤销"):
        rename_compound(db, admin, world.a, get_compound(db, world.a).version, "新名")


def test_an_emptied_area_retires_and_leaves_the_rollup_picker(world):
    db = world.db
    for key in ("A", "B"):
        retire_compound(db, SYSTEM, world.compounds[key], get_compound(db, world.compounds[key]).version)
    retire_area(db, SYSTEM, world.areas["松园社区"])
    from deliberation.services.area_report import areas_for
    names = [a["name"] for a in areas_for(db, world.actors["admin"])]
    assert "松园社区" not in names and "桂园街道" in names
    with pytest.raises(DomainError, match="已撤销"):
        create_compound(db, SYSTEM, world.areas["松园社区"], "新花园")


# --- settings and stale edits ---------------------------------------------------------------------

def test_admin_edits_a_compounds_settings_and_the_event_names_only_the_fields(world):
    db, before = world.db, last_event_id(world.db)
    changed = update_compound_settings(
        db, world.actors["admin"], world.a, get_compound(db, world.a).version, address="深圳市罗湖区松园路 8 号",
        households=640, branch_name="甲花园联合党支部", schedule=ScheduleRule.from_text("1:3:20:00"),
        place="甲花园二楼会议室", quorum_min_seats=6, objection_window_days=10, objection_threshold=5,
        response_limit_hours=48)
    compound = get_compound(db, world.a)
    assert (compound.branch_name, compound.households, compound.schedule.label, compound.place,
            compound.quorum_min_seats, compound.objection_window_days, compound.objection_threshold,
            compound.response_limit_hours) == ("甲花园联合党支部", 640, "每月第一个周四 20:00", "甲花园二楼会议室",
                                               6, 10, 5, 48)
    assert set(changed) == {"address", "households", "branch_name", "schedule_rule", "schedule_place",
                            "quorum_min_seats", "objection_window_days", "objection_threshold", "response_limit_hours"}
    [event] = events_since(db, before)
    assert event["kind"] == "compound_settings_changed" and json.loads(event["data"]) == {"fields": sorted(changed)}
    assert "联合党支部" not in event["note"] + event["data"]


@pytest.mark.parametrize("values, message", [({"households": -1}, "户数"), ({"branch_name": " "}, "党支部名称不能为空"),
                                             ({"quorum_min_seats": 0}, "最少出席主体数"),
                                             ({"address": "一" * 201}, "地址")])
def test_bad_settings_are_refused_and_nothing_is_written(world, values, message):
    before = dump(world.db)
    with pytest.raises(DomainError, match=message):
        update_compound_settings(world.db, SYSTEM, world.a, get_compound(world.db, world.a).version, **values)
    assert dump(world.db) == before


def test_a_stale_settings_edit_is_refused_and_the_first_one_stays(world):
    db = world.db
    read_version = get_compound(db, world.a).version
    update_compound_settings(db, SYSTEM, world.a, read_version, branch_name="第一人改的党支部")
    with pytest.raises(StaleRecord, match="已被他人修改"):
        update_compound_settings(db, SYSTEM, world.a, read_version, branch_name="第二人改的党支部")
    with pytest.raises(StaleRecord):
        rename_compound(db, SYSTEM, world.a, read_version, "过期的名字")
    assert (get_compound(db, world.a).branch_name, get_compound(db, world.a).name) == ("第一人改的党支部", "甲花园")


# --- who may ------------------------------------------------------------------------------------

def test_an_officer_without_the_right_cannot_create_a_compound_and_the_attempt_is_audited(world):
    db, officer = world.db, world.actors["officer"]
    before, last = dump(db), last_event_id(db)
    with pytest.raises(PermissionDenied, match="没有管理小区与区域的权限") as refused:
        create_compound(db, officer, world.areas["松园社区"], "新花园")
    assert is_chinese(refused.value.message)
    [event] = events_since(db, last)
    assert event["kind"] == "refused" and json.loads(event["data"])["action"] == "manage_areas"
    assert {k: v for k, v in dump(db).items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}
    assert management_tree(db, officer) is None


def test_an_officer_with_the_right_manages_only_under_their_own_area(world):
    db = world.db
    officer = granted(world)                       # 松园社区
    compound_id = create_compound(db, officer, world.areas["松园社区"], "松园新花园")
    update_compound_settings(db, officer, compound_id, get_compound(db, compound_id).version, households=88)
    assert get_compound(db, compound_id).households == 88
    last = last_event_id(db)
    with pytest.raises(PermissionDenied, match="只能管理本辖区内的区域与小区"):
        create_compound(db, officer, world.areas["湖贝社区"], "越界花园")
    with pytest.raises(PermissionDenied, match="只能管理本辖区"):
        move_compound(db, officer, compound_id, get_compound(db, compound_id).version, world.areas["湖贝社区"])
    with pytest.raises(PermissionDenied, match="只能管理本辖区"):
        retire_compound(db, officer, world.compounds["C"], get_compound(db, world.compounds["C"]).version)
    with pytest.raises(PermissionDenied, match="不能修改或撤销本人所辖的区域本身"):
        rename_area(db, officer, world.areas["松园社区"], "松园大社区")
    with pytest.raises(PermissionDenied):
        create_area(db, officer, "新区", "district")
    assert [e["kind"] for e in events_since(db, last)] == ["refused"] * 5
    assert scalar(db, "SELECT count(*) FROM compounds WHERE name = '越界花园'") == 0
    tree = management_tree(db, officer)
    assert [a["name"] for a in tree["areas"]] == ["松园社区"]
    assert {c["name"] for c in tree["compounds"]} == {"甲花园", "乙花园", "松园新花园"}


def test_a_revoked_right_takes_effect_at_once(world):
    db, admin = world.db, world.actors["admin"]
    officer = granted(world)
    set_compound_management(db, admin, officer.user_id, False)
    with pytest.raises(PermissionDenied, match="没有管理小区与区域的权限"):
        create_compound(db, officer, world.areas["松园社区"], "新花园")


def test_only_the_admin_grants_the_right_and_only_to_an_officer(world):
    db = world.db
    with pytest.raises(PermissionDenied):
        set_compound_management(db, world.actors["officer"], world.actors["officer"].user_id, True)
    with pytest.raises(DomainError, match="只能授权给有所辖区域的社区/街道/区干部账号"):
        set_compound_management(db, world.actors["admin"], world.actors["secretary_a"].user_id, True)


def test_a_secretary_cannot_rename_their_own_compound(world):
    with pytest.raises(PermissionDenied):
        rename_compound(world.db, world.actors["secretary_a"], world.a, get_compound(world.db, world.a).version, "x")


def test_names_are_found_by_path_when_two_areas_share_one(world):
    db = world.db
    create_area(db, SYSTEM, "新村社区", "community", world.areas["桂园街道"])
    create_area(db, SYSTEM, "新村社区", "community", world.areas["东门街道"])
    with pytest.raises(DomainError, match="请连同上级区域写出"):
        find_area(db, "新村社区")
    assert find_area(db, "东门街道/新村社区")["parent_id"] == world.areas["东门街道"]
    assert find_compound(db, "松园社区/甲花园").id == world.a
    slashed = create_compound(db, SYSTEM, world.areas["湖贝社区"], "金色家园1/2期")
    assert find_compound(db, "金色家园1/2期").id == slashed


# --- the command line ----------------------------------------------------------------------------

def run(db_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deliberation", *map(str, args), "--db", str(db_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_command_line_sets_up_a_street_from_an_empty_database(tmp_path):
    db_path = tmp_path / "new.db"
    steps = [("area", "add", "龙岗区", "--level", "区"),
             ("area", "add", "南湾街道", "--level", "街道", "--parent", "龙岗区"),
             ("area", "add", "丹竹头社区", "--level", "社区", "--parent", "南湾街道"),
             ("compound", "add", "怡乐花园", "--area", "丹竹头社区", "--households", 1200, "--branch", "怡乐花园联合党支部",
              "--quorum", 6),
             ("compound", "set", "怡乐花园", "--address", "南湾街道丹竹头", "--schedule", "2:1:19:30",
              "--response-hours", 48),
             ("compound", "rename", "怡乐花园", "怡乐花园(东区)"),
             ("area", "add", "沙塘布社区", "--level", "社区", "--parent", "南湾街道"),
             ("compound", "move", "怡乐花园(东区)", "--area", "沙塘布社区")]
    for step in steps:
        done = run(db_path, *step)
        assert done.returncode == 0, (step, done.stderr)
    db = open_db(db_path)
    compound = find_compound(db, "怡乐花园(东区)")
    assert (compound.area_path, compound.branch_name, compound.households, compound.quorum_min_seats,
            compound.schedule.label, compound.response_limit_hours, compound.address) == (
        "龙岗区/南湾街道/沙塘布社区", "怡乐花园联合党支部", 1200, 6, "每月第二个周二 19:30", 48, "南湾街道丹竹头")
    assert run(db_path, "compound", "retire", "怡乐花园(东区)").returncode == 0
    assert run(db_path, "area", "retire", "沙塘布社区").returncode == 0
    assert find_area(db, "沙塘布社区")["retired_at"]
    db.close()


@pytest.mark.parametrize("args, message", [
    (("compound", "add", "新花园", "--area", "罗湖区"), "小区必须隶属于社区或街道"),
    (("compound", "add", "新花园", "--area", "不存在街道"), "找不到区域“不存在街道”"),
    (("area", "move", "桂园街道", "--parent", "松园社区"), "不能把区域迁到它自己或它的下级区域之下"),
    (("area", "retire", "松园社区"), "未撤销的小区"),
    (("compound", "set", "甲花园", "--households", -5), "户数"),
    (("compound", "set", "甲花园"), "请至少给出一项"),
    (("grant-compounds", "nobody"), "找不到启用中的账号"),
    (("grant-compounds", "secretary_a"), "只能授权给"),
])
def test_command_line_errors_are_chinese_with_a_nonzero_exit_and_no_traceback(world, args, message):
    done = run(world.db.conn.execute("PRAGMA database_list").fetchone()[2], *args)
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr


def test_grant_compounds_on_the_command_line_gives_and_takes_the_right(world):
    path = world.db.conn.execute("PRAGMA database_list").fetchone()[2]
    assert run(path, "grant-compounds", "officer").returncode == 0
    officer = load_actor(world.db, world.actors["officer"].user_id)
    create_compound(world.db, officer, world.areas["松园社区"], "授权后的花园")
    assert run(path, "grant-compounds", "officer", "--revoke").returncode == 0
    with pytest.raises(PermissionDenied):
        create_compound(world.db, officer, world.areas["松园社区"], "收回后的花园")


def test_saving_the_same_settings_again_changes_no_row(world):
    db = world.db
    values = dict(address="松园路 8 号", households=640, branch_name="甲花园联合党支部", place="二楼会议室")
    update_compound_settings(db, SYSTEM, world.a, get_compound(db, world.a).version, **values)
    before = dump(db)
    assert update_compound_settings(db, SYSTEM, world.a, get_compound(db, world.a).version, **values) == []
    after = dump(db)
    # compound_clock is the pages' cache token, renewed by every use case that ran; no data row changed.
    assert {k: v for k, v in after.items() if k != "compound_clock"} == {
        k: v for k, v in before.items() if k != "compound_clock"}


def test_an_officer_without_the_right_cannot_create_a_compound_in_another_area(world):
    """东门街道's officer, not granted, tries 桂园街道's 松园社区: refused in Chinese, audited, nothing written."""
    db, officer = world.db, world.actors["officer_other"]
    before, last = dump(db), last_event_id(db)
    with pytest.raises(PermissionDenied, match="没有管理小区与区域的权限"):
        create_compound(db, officer, world.areas["松园社区"], "越界花园")
    assert [e["kind"] for e in events_since(db, last)] == ["refused"]
    assert {k: v for k, v in dump(db).items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}
