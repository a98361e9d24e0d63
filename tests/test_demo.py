"""The demo cases reproduce what the reports say: 鸿翔花园's 13 meetings resolving 15
problems, 怡乐花园's 30+ escalations answered and explained, 南湾街道's 22 compounds."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from deliberation.demo import load_demo
from deliberation.services.compounds import find_area, find_compound
from deliberation.store.areas import compound_ids_under
from deliberation.services.actors import SYSTEM
from deliberation.services.issue_view import issue_detail
from deliberation.services.stats import compound_stats
from deliberation.store import rows, scalar
from tests.factories import is_chinese

REPO = Path(__file__).resolve().parents[1]
DEMO_TABLES = ("areas", "compounds", "members", "meetings", "issues", "users")


def test_hongxiang_held_13_consecutive_meetings(demo_db):
    compound = find_compound(demo_db, "鸿翔花园")
    numbers = [r["number"] for r in rows(demo_db, "SELECT number FROM meetings WHERE compound_id = ? ORDER BY number",
                                         [compound.id])]
    assert numbers == list(range(1, 14))
    assert compound.area_path == "罗湖区/桂园街道/松园社区"


def test_hongxiang_resolved_all_15_problems(demo_db):
    stats = compound_stats(demo_db, SYSTEM, find_compound(demo_db, "鸿翔花园").id)
    assert (stats["meetings"], stats["issues"], stats["resolved"], stats["closed"]) == (13, 15, 15, 0)


def test_hongxiang_includes_the_three_problems_the_report_names(demo_db):
    compound_id = find_compound(demo_db, "鸿翔花园").id
    titles = {r["title"] for r in rows(demo_db, "SELECT title FROM issues WHERE compound_id = ?", [compound_id])}
    assert {"车位不足", "高空抛物", "宠物乱跑"} <= titles


def test_every_hongxiang_problem_was_discussed_in_a_meeting_and_its_timeline_shows_which(demo_db):
    compound_id = find_compound(demo_db, "鸿翔花园").id
    issues = rows(demo_db, "SELECT id, title FROM issues WHERE compound_id = ? ORDER BY id", [compound_id])
    assert len(issues) == 15
    for issue in issues:
        detail = issue_detail(demo_db, SYSTEM, issue["id"])
        assert detail["meetings"], issue["title"]
        numbers = {e["meeting_number"] for e in detail["timeline"]} - {None}
        assert numbers and numbers <= set(range(1, 14)), issue["title"]
        assert {m["number"] for m in detail["meetings"]} <= numbers, issue["title"]


def test_yile_answered_more_than_30_escalations_and_published_each_answer(demo_db):
    compound_id = find_compound(demo_db, "怡乐花园").id
    answered = rows(demo_db, """SELECT e.id, e.issue_id FROM escalations e JOIN issues i ON i.id = e.issue_id
                                WHERE i.compound_id = ? AND e.answered_on IS NOT NULL""", [compound_id])
    assert len(answered) >= 30
    for escalation in answered:
        events = rows(demo_db, "SELECT kind, to_stage, data FROM events WHERE issue_id = ? ORDER BY id",
                      [escalation["issue_id"]])
        kinds = [(e["kind"], e["to_stage"]) for e in events]
        answer_at = next(i for i, e in enumerate(events)
                         if e["kind"] == "escalation_answered"
                         and json.loads(e["data"])["escalation_id"] == escalation["id"])
        assert ("transition", "publicizing") in kinds[answer_at:], escalation


def test_nanwan_subdistrict_has_22_compounds(demo_db):
    nanwan = find_area(demo_db, "南湾街道")
    assert len(compound_ids_under(demo_db, nanwan["id"])) == 22
    assert find_compound(demo_db, "怡乐花园").area_path == "龙岗区/南湾街道"


def test_every_demo_record_is_marked_demo(demo_db):
    for table in DEMO_TABLES:
        assert scalar(demo_db, f"SELECT count(*) FROM [{table}]") > 0, table
        assert scalar(demo_db, f"SELECT count(*) FROM [{table}] WHERE demo != 1") == 0, table


def test_the_demo_history_only_takes_legal_steps(demo_db):
    from deliberation.model.lifecycle import TRANSITIONS
    legal = {(t.source.value, t.target.value) for t in TRANSITIONS}
    steps = {(r["from_stage"], r["to_stage"]) for r in rows(
        demo_db, "SELECT DISTINCT from_stage, to_stage FROM events WHERE kind = 'transition'")}
    assert steps <= legal


def table_counts(db) -> dict[str, int]:
    return {t: scalar(db, f"SELECT count(*) FROM [{t}]") for t in sorted(db.table_names())}


def test_loading_the_demo_twice_changes_nothing(demo_copy):
    before = table_counts(demo_copy)
    again = load_demo(demo_copy)
    assert table_counts(demo_copy) == before
    assert again == {"鸿翔花园": None, "怡乐花园": None, "南湾街道其他小区": 0, "accounts": 0}


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deliberation", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    loaded = cli("demo", "--db", str(path))
    assert loaded.returncode == 0, loaded.stderr
    return path


def test_the_cli_loads_the_demo_and_prints_hongxiang_stats_as_json(cli_db):
    result = cli("stats", "--db", str(cli_db), "--compound", "鸿翔花园", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert (stats["compound"], stats["meetings"], stats["issues"], stats["resolved"]) == ("鸿翔花园", 13, 15, 15)


def test_the_cli_refuses_an_unknown_compound_in_chinese(cli_db):
    result = cli("stats", "--db", str(cli_db), "--compound", "不存在")
    assert result.returncode != 0
    assert result.stdout == ""
    assert is_chinese(result.stderr) and "不存在" in result.stderr
    assert "Traceback" not in result.stderr
