"""The 三率 and the response clock on the pages (AppTest, on a copy of the demo database): the
概览 and the 区域汇总 show each rate with its formula under it; the 工作台 lists residents'
concerns near and past the response limit."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from deliberation.services.actors import load_actor
from deliberation.services.clock import clock_at
from deliberation.services.compounds import find_area
from deliberation.services.concerns import raise_concern
from deliberation.services.rollup import area_rollup
from deliberation.store import one, open_db
from tests.factories import copy_db
from tests.page_output import open_page as run_page
from tests.page_session import open_page, open_page_on, texts, user_id

HONGXIANG = 1


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


# ------------------------------------------------------------------ 概览

def test_the_overview_shows_the_three_rates_of_hongxiang_with_their_formulas(demo_env):
    at = run_page("dashboard", user=user_id(demo_env, "hx_secretary"))
    assert not at.exception
    # 鸿翔花园's demo: 3 residents' concerns, each accepted as it was recorded; 15 issues resolved,
    # none closed; no household has rated a result with a 议事码.
    shown = metrics(at)
    assert (shown["响应率"], shown["解决率"], shown["满意率"]) == ("100.0%", "100.0%", "—")
    assert "响应率 = 时限内响应的居民反映 3 ÷ 应响应的居民反映 3 = 100.0%" in captions(at)
    assert "解决率 = 已办结 15 ÷ (已办结 15 + 关闭未解决 0) = 100.0%" in captions(at)
    assert "满意率 = (1×满意 0 + 0.8×基本满意 0) ÷ 住户评价 0 = —(暂无数据)" in captions(at)


def test_the_overview_writes_the_formulas_in_english_on_request(demo_env):
    at = run_page("dashboard", user=user_id(demo_env, "hx_secretary"), state={"lang": "en"})
    assert not at.exception
    assert metrics(at)["Resolution rate"] == "100.0%"
    assert "Resolution rate = resolved 15 ÷ (resolved 15 + closed unresolved 0) = 100.0%" in captions(at)
    assert any(c.startswith("Satisfaction = (1×satisfied 0") and c.endswith("= — (no data yet)") for c in captions(at))


# ------------------------------------------------------------------ 区域汇总

@pytest.fixture
def demo_file(demo_path, tmp_path):
    target = tmp_path / "app.db"
    copy_db(demo_path, target)
    return target


def test_the_rollup_shows_the_area_s_rates_with_formulas_and_each_compound_s_in_the_table(demo_file, monkeypatch):
    db = open_db(demo_file)
    officer = load_actor(db, user_id(db, "nanwan_officer"))
    expected = area_rollup(db, officer, find_area(db, "南湾街道")["id"])
    at = open_page_on(demo_file, monkeypatch, "rollup", "nanwan_officer")
    assert not at.exception and not at.error
    assert "三率" in [s.value for s in at.subheader]
    shown = metrics(at)
    for rate in expected["rates"]:
        assert shown[{"response": "响应率", "resolution": "解决率", "satisfaction": "满意率"}[rate.kind]] == rate.shown
        assert rate.formula() in captions(at)
    table = at.dataframe[0].value
    yile = next(r for r in expected["rows"] if r["compound"] == "怡乐花园")
    row = table[table["小区"] == "怡乐花园 〔示例〕"].iloc[0]
    assert (row["响应率"], row["解决率"], row["满意率"]) == tuple(r.shown for r in yile["rates"])
    assert set(table["满意率"]) <= {"—"} | {r["rates"].satisfaction.shown for r in expected["rows"]}


# ------------------------------------------------------------------ 工作台

def test_the_workbench_lists_concerns_near_and_past_the_response_limit(demo_env):
    category = one(demo_env, "SELECT id FROM categories WHERE compound_id = ? ORDER BY position LIMIT 1",
                   [HONGXIANG])["id"]
    ids = {}
    for name, hours_ago in (("past", 30), ("near", 20), ("early", 2)):
        with clock_at(datetime.now().replace(microsecond=0) - timedelta(hours=hours_ago)):
            ids[name] = raise_concern(demo_env, HONGXIANG, category_id=category, description="楼道灯坏了一个多星期",
                                      building="3栋", session_key=f"page-{name}")
    numbers = {k: one(demo_env, "SELECT number FROM issues WHERE id = ?", [v])["number"] for k, v in ids.items()}
    at = open_page("home", user_id(demo_env, "hx_secretary"))
    assert not at.exception
    shown = texts(at)
    assert "待响应的居民反映(2)" in shown
    assert "已超时 6" in shown and "即将超时 · 剩余 4" in shown
    links = [p.proto.label.replace("\\", "") for p in at.get("page_link")]
    assert f"#{numbers['past']} 居民反映:{category_name(demo_env, category)}(3栋)" in links
    assert f"#{numbers['near']} 居民反映:{category_name(demo_env, category)}(3栋)" in links
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert [b.split("[")[0] for b in badges] == [":red-badge", ":orange-badge"]     # the 2 h old one is not there


def test_the_workbench_section_speaks_english(demo_env):
    at = open_page("home", user_id(demo_env, "hx_secretary"), lang="en")
    assert not at.exception
    assert "Residents' concerns awaiting a response(0)" in texts(at)


def category_name(db, category_id: int) -> str:
    return one(db, "SELECT name FROM categories WHERE id = ?", [category_id])["name"]


# ------------------------------------------------------------------ the limit, on the roster's rules form

def save_limit(db, hours: int):
    at = run_page("roster", user=user_id(db, "hx_secretary"))
    at.number_input(key="roster_rules_response_limit").set_value(hours)
    return next(b for b in at.button if b.label == "保存规则").click().run()


def test_the_secretary_sets_the_response_limit_with_the_standing_rules(demo_env):
    at = save_limit(demo_env, 48)
    assert not at.exception and [s.value for s in at.success] == ["议事规则已保存。"]
    assert one(demo_env, "SELECT response_limit_hours FROM compounds WHERE id = ?", [HONGXIANG]) == {
        "response_limit_hours": 48}
    assert run_page("roster", user=user_id(demo_env, "hx_secretary")).number_input(
        key="roster_rules_response_limit").value == 48


@pytest.mark.parametrize("hours", [0, 721])
def test_a_response_limit_outside_1_to_720_is_refused_on_the_page_and_kept_in_the_form(demo_env, hours):
    at = save_limit(demo_env, hours)
    assert not at.exception
    assert [e.value for e in at.error] == ["响应时限必须是 1 到 720 之间的整数小时"]
    assert at.number_input(key="roster_rules_response_limit").value == hours
    assert one(demo_env, "SELECT response_limit_hours FROM compounds WHERE id = ?", [HONGXIANG]) == {
        "response_limit_hours": 24}
