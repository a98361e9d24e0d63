"""会议 page and its meeting console, driven through Streamlit's AppTest on a copy of the demo data."""
from __future__ import annotations


from streamlit.testing.v1 import AppTest

from deliberation.services.actors import load_actor
from deliberation.services.meetings import starts_off_schedule
from deliberation.store import one, rows
from tests.page_output import open_page as run_page
from tests.page_session import button, user_id
from tests.factories import make_issue, open_meeting

HONGXIANG = 1





def open_page(db, username: str, **query) -> AppTest:
    return run_page("meetings", user=user_id(db, username), query=query)


def texts(at) -> str:
    """Everything the page wrote, as one string to search."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "success", "warning", "info", "error")
             for e in at.get(kind)]
    parts += [b.label for b in at.button]
    return "\n".join(str(p) for p in parts)




def test_secretary_sees_the_meetings_and_a_schedule_form_prefilled_from_the_standing_rule(demo_env):
    at = open_page(demo_env, "hx_secretary")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 13 and table.iloc[0, 0].startswith("第13次会议")
    assert "每月第二个周二 19:00" in texts(at)
    assert at.text_input(key="meetings_schedule_place").value == "小区党群服务站"
    assert at.date_input(key="meetings_schedule_date").value.weekday() == 1      # a Tuesday


def test_secretary_schedules_and_runs_a_whole_meeting_from_the_console(demo_env):
    db = demo_env
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    issue_id = make_issue(db, secretary, HONGXIANG, title="东门道闸失灵")
    at = open_page(db, "hx_secretary")
    button(at, "安排会议").click().run()
    meeting = one(db, "SELECT * FROM meetings WHERE compound_id = ? ORDER BY number DESC", [HONGXIANG])
    assert meeting["number"] == 14 and meeting["status"] == "planned"
    assert at.query_params["meeting"] == str(meeting["id"])
    assert "东门道闸失灵" in texts(at) and "待议" in texts(at)

    at.button(key=f"meetings_add_{issue_id}").click().run()
    assert "已加入议程:东门道闸失灵" in texts(at)
    button(at, "开始会议").click().run()
    if starts_off_schedule(meeting):                     # (not on the rule's own evening)
        assert "本次会议原定" in texts(at)                # set for the rule's date, opened now: asked once
        assert one(db, "SELECT status FROM meetings WHERE id = ?", [meeting["id"]])["status"] == "planned"
        button(at, "按实际时间开始").click().run()
    else:                                                # run on the rule's own evening: nothing to ask
        assert "本次会议原定" not in texts(at)
    assert "未达法定人数" in texts(at)
    at.button(key=f"meetings_all_present_{meeting['id']}").click().run()
    assert "已达法定人数" in texts(at)

    item_id = one(db, "SELECT id FROM agenda_items WHERE meeting_id = ?", [meeting["id"]])["id"]
    key = f"meetings_dec_{item_id}"
    at.radio(key=f"{key}_outcome").set_value("actions").run()
    at.text_area(key=f"{key}_decision").input("物业两周内更换道闸控制器")
    property_seat = one(db, "SELECT id FROM seats WHERE compound_id = ? AND code = 'property'", [HONGXIANG])["id"]
    at.selectbox(key=f"{key}_seat_0").set_value(property_seat)
    at.text_input(key=f"{key}_task_0").input("更换东门道闸控制器")
    button(at, "记录决议").click().run()
    assert not at.exception and "已记录决议" in texts(at)
    action = one(db, "SELECT * FROM actions WHERE agenda_item_id = ?", [item_id])
    assert action["seat_name"] == "物业服务企业" and action["task"] == "更换东门道闸控制器"
    assert one(db, "SELECT stage FROM issues WHERE id = ?", [issue_id])["stage"] == "acting"

    at.button(key=f"meetings_finish_{meeting['id']}").click().run()
    assert "鸿翔花园第14次“1+8”协商议事会议纪要" in texts(at)
    at.button(key=f"meetings_approve_{meeting['id']}").click().run()
    summary = at.text_area(key=f"meetings_public_summary_{meeting['id']}").value
    assert "东门道闸失灵(分工落实)" in summary and "刘海涛" not in summary
    button(at, "向居民公开").click().run()
    assert not at.exception
    assert one(db, "SELECT status FROM meetings WHERE id = ?", [meeting["id"]])["status"] == "published"


def test_recorder_runs_the_meeting_but_leaves_approval_to_the_secretary(demo_env):
    db = demo_env
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    meeting_id = open_meeting(db, secretary, HONGXIANG, [make_issue(db, secretary, HONGXIANG)])
    at = open_page(db, "hx_recorder", meeting=meeting_id)
    assert not at.exception
    assert "已达法定人数" in texts(at) and at.button(key=f"meetings_finish_{meeting_id}").label == "确认结束会议"
    at.button(key=f"meetings_finish_{meeting_id}").click().run()
    assert "纪要由支部书记审定和公开。" in texts(at)
    assert not [b for b in at.button if b.label == "审定纪要"]


def test_officer_reads_a_published_meeting_without_any_buttons_to_change_it(demo_env):
    db = demo_env
    meeting_id = one(db, "SELECT id FROM meetings WHERE compound_id = ? AND number = 13", [HONGXIANG])["id"]
    at = open_page(db, "songyuan_officer", meeting=meeting_id)
    assert not at.exception
    assert "鸿翔花园第13次“1+8”协商议事会议纪要" in texts(at) and "已于" in texts(at)
    assert not [b for b in at.button if b.label in ("审定纪要", "向居民公开", "安排会议")]


def test_admin_sees_the_list_of_the_first_compound(demo_env):
    at = open_page(demo_env, "admin")
    assert not at.exception and len(at.dataframe[0].value) == 13


def test_seat_representative_is_refused_the_meetings_page(demo_env):
    at = open_page(demo_env, "hx_property")
    assert not at.exception
    assert [e.value for e in at.error] == ["您的角色不能查看此页面。"]


def test_a_meeting_of_another_compound_is_not_opened(demo_env):
    db = demo_env
    other = one(db, "SELECT id FROM meetings WHERE compound_id != ? LIMIT 1", [HONGXIANG])["id"]
    at = open_page(db, "hx_secretary", meeting=other)
    assert not at.exception
    assert "找不到该会议,或它不属于当前小区。" in texts(at) and at.dataframe[0].value.shape[0] == 13


def test_issue_titles_render_literally_in_the_console(demo_env):
    db = demo_env
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    title = "[点我](javascript:alert(1)) **粗体**"
    meeting_id = open_meeting(db, secretary, HONGXIANG, [make_issue(db, secretary, HONGXIANG, title=title)])
    at = open_page(db, "hx_secretary", meeting=meeting_id)
    headings = [m.value for m in at.markdown if "点我" in m.value]
    assert headings and all("\\[点我\\](javascript:alert(1)) \\*\\*粗体\\*\\*" in h for h in headings)


def test_an_incomplete_decision_is_refused_and_keeps_what_was_typed(demo_env):
    db = demo_env
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    meeting_id = open_meeting(db, secretary, HONGXIANG, [make_issue(db, secretary, HONGXIANG)])
    item_id = rows(db, "SELECT id FROM agenda_items WHERE meeting_id = ?", [meeting_id])[0]["id"]
    at = open_page(db, "hx_secretary", meeting=meeting_id)
    key = f"meetings_dec_{item_id}"
    at.radio(key=f"{key}_outcome").set_value("actions").run()
    at.text_area(key=f"{key}_discussion").input("各方意见一致")
    at.text_area(key=f"{key}_decision").input("由物业负责")
    button(at, "记录决议").click().run()
    assert [e.value for e in at.error] == ["分工落实需要至少一项任务(责任主体、任务、期限)"]
    assert at.text_area(key=f"{key}_discussion").value == "各方意见一致"
    assert one(db, "SELECT outcome FROM agenda_items WHERE id = ?", [item_id])["outcome"] is None
