"""议题台账 (register) in AppTest: filters, the selectable table, agenda, 登记新议题, per role."""
from __future__ import annotations

import pytest

from deliberation.services.actors import load_actor
from deliberation.services.meetings import schedule_meeting
from deliberation.store import one

from tests.page_session import button, expand, open_page, open_signed_out, texts, user_id


@pytest.fixture
def db(demo_env):
    return demo_env


def titles(at) -> list[str]:
    frame = at.dataframe[0].value
    # A title cell is a link, "issue?issue=<id>#<title>": the grid shows what follows the "#".
    return [title.partition("#")[2].replace(" 〔示例〕", "") for title in frame["议题"]]


def tick(at, *positions: int):
    """Tick rows of the register table the way a click in the browser does."""
    state = at.session_state
    generation = state["register_generation"] if "register_generation" in state else 0
    key = f"register_table_{generation}_{state['register_page'] if 'register_page' in state else 1}"
    at.session_state[key] = {"selection": {"rows": list(positions), "columns": [], "cells": []}}
    return at.run()


def test_secretary_finds_parking_shortage_among_resolved_issues(db):
    at = open_page("register", user_id(db, "hx_secretary"))
    assert not at.exception
    at.multiselect(key="register_filter_stages").set_value(["resolved"])
    button(at, "查询").click().run()
    assert not at.exception
    assert "车位不足" in titles(at)
    assert len(titles(at)) == 15
    assert "共 15 个议题" in texts(at) and "已办结 15" in texts(at)


def test_a_filter_with_no_match_says_so(db):
    at = open_page("register", user_id(db, "hx_secretary"))
    at.text_input(key="register_filter_text").input("不存在的问题")
    button(at, "查询").click().run()
    assert not at.exception
    assert "没有符合条件的议题。" in texts(at)


def test_ticked_issues_go_onto_the_planned_meeting_one_by_one_with_each_result(db):
    schedule_meeting(db, load_actor(db, user_id(db, "yl_secretary")), 2)
    at = open_page("register", user_id(db, "yl_secretary"))
    order = titles(at)
    at = tick(at, order.index("楼顶太阳能热水器漏水"), order.index("小区主干道减速带"))
    assert "已选 2 个议题" in texts(at)
    button(at, "列入下次会议议程").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已列入第37次会议议程"]
    assert [e.value for e in at.error] == ["议题处于“公示监督”阶段,不能列入议程"]
    assert one(db, "SELECT stage FROM issues WHERE id = 59")["stage"] == "deliberating"


def test_without_a_planned_meeting_the_secretary_is_sent_to_schedule_one(db):
    at = open_page("register", user_id(db, "yl_secretary"))
    at = tick(at, 0)
    button(at, "列入下次会议议程").click().run()
    assert not at.exception
    assert "还没有计划中的会议" in texts(at)


def new_issue_form(db, username: str):
    at = open_page("register", user_id(db, username))
    assert "登记" not in [b.label for b in at.button]       # built only once its expander is opened
    return expand(at, "register_new_open")


def test_a_refused_new_issue_keeps_what_was_typed(db):
    at = new_issue_form(db, "hx_secretary")
    at.text_input(key="register_new_title").input("单元门禁刷卡失灵")
    at.text_area(key="register_new_description").input("3栋单元门经常打不开")
    button(at, "登记").click().run()          # no category chosen
    assert not at.exception
    assert [e.value for e in at.error] == ["请选择本小区在用的议题类别"]
    assert at.text_input(key="register_new_title").value == "单元门禁刷卡失灵"
    assert at.text_area(key="register_new_description").value == "3栋单元门经常打不开"


def test_secretary_registers_a_new_issue_raised_by_a_seat(db):
    at = new_issue_form(db, "hx_secretary")
    at.text_input(key="register_new_title").input("单元门禁刷卡失灵")
    at.selectbox(key="register_new_category").set_value(_category_id(db, "治安"))
    at.selectbox(key="register_new_seat").set_value(_seat_id(db, "property"))
    button(at, "登记").click().run()
    assert not at.exception
    issue = one(db, "SELECT * FROM issues WHERE title = '单元门禁刷卡失灵'")
    assert issue["raised_by_seat_name"] == "物业服务企业" and issue["stage"] == "collected"
    assert f"已登记议题 #{issue['number']}:单元门禁刷卡失灵" in texts(at)
    # Numbered after the compound's own issues (the number residents quote), not the table's ids.
    assert issue["number"] == one(db, "SELECT count(*) AS n FROM issues WHERE compound_id = ?",
                                  [issue["compound_id"]])["n"] < issue["id"]
    assert at.text_input(key="register_new_title").value == ""      # the form is cleared after success


def _category_id(db, name: str) -> int:
    return one(db, "SELECT id FROM categories WHERE compound_id = 1 AND name = ?", [name])["id"]


def _seat_id(db, code: str) -> int:
    return one(db, "SELECT id FROM seats WHERE compound_id = 1 AND code = ?", [code])["id"]


def test_recorder_can_register_and_put_on_the_agenda(db):
    at = new_issue_form(db, "hx_recorder")
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "登记" in labels and "列入下次会议议程" in labels


def test_seat_representative_reads_and_raises_but_has_no_agenda_button(db):
    at = new_issue_form(db, "hx_property")
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "登记" in labels and "列入下次会议议程" not in labels
    assert at.selectbox(key="register_new_seat").value == _seat_id(db, "property")   # their own seat
    assert "车位不足" in titles(at)


def test_officer_reads_the_register_without_the_forms(db):
    at = open_page("register", user_id(db, "songyuan_officer"))
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "登记" not in labels and "列入下次会议议程" not in labels
    assert "登记新议题" not in [e.label for e in at.expander]
    assert "车位不足" in titles(at)


def test_admin_reads_the_register(db):
    at = open_page("register", user_id(db, "admin"))
    assert not at.exception
    assert len(titles(at)) == 15


def test_a_signed_out_visitor_is_asked_to_sign_in(db):
    at = open_signed_out("register")
    assert [w.value for w in at.warning] == ["请先登录。"]
    assert not at.dataframe
