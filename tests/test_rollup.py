"""The area roll-up: 南湾街道's 22 compounds, the 721 counts, who may see which area, and the
区域汇总 page where an officer answers the escalations waiting for them."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from deliberation.model.errors import PermissionDenied
from deliberation.services.actors import load_actor
from deliberation.services.area_report import areas_for, category_matrix, waiting_escalations
from deliberation.services.clock import today
from deliberation.services.compounds import find_area
from deliberation.services.rollup import area_rollup
from deliberation.store import one, open_db, rows, scalar
from deliberation.store.areas import compound_ids_under
from deliberation.web.common.nav import pages_for
from tests.factories import copy_db
from tests.page_session import open_page_on


def actor(db, username: str):
    return load_actor(db, one(db, "SELECT id FROM users WHERE username = ?", [username])["id"])


def area(db, name: str) -> int:
    return find_area(db, name)["id"]


def resolved_under(db, area_id: int, since: str) -> int:
    return scalar(db, """SELECT count(*) FROM issues WHERE stage = 'resolved' AND merged_into_id IS NULL
                         AND raised_on >= ? AND compound_id IN (SELECT value FROM json_each(?))""",
                  [since, json.dumps(sorted(compound_ids_under(db, area_id)))])


# ------------------------------------------------------------------ the service

def test_the_nanwan_rollup_lists_its_22_compounds(demo_db):
    data = area_rollup(demo_db, actor(demo_db, "nanwan_officer"), area(demo_db, "南湾街道"))
    names = [r["compound"] for r in data["rows"]]
    assert len(names) == 22 and "怡乐花园" in names and "鸿翔花园" not in names
    assert data["targets"] == {"compound": 0.7, "community": 0.2, "subdistrict": 0.1}


@pytest.mark.parametrize("window_days", [365, 36500])
def test_the_721_counts_add_up_to_the_resolved_issues_of_those_compounds(demo_db, window_days):
    nanwan = area(demo_db, "南湾街道")
    data = area_rollup(demo_db, actor(demo_db, "nanwan_officer"), nanwan, window_days=window_days)
    since = (today() - timedelta(days=window_days)).isoformat()
    assert sum(data["levels"].values()) == data["totals"]["resolved"] == resolved_under(demo_db, nanwan, since)
    assert sum(data["levels"].values()) > 0


def test_over_all_history_the_721_counts_cover_every_resolved_issue_in_nanwan(demo_db):
    nanwan = area(demo_db, "南湾街道")
    data = area_rollup(demo_db, actor(demo_db, "nanwan_officer"), nanwan, window_days=36500)
    assert sum(data["levels"].values()) == scalar(demo_db, """SELECT count(*) FROM issues i
        JOIN compounds c ON c.id = i.compound_id WHERE c.area_id = ? AND i.stage = 'resolved'
        AND i.merged_into_id IS NULL""", [nanwan])


def test_an_officer_outside_the_area_is_refused(demo_db):
    for username in ("songyuan_officer", "luohu_officer"):
        with pytest.raises(PermissionDenied):
            area_rollup(demo_db, actor(demo_db, username), area(demo_db, "南湾街道"))


def test_the_luohu_district_officer_rolls_up_whatever_the_district_holds(demo_db):
    data = area_rollup(demo_db, actor(demo_db, "luohu_officer"), area(demo_db, "罗湖区"))
    assert [r["compound"] for r in data["rows"]] == ["鸿翔花园"]


def test_an_officer_may_pick_their_area_and_those_under_it_and_an_admin_any(demo_db):
    assert [a["name"] for a in areas_for(demo_db, actor(demo_db, "luohu_officer"))] == ["罗湖区", "桂园街道", "松园社区"]
    assert [a["name"] for a in areas_for(demo_db, actor(demo_db, "nanwan_officer"))] == ["南湾街道"]
    assert {a["name"] for a in areas_for(demo_db, actor(demo_db, "admin"))} == {
        r["name"] for r in rows(demo_db, "SELECT name FROM areas")}
    with pytest.raises(PermissionDenied):
        areas_for(demo_db, actor(demo_db, "hx_recorder"))


def test_the_heat_map_counts_every_issue_raised_in_the_window(demo_db):
    nanwan = area(demo_db, "南湾街道")
    cells = category_matrix(demo_db, actor(demo_db, "nanwan_officer"), nanwan)
    data = area_rollup(demo_db, actor(demo_db, "nanwan_officer"), nanwan)
    assert sum(c["n"] for c in cells) == data["totals"]["raised"]


def test_the_escalations_waiting_in_nanwan_are_those_sent_to_it_unanswered(demo_db):
    waiting = waiting_escalations(demo_db, actor(demo_db, "nanwan_officer"), area(demo_db, "南湾街道"))
    assert len(waiting) == scalar(demo_db, """SELECT count(*) FROM escalations e JOIN areas a ON a.id = e.area_id
                                             WHERE a.name = '南湾街道' AND e.answered_on IS NULL""") > 0


# ------------------------------------------------------------------ the page

@pytest.fixture
def demo_file(demo_path, tmp_path) -> Path:
    target = tmp_path / "app.db"
    copy_db(demo_path, target)
    return target


def rollup_page(db_path, monkeypatch, username: str, lang: str = "zh") -> AppTest:
    return open_page_on(db_path, monkeypatch, "rollup", username, state={"lang": lang})


def test_the_nanwan_officer_sees_22_compounds_the_721_chart_and_the_heat_map(demo_file, monkeypatch):
    at = rollup_page(demo_file, monkeypatch, "nanwan_officer")
    assert not at.exception and not at.error
    assert at.title[0].value == "区域汇总"
    table = at.dataframe[0].value
    assert len(table) == 22 and "怡乐花园 〔示例〕" in list(table["小区"])
    assert [m.value for m in at.metric][0] == "22"
    assert len(at.get("plotly_chart")) == 2
    assert "生成月报" in [b.label for b in at.button]


def test_answering_an_escalation_on_the_rollup_page_moves_the_issue_on(demo_file, monkeypatch):
    at = rollup_page(demo_file, monkeypatch, "nanwan_officer")
    db = open_db(demo_file)
    escalation = waiting_escalations(db, actor(db, "nanwan_officer"), area(db, "南湾街道"))[0]
    key = f"rollup_answer_{escalation['id']}"
    at.text_area(key=f"{key}_text").input("街道已协调供电部门,本周内完成检修。")
    at.radio(key=f"{key}_next").set_value("publicizing")
    next(b for b in at.button if b.label == "提交答复" and key in (b.form_id or "")).click()
    at.run()
    assert not at.exception and not at.error
    assert at.success[0].value == "已答复,议题已转入“公示监督”。"
    issue = one(db, "SELECT stage, public_summary FROM issues WHERE id = ?", [escalation["issue_id"]])
    assert issue == {"stage": "publicizing", "public_summary": "街道已协调供电部门,本周内完成检修。"}
    assert one(db, "SELECT answer FROM escalations WHERE id = ?", [escalation["id"]])["answer"]
    assert f"{key}_text" not in [t.key for t in at.text_area]       # gone from the waiting list


def test_an_empty_answer_is_refused_on_the_page_with_its_message(demo_file, monkeypatch):
    at = rollup_page(demo_file, monkeypatch, "nanwan_officer")
    next(b for b in at.button if b.label == "提交答复").click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["请填写答复内容"]


def test_the_admin_picks_any_area_on_the_rollup_page(demo_file, monkeypatch):
    at = rollup_page(demo_file, monkeypatch, "admin")
    assert not at.exception
    db = open_db(demo_file)
    at.selectbox(key="rollup_area").set_value(area(db, "南湾街道")).run()
    assert not at.exception and len(at.dataframe[0].value) == 22


def test_the_rollup_page_speaks_english_on_request(demo_file, monkeypatch):
    at = rollup_page(demo_file, monkeypatch, "luohu_officer", lang="en")
    assert not at.exception and at.title[0].value == "Area roll-up"
    assert list(at.dataframe[0].value["Compound"]) == ["鸿翔花园 〔demo〕"]


@pytest.mark.parametrize("username", ["hx_secretary", "hx_recorder", "hx_property"])
def test_a_compound_role_does_not_get_the_rollup_page(demo_file, monkeypatch, username):
    at = open_page_on(demo_file, monkeypatch, "rollup", username, router=False)
    db = open_db(demo_file)
    assert not at.exception
    assert [e.value for e in at.error] == ["您的角色不能查看此页面。"]
    assert not at.dataframe
    assert "rollup" not in [spec.name for spec in pages_for(actor(db, username).role)]   # nor in the menu
