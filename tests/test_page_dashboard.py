"""概览 page through AppTest, and the chart datasets behind it."""
from __future__ import annotations

import base64
import json

import numpy
import pytest
from streamlit.testing.v1 import AppTest

from deliberation.model.errors import PermissionDenied
from deliberation.services import dashboard
from deliberation.services.actors import load_actor
from tests.page_output import open_page as run_page
from tests.page_session import user_id

HONGXIANG = 1
CHARTS = 6





def open_page(db, username: str | None) -> AppTest:
    return run_page("dashboard", user=user_id(db, username) if username else None)


def values(series) -> list:
    """Plotly writes numeric arrays as typed binary ({"dtype", "bdata"}); lists stay lists."""
    if isinstance(series, dict) and "bdata" in series:
        return numpy.frombuffer(base64.b64decode(series["bdata"]), dtype=series["dtype"]).tolist()
    return list(series)


def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("username", ["hx_secretary", "hx_recorder", "hx_property", "songyuan_officer", "admin"])
def test_everyone_inside_sees_the_six_charts_of_hongxiang(demo_env, username):
    at = open_page(demo_env, username)
    assert not at.exception
    assert at.title[0].value == "概览 · 鸿翔花园"
    assert len(charts(at)) == CHARTS
    assert [m.value for m in at.metric][:6] == ["15", "0", "15", "0", "0", "13"]   # … 已关闭, 合并, 会议


def test_the_progress_chart_has_chinese_axes_and_falls_to_zero_at_the_thirteenth_meeting(demo_env):
    at = open_page(demo_env, "hx_secretary")
    progress = charts(at)[0]
    assert progress["layout"]["xaxis"]["title"]["text"] == "会议(第N次)"
    assert progress["layout"]["yaxis"]["title"]["text"] == "议题数"
    still_open = next(trace for trace in progress["data"] if trace["name"] == "尚未办结")
    assert values(still_open["y"]) == [10, 11, 10, 9, 8, 7, 6, 5, 4, 4, 2, 2, 0]


def test_a_signed_out_visitor_is_asked_to_sign_in(demo_env):
    at = open_page(demo_env, None)
    assert [w.value for w in at.warning] == ["请先登录。"]
    assert not at.get("plotly_chart")


def test_open_issues_by_meeting_follow_each_issues_stage_history(demo_db):
    secretary = load_actor(demo_db, user_id(demo_db, "hx_secretary"))
    series = dashboard.open_issues_by_meeting(demo_db, secretary, HONGXIANG)
    assert [r["number"] for r in series] == list(range(1, 14))
    assert [r["open"] for r in series] == [10, 11, 10, 9, 8, 7, 6, 5, 4, 4, 2, 2, 0]
    assert series[-1]["raised"] == 15


def test_attendance_by_seat_covers_every_seat_at_every_meeting(demo_db):
    secretary = load_actor(demo_db, user_id(demo_db, "hx_secretary"))
    cells = dashboard.attendance_by_seat(demo_db, secretary, HONGXIANG)
    assert len(cells) == 9 * 13
    assert all(0 <= c["present"] <= 1 for c in cells)


def test_another_compounds_secretary_may_not_read_hongxiangs_datasets(demo_copy):
    yl_secretary = load_actor(demo_copy, user_id(demo_copy, "yl_secretary"))
    with pytest.raises(PermissionDenied):
        dashboard.issues_by_stage(demo_copy, yl_secretary, HONGXIANG)
