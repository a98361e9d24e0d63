"""协商成员 page through AppTest: seats, members, the standing rules and the categories."""
from __future__ import annotations


import pytest
from streamlit.testing.v1 import AppTest

from deliberation.store import one, rows
from tests.page_output import open_page as run_page
from tests.page_session import user_id

HONGXIANG = 1




def open_page(db, username: str) -> AppTest:
    return run_page("roster", user=user_id(db, username))


def submit(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def test_secretary_sees_the_nine_seats_and_ten_members_of_hongxiang(demo_env):
    at = open_page(demo_env, "hx_secretary")
    assert not at.exception
    seats, members = at.dataframe[0].value, at.dataframe[1].value
    assert len(seats) == 9 and list(seats["法定人数"]).count("必须出席") == 3
    assert len(members) == 10 and "刘海涛" in list(members["姓名"])
    assert "鸿翔花园 · 例会:每月第二个周二 19:00 · 地点:小区党群服务站 · 法定人数:至少 5 个主体" in [
        c.value for c in at.caption]


def test_secretary_adds_a_member_to_a_seat(demo_env):
    db = demo_env
    at = open_page(db, "hx_secretary")
    police = one(db, "SELECT id FROM seats WHERE compound_id = ? AND code = 'police'", [HONGXIANG])["id"]
    at.selectbox(key="roster_add_member_seat").set_value(police)
    at.text_input(key="roster_add_member_name").input("赵警官")
    at.text_input(key="roster_add_member_phone").input("0755-1234567")
    submit(at, "添加成员")
    assert not at.exception and [s.value for s in at.success] == ["成员已添加。"]
    assert "赵警官" in list(at.dataframe[1].value["姓名"])


def test_secretary_changes_the_standing_rules_in_one_save(demo_env):
    db = demo_env
    at = open_page(db, "hx_secretary")
    at.selectbox(key="roster_rules_weekday").set_value(3)
    at.number_input(key="roster_rules_min_seats").set_value(6)
    at.multiselect(key="roster_rules_required").set_value(["party", "owners"])
    submit(at, "保存规则")
    assert not at.exception and [s.value for s in at.success] == ["议事规则已保存。"]
    compound = one(db, "SELECT schedule_rule, quorum_min_seats FROM compounds WHERE id = ?", [HONGXIANG])
    assert compound == {"schedule_rule": "2:3:19:00", "quorum_min_seats": 6}
    assert [r["code"] for r in rows(db, "SELECT code FROM seats WHERE compound_id = ? AND quorum_required = 1 "
                                        "ORDER BY position", [HONGXIANG])] == ["party", "owners"]


def test_secretary_sets_the_stage_deadlines_of_a_category(demo_env):
    db = demo_env
    at = open_page(db, "hx_secretary")
    category = one(db, "SELECT id FROM categories WHERE compound_id = ? AND name = '停车'", [HONGXIANG])["id"]
    at.selectbox(key="roster_days_category").set_value(category).run()
    at.number_input(key=f"roster_days_{category}_acting").set_value(45)
    submit(at, "保存期限")
    assert not at.exception and [s.value for s in at.success] == ["办理期限已保存。"]
    assert '"acting": 45' in one(db, "SELECT stage_days FROM categories WHERE id = ?", [category])["stage_days"]


def test_a_refused_rule_change_shows_the_message_and_keeps_the_input(demo_env):
    at = open_page(demo_env, "hx_secretary")
    at.text_input(key="roster_new_seat_name").input("物业服务企业")
    submit(at, "新增主体")
    assert [e.value for e in at.error] == ["已有名为“物业服务企业”的协商主体"]
    assert at.text_input(key="roster_new_seat_name").value == "物业服务企业"


def test_recorder_reads_the_roster_without_forms(demo_env):
    at = open_page(demo_env, "hx_recorder")
    assert not at.exception
    assert [i.value for i in at.info] == ["您可以查看,修改由支部书记进行。"]
    assert not [b for b in at.button if b.label in ("添加成员", "新增主体", "新增类别")]
    assert next(b for b in at.button if b.label == "保存规则").disabled


def test_admin_manages_the_roster_of_the_first_compound(demo_env):
    at = open_page(demo_env, "admin")
    assert not at.exception and len(at.dataframe[1].value) == 10
    assert [b for b in at.button if b.label == "添加成员"]


@pytest.mark.parametrize("username", ["hx_property", "songyuan_officer"])
def test_seat_representatives_and_officers_are_refused_the_roster(demo_env, username):
    at = open_page(demo_env, username)
    assert [e.value for e in at.error] == ["您的角色不能查看此页面。"]
