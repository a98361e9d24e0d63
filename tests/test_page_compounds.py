"""小区与区域管理 through AppTest on a copy of the demo: the admin adds a compound and edits its settings;
an officer without the right is told why and cannot create one; a granted officer works only in
their own area; a refused form keeps what was typed; names with markup show as typed."""
from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from deliberation.services.actors import load_actor
from deliberation.services.compounds import find_area, find_compound, update_compound_settings
from deliberation.services.managing import set_compound_management
from deliberation.store import one, scalar
from tests.page_output import markdown_sources, open_page
from tests.page_session import texts, user_id

MARKUP = "<img src=x onerror=alert(1)>**红**花园"


def page(db, username: str, tab: str | None = None, **state) -> AppTest:
    if tab:
        state["compounds_tab"] = tab
    return open_page("compounds", user=user_id(db, username), state=state)


def submit(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def grant(db, username: str) -> None:
    admin = load_actor(db, user_id(db, "admin"))
    set_compound_management(db, admin, user_id(db, username), True)


def test_admin_sees_the_tree_with_nanwans_22_compounds(demo_env):
    at = page(demo_env, "admin")
    assert not at.exception
    table = at.dataframe[0].value
    assert {"\u3000南湾街道", "\u3000\u3000怡乐花园", "\u3000\u3000\u3000鸿翔花园"} <= set(table["名称"])
    assert list(table["类别"]).count("小区") == scalar(demo_env, "SELECT count(*) FROM compounds")


def test_admin_adds_a_compound_with_its_branch(demo_env):
    db = demo_env
    at = page(db, "admin", "新增")
    songyuan = find_area(db, "松园社区")["id"]
    at.text_input(key="compounds_compound_name").input("松园新村")
    at.selectbox(key="compounds_compound_area").set_value(songyuan)
    at.number_input(key="compounds_compound_households").set_value(320)
    at.text_input(key="compounds_compound_branch").input("松园新村联合党支部")
    at = submit(at, "添加小区")
    assert not at.exception and [s.value for s in at.success] == [
        "已添加小区“松园新村”,含默认的“1+8”协商主体与议题分类。"]
    compound = find_compound(db, "松园新村")
    assert (compound.area_id, compound.households, compound.branch_name) == (songyuan, 320, "松园新村联合党支部")
    assert at.text_input(key="compounds_compound_name").value == ""        # saved: the form is emptied


def test_a_refused_compound_keeps_what_was_typed_and_shows_the_chinese_reason(demo_env):
    db = demo_env
    at = page(db, "admin", "新增")
    at.text_input(key="compounds_compound_name").input("鸿翔花园")         # 松园社区 already has it
    at.selectbox(key="compounds_compound_area").set_value(find_area(db, "松园社区")["id"])
    at.text_input(key="compounds_compound_address").input("松园路 1 号")
    at = submit(at, "添加小区")
    assert [e.value for e in at.error] == ["该区域已有名为“鸿翔花园”的小区"]
    assert (at.text_input(key="compounds_compound_name").value,
            at.text_input(key="compounds_compound_address").value) == ("鸿翔花园", "松园路 1 号")


def test_an_officer_without_the_right_is_told_why_and_offered_no_form(demo_env):
    at = page(demo_env, "nanwan_officer", "新增")
    assert not at.exception
    assert "您暂未获得管理小区与区域的权限" in texts(at)
    assert not [b for b in at.button if b.label == "添加小区"]


def test_an_officer_without_the_right_cannot_create_a_compound_in_another_area(demo_env):
    """南湾街道's officer, granted the right for 南湾街道, is offered only its areas; 桂园街道's officer,
    without the right, is offered nothing. (The service's refusal of a crafted call, audited, is in
    test_compound_admin.py.)"""
    db = demo_env
    grant(db, "nanwan_officer")
    at = page(db, "nanwan_officer", "新增")
    options = at.selectbox(key="compounds_compound_area").options
    assert options and all(o.startswith("龙岗区/南湾街道") for o in options)
    assert not any("松园社区" in o for o in options)
    at = page(db, "guiyuan_officer", "新增")
    assert "您暂未获得管理小区与区域的权限" in texts(at)
    assert not at.text_input and not [b for b in at.button if b.label == "添加小区"]


def test_a_granted_officer_adds_a_compound_in_their_own_area(demo_env):
    db = demo_env
    grant(db, "nanwan_officer")
    at = page(db, "nanwan_officer", "新增")
    assert "您可以管理“龙岗区/南湾街道”及其下级的区域与小区" in texts(at)
    at.text_input(key="compounds_compound_name").input("南湾新花园")
    at = submit(at, "添加小区")
    assert not at.exception and not at.error
    assert "南湾街道" in find_compound(db, "南湾新花园").area_path


def test_admin_changes_the_branch_name_and_a_stale_form_is_refused(demo_env):
    db = demo_env
    hongxiang = find_compound(db, "鸿翔花园").id
    at = page(db, "admin", "小区设置")
    at.selectbox(key="compounds_settings_pick").set_value(hongxiang).run()
    at.text_input(key=f"compounds_settings_{hongxiang}_branch").input("鸿翔花园联合党支部(新)")
    at = submit(at, "保存设置")
    assert not at.error and [s.value for s in at.success] == ["已保存“鸿翔花园”的设置。"]
    assert find_compound(db, "鸿翔花园").branch_name == "鸿翔花园联合党支部(新)"
    # Someone else saves in between: this form's next save is refused and keeps what was typed.
    at.text_input(key=f"compounds_settings_{hongxiang}_place").input("新的会议室")
    update_compound_settings(db, load_actor(db, user_id(db, "admin")), hongxiang,
                             find_compound(db, "鸿翔花园").version, households=999)
    at = submit(at, "保存设置")
    assert [e.value for e in at.error] == ["该小区的设置已被他人修改,请刷新后重试(您填写的内容已保留)"]
    assert at.text_input(key=f"compounds_settings_{hongxiang}_place").value == "新的会议室"
    assert one(db, "SELECT schedule_place FROM compounds WHERE id = ?", [hongxiang])["schedule_place"] != "新的会议室"
    # "Load the latest" shows the other's change; saving again then goes through.
    at = submit(at, "放弃填写,载入最新设置")
    assert at.number_input(key=f"compounds_settings_{hongxiang}_households").value == 999
    at.text_input(key=f"compounds_settings_{hongxiang}_place").input("新的会议室")
    at = submit(at, "保存设置")
    assert not at.error
    assert one(db, "SELECT schedule_place, households FROM compounds WHERE id = ?", [hongxiang]) == {
        "schedule_place": "新的会议室", "households": 999}


def test_admin_grants_an_officer_the_right_on_the_page(demo_env):
    db = demo_env
    officer = user_id(db, "nanwan_officer")
    at = page(db, "admin", "干部授权")
    at.selectbox(key="compounds_grants_pick").set_value(officer).run()
    at.checkbox(key=f"compounds_grants_{officer}_allowed").check()
    at = submit(at, "保存授权")
    assert [s.value for s in at.success] == ["已保存 nanwan\\_officer 的授权。"]
    assert one(db, "SELECT manages_compounds FROM users WHERE id = ?", [officer]) == {"manages_compounds": 1}
    at = page(db, "nanwan_officer", "新增")
    assert "您暂未获得" not in texts(at) and [b for b in at.button if b.label == "添加小区"]


def test_a_compound_named_with_markup_shows_as_typed(demo_env):
    db = demo_env
    at = page(db, "admin", "新增")
    at.text_input(key="compounds_compound_name").input(MARKUP)
    at.selectbox(key="compounds_compound_area").set_value(find_area(db, "松园社区")["id"])
    at = submit(at, "添加小区")
    assert not at.exception
    assert find_compound(db, MARKUP).name == MARKUP
    # Markdown gets it escaped (no image, no bold); the table shows it verbatim.
    assert [s for s in markdown_sources(at) if re.search(r"(?<!\\)<img|(?<!\\)\*\*红", s)] == []
    at = page(db, "admin")
    assert any(MARKUP in str(v) for v in at.dataframe[0].value["名称"])


def test_admin_retires_a_compound_only_after_confirming_and_it_leaves_the_picker(demo_env):
    db = demo_env
    sample = find_compound(db, "示例花园21").id
    at = page(db, "admin", "改名、迁移、撤销")
    at.selectbox(key="compounds_change_compound").set_value(sample).run()
    at = submit(at, "撤销")
    assert [e.value for e in at.error] == ["请先勾选确认。"]
    assert one(db, "SELECT retired_at FROM compounds WHERE id = ?", [sample]) == {"retired_at": None}
    at.checkbox(key="compounds_retire_compound_ok").check()
    at = submit(at, "撤销")
    assert [s.value for s in at.success] == ["已撤销,历史记录保留。"]
    assert one(db, "SELECT retired_at FROM compounds WHERE id = ?", [sample])["retired_at"]
    assert not any("示例花园21" in o for o in at.selectbox(key="compounds_change_compound").options)
    assert not any("示例花园21" in o for o in at.selectbox(key="compound_picker").options)
    assert scalar(db, "SELECT count(*) FROM issues WHERE compound_id = ?", [sample]) > 0     # history stays


def test_retiring_an_area_with_compounds_is_refused_on_the_page(demo_env):
    db = demo_env
    at = page(db, "admin", "改名、迁移、撤销", compounds_change_target="area")
    at.selectbox(key="compounds_change_area").set_value(find_area(db, "南湾街道")["id"]).run()
    at.checkbox(key="compounds_retire_area_ok").check()
    at = submit(at, "撤销")
    assert [e.value for e in at.error] == ["“南湾街道”下还有 22 个未撤销的小区,请先撤销或迁出这些小区"]
    assert find_area(db, "南湾街道")["retired_at"] is None


def test_the_page_speaks_english_with_the_toggle(demo_env):
    at = open_page("compounds", user=user_id(demo_env, "admin"), query={"lang": "en"})
    assert not at.exception
    assert [t.value for t in at.title] == ["Compounds and areas"]
    assert list(at.dataframe[0].value.columns) == ["Name", "Kind", "Households", "Party branch", "State"]
