"""No personal data on the residents' board: member names and phones, residents' units, contacts and
names, internal notes, private descriptions and comments never reach the public page or the read
model, for any compound of the demo."""
from __future__ import annotations

import pytest

from deliberation.services import public as board
from deliberation.services.concerns import raise_concern
from deliberation.services.actors import SYSTEM
from deliberation.services.actions import update_action
from deliberation.services.issues import update_issue
from deliberation.services.publicity import give_feedback
from deliberation.services.roster import add_member
from deliberation.store import open_db, rows
from tests.factories import copy_db, seat_id, version_of
from tests.page_output import everything, open_page

TABS = ("问题进展", "公示与评价", "议事会议", "上报与答复", "我要反映")
# Extra private values written through the services, on top of the demo's own.
PRIVATE_NOTE = "内部备注:联系人赵先生,电话13700137099"
CONCERN_TEXT = "8栋0902王女士家门口被堆放杂物"
COMMENT = "请联系我13912345677"
ACTION_NOTE = "已上门与5栋1203住户张先生沟通"


def seed_private_data(db) -> None:
    for compound_id in (1, 2):
        issue_id = rows(db, "SELECT id FROM issues WHERE compound_id = ? ORDER BY id LIMIT 1", [compound_id])[0]["id"]
        update_issue(db, SYSTEM, issue_id, version_of(db, issue_id), internal_note=PRIVATE_NOTE)
        add_member(db, SYSTEM, compound_id, seat_id(db, compound_id, "cobuilding"), "欧阳志远", phone="13600136077")
    category = rows(db, "SELECT id FROM categories WHERE compound_id = 2 AND name = '环境绿化'")[0]["id"]
    raise_concern(db, 2, category_id=category, description=CONCERN_TEXT, building="8栋", contact="13912345688",
                  session_key="privacy-test")
    give_feedback(db, 58, "satisfied", COMMENT, session_key="privacy-test")
    action = rows(db, "SELECT id, version FROM actions WHERE issue_id = 56")[0]
    update_action(db, SYSTEM, action["id"], action["version"], status="done", note=ACTION_NOTE)


@pytest.fixture(scope="module")
def private_demo(demo_path, tmp_path_factory):
    """The demo plus extra private values; the board pages run on it."""
    path = tmp_path_factory.mktemp("privacy") / "demo.db"
    copy_db(demo_path, path)
    db = open_db(path)
    seed_private_data(db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DELIBERATION_DB", str(path))
        yield db
    db.close()


def personal_values(db) -> set[str]:
    """Everything personal in the database, collected rather than listed by hand."""
    found = set()
    for sql in ("SELECT name AS v FROM members", "SELECT phone AS v FROM members",
                "SELECT unit AS v FROM reports", "SELECT contact AS v FROM reports",
                "SELECT reporter_name AS v FROM reports", "SELECT words AS v FROM reports",
                "SELECT internal_note AS v FROM issues",
                "SELECT description AS v FROM issues WHERE raised_by_kind = 'resident'",
                "SELECT comment AS v FROM feedback", "SELECT note AS v FROM actions",
                "SELECT proxy_name AS v FROM attendance"):
        found |= {r["v"] for r in rows(db, sql) if r["v"] and r["v"].strip() and r["v"] != "已完成"}
    return found


def test_the_demo_holds_the_personal_values_this_test_looks_for(private_demo):
    values = personal_values(private_demo)
    assert {"李明华", "刘海涛", "13800138001", "5栋1203", "13912345601", "居民甲", PRIVATE_NOTE, CONCERN_TEXT,
            COMMENT, ACTION_NOTE, "欧阳志远", "13600136077", "13912345688"} <= values


def leaks(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if v in text)


def board_pages(db, compound_id: int):
    """Every tab of the compound's board, and every page of its issue list."""
    for tab in TABS:
        at = open_page("public", query={"compound": compound_id}, state={"public_tab": tab})
        yield tab, at
    total = board.public_issues(db, compound_id, page_size=1)[1]
    for page in range(2, -(-total // 10) + 1):
        yield f"page {page}", open_page("public", query={"compound": compound_id},
                                        state={"public_tab": "问题进展", "public_issue_page": page})


@pytest.mark.parametrize("compound_id", range(1, 24))
def test_the_public_page_of_every_compound_shows_no_personal_value(private_demo, compound_id):
    values = personal_values(private_demo)
    for where, at in board_pages(private_demo, compound_id):
        assert not at.exception, where
        assert leaks(everything(at), values) == [], where


@pytest.mark.parametrize("compound_id", range(1, 24))
def test_the_public_read_model_of_every_compound_holds_no_personal_value(private_demo, compound_id):
    db, values = private_demo, personal_values(private_demo)
    issues, _ = board.public_issues(db, compound_id, page_size=1000)
    dumped = [repr(issues), repr(board.public_meetings(db, compound_id)),
              repr(board.public_escalations(db, compound_id)), repr(board.public_stage_counts(db, compound_id))]
    for issue in issues:
        dumped += [repr(board.public_timeline(db, issue.id)), repr(board.public_feedback_counts(db, issue.id)),
                   repr(board.public_issue(db, issue.id))]
    assert leaks("\n".join(dumped), values) == []


def test_the_public_views_have_no_personal_column(private_demo):
    columns = {view: {r["name"] for r in rows(private_demo, f"PRAGMA table_info({view})")}
               for view in ("public_issues", "public_meetings", "public_escalations")}
    personal = {"description", "internal_note", "unit", "contact", "reporter_name", "phone", "name",
                "request", "chair_member_id", "recorder_name"}
    assert {view: cols & personal for view, cols in columns.items()} == {
        "public_issues": set(), "public_meetings": set(), "public_escalations": set()}
