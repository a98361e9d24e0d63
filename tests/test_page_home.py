"""工作台 (home) in AppTest, one test per role that can see it, on a copy of the demo database."""
from __future__ import annotations

import pytest

from deliberation.services.concerns import raise_concern
from deliberation.services.actors import load_actor
from deliberation.services.meetings import schedule_meeting
from deliberation.store import one

from tests.page_session import open_page, open_signed_out, texts, user_id


@pytest.fixture
def db(demo_env):
    return demo_env


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_secretary_of_hongxiang_sees_the_next_meeting_from_the_standing_rule(db):
    at = open_page("home", user_id(db, "hx_secretary"))
    assert not at.exception
    shown = texts(at)
    assert "工作台 · 鸿翔花园" in shown
    assert "第14次协商议事会(按例会规则)" in shown          # 13 meetings held, none planned
    assert "固定时间:每月第二个周二 19:00" in shown
    assert "尚未安排" in shown
    assert metric(at, "待上会议题") == "0" and metric(at, "逾期任务") == "0"


def test_secretary_of_yile_sees_every_panel_with_links_to_the_issues(db):
    at = open_page("home", user_id(db, "yl_secretary"))
    assert not at.exception
    assert (metric(at, "待上会议题"), metric(at, "逾期任务"), metric(at, "公示中"), metric(at, "待答复上报")) == \
        ("2", "1", "1", "1")
    shown = texts(at)
    # Shown by 怡乐花园's own issue numbers (#44 is the database's issue 59).
    assert "#44 楼顶太阳能热水器漏水 〔示例〕" in shown            # waiting for the agenda
    assert "物业服务企业:更换地下车库B区灯管" in shown                # the overdue action
    assert "#43 小区主干道减速带" in shown and "还剩" in shown        # 公示 window with days left
    assert "#42 周边道路改造期间出行不便" in shown                    # escalation waiting
    assert all(p.proto.query_string.startswith("issue=") for p in at.get("page_link")
               if p.proto.label.startswith("\\#"))


def test_a_planned_meeting_replaces_the_date_from_the_rule(db):
    schedule_meeting(db, load_actor(db, user_id(db, "yl_secretary")), 2)
    at = open_page("home", user_id(db, "yl_secretary"))
    assert not at.exception
    assert "第37次协商议事会(计划中)" in texts(at)


def test_recorder_sees_the_workbench(db):
    at = open_page("home", user_id(db, "hx_recorder"))
    assert not at.exception
    assert "工作台 · 鸿翔花园" in texts(at)


def test_seat_representative_sees_the_workbench_of_their_compound(db):
    at = open_page("home", user_id(db, "yl_property"))
    assert not at.exception
    assert "工作台 · 怡乐花园" in texts(at)
    assert metric(at, "逾期任务") == "1"


def test_subdistrict_officer_sees_escalations_sent_to_the_area_from_every_compound(db):
    at = open_page("home", user_id(db, "nanwan_officer"))
    assert not at.exception
    shown = texts(at)
    assert metric(at, "上报给我辖区") == "9"
    assert "上报给我辖区、待答复(9)" in shown
    assert "怡乐花园 → 南湾街道" in shown and "示例花园05 → 南湾街道" in shown


def test_admin_sees_the_workbench_of_the_first_compound(db):
    at = open_page("home", user_id(db, "admin"))
    assert not at.exception
    assert "工作台 · 鸿翔花园" in texts(at)


def test_the_workbench_speaks_english_when_asked(db):
    at = open_page("home", user_id(db, "yl_secretary"), lang="en")
    assert not at.exception
    shown = texts(at)
    assert "Workbench · 怡乐花园" in shown and "Overdue actions" in shown


def test_a_signed_out_visitor_is_asked_to_sign_in(db):
    at = open_signed_out("home")
    assert not at.exception
    assert [w.value for w in at.warning] == ["请先登录。"]
    assert not at.metric


def test_a_residents_new_concern_waits_on_the_workbench_to_be_accepted(db):
    category = one(db, "SELECT id FROM categories WHERE compound_id = 2 AND name = '违建'")["id"]
    concern = raise_concern(db, 2, category_id=category, description="7栋楼顶有人搭建铁皮房,存在安全隐患",
                            session_key="resident-1", building="7栋")
    at = open_page("home", user_id(db, "yl_secretary"))
    assert not at.exception
    assert metric(at, "待受理反映") == "1"
    number = one(db, "SELECT number FROM issues WHERE id = ?", [concern])["number"]
    assert number != concern and f"#{number} 居民反映:违建(7栋)" in texts(at)
