"""我的任务 page through AppTest: a seat representative's actions and their progress."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from deliberation.services.agenda import ActionDraft
from deliberation.services.actors import load_actor
from deliberation.store import one
from tests.page_output import open_page as run_page
from tests.page_session import user_id
from tests.factories import decide, make_issue, open_meeting, seat_id

HONGXIANG = 1



@pytest.fixture
def demo_env(demo_copy, tmp_path, monkeypatch):
    """鸿翔's demo actions are all done: add one overdue for 物业 and one for 业委会."""
    db = demo_copy
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    issue_id = make_issue(db, secretary, HONGXIANG, title="东门道闸失灵")
    meeting_id = open_meeting(db, secretary, HONGXIANG, [issue_id])
    decide(db, secretary, meeting_id, issue_id, outcome="actions", actions=[
        ActionDraft(seat_id(db, HONGXIANG, "property"), "更换东门道闸控制器", date.today() - timedelta(days=3)),
        ActionDraft(seat_id(db, HONGXIANG, "owners"), "征求业主意见", date.today() + timedelta(days=10))])
    return db


def open_page(db, username: str) -> AppTest:
    return run_page("tasks", user=user_id(db, username))


def shown_tasks(at) -> list[str]:
    return list(at.dataframe[0].value["任务"]) if at.dataframe else []


def test_property_representative_sees_only_their_seats_open_action_marked_overdue(demo_env):
    at = open_page(demo_env, "hx_property")
    assert not at.exception
    assert "分配给本主体(物业服务企业)的任务" in [c.value for c in at.caption]
    assert shown_tasks(at) == ["更换东门道闸控制器"]
    assert list(at.dataframe[0].value["提醒"]) == ["⚠ 逾期"]
    assert [m.value for m in at.metric] == ["1", "1", "9"]     # 9 of 鸿翔's 12 demo actions were 物业's


def test_property_representative_marks_the_action_done_with_a_note(demo_env):
    db = demo_env
    action = one(db, "SELECT * FROM actions WHERE task = ?", ["更换东门道闸控制器"])
    at = open_page(db, "hx_property")
    at.radio(key=f"tasks_update_status_{action['id']}").set_value("done")
    at.text_area(key=f"tasks_update_note_{action['id']}").input("控制器已更换,试运行正常")
    next(b for b in at.button if b.label == "更新任务").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["任务已更新为“已完成”。"]
    updated = one(db, "SELECT status, note, done_on FROM actions WHERE id = ?", [action["id"]])
    assert updated == {"status": "done", "note": "控制器已更换,试运行正常", "done_on": date.today().isoformat()}
    assert shown_tasks(at) == []


def test_owners_representative_does_not_see_the_property_managers_action(demo_env):
    at = open_page(demo_env, "hx_owners")
    assert not at.exception and shown_tasks(at) == ["征求业主意见"]


def test_secretary_sees_every_seat_and_can_pick_one(demo_env):
    at = open_page(demo_env, "hx_secretary")
    assert not at.exception and sorted(shown_tasks(at)) == ["征求业主意见", "更换东门道闸控制器"]
    at.selectbox(key="tasks_seat").set_value("owners").run()
    assert shown_tasks(at) == ["征求业主意见"]


def test_recorder_and_admin_see_the_open_actions(demo_env):
    for username in ("hx_recorder", "admin"):
        at = open_page(demo_env, username)
        assert not at.exception and len(shown_tasks(at)) == 2


def test_officer_is_refused_the_tasks_page(demo_env):
    at = open_page(demo_env, "songyuan_officer")
    assert [e.value for e in at.error] == ["您的角色不能查看此页面。"]
