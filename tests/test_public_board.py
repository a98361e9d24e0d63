"""The residents' public board (no sign-in): the read model and the page, on the demo cases."""
from __future__ import annotations

import re

import pytest

from deliberation.services.public import (public_escalation_counts, public_escalations, public_issues,
                                          public_meeting_count, public_meetings, public_stage_counts)
from deliberation.services.actors import load_actor
from deliberation.services.households import check_household_code
from deliberation.services.issues import update_issue
from deliberation.services.tracking import track_concern
from deliberation.store import one, open_db
from tests.factories import db_path, household_codes
from tests.page_output import everything, literal_texts, markdown_sources, open_page, user_id

HONGXIANG, YILE = 1, 2
TABS = ("问题进展", "公示与评价", "议事会议", "上报与答复", "我要反映")




def board(tab: str = "问题进展", compound: int | None = HONGXIANG, user: int | None = None, **state):
    return open_page("public", user=user, query={"compound": compound} if compound else None,
                     state={"public_tab": tab, **state})


def buttons(at, label: str):
    return [b for b in at.button if b.label == label]


# --- the read model ------------------------------------------------------------------------

def test_hongxiang_shows_fifteen_resolved_problems_and_thirteen_meetings(demo_db):
    assert public_stage_counts(demo_db, HONGXIANG) == {"resolved": 15}
    titles = {i.title for i in public_issues(demo_db, HONGXIANG, page_size=50)[0]}
    assert {"车位不足", "高空抛物", "宠物乱跑"} <= titles
    assert public_meeting_count(demo_db, HONGXIANG) == 13
    assert [m["number"] for m in public_meetings(demo_db, HONGXIANG, limit=3)] == [13, 12, 11]


def test_issues_page_and_search_in_sql(demo_db):
    first, total = public_issues(demo_db, HONGXIANG, page=1, page_size=10)
    second, _ = public_issues(demo_db, HONGXIANG, page=2, page_size=10)
    assert (total, len(first), len(second)) == (15, 10, 5)
    assert not {i.id for i in first} & {i.id for i in second}
    found, total = public_issues(demo_db, HONGXIANG, text="车位")
    assert (total, [i.title for i in found]) == (1, ["车位不足"])
    assert public_issues(demo_db, HONGXIANG, stage="acting") == ([], 0)


def test_yile_shows_its_escalations_with_the_answers_that_came_back(demo_db):
    assert public_escalation_counts(demo_db, YILE) == {"total": 33, "answered": 32}
    answered = [e for e in public_escalations(demo_db, YILE) if e["answered_on"]]
    assert len(answered) == 32 and all(e["answer"] for e in answered)


def test_a_result_under_publicity_counts_the_days_left(demo_db):
    posted, _ = public_issues(demo_db, YILE, stage="publicizing")
    assert [(i.title, i.days_left is not None and 0 <= i.days_left <= 7) for i in posted] == [("小区主干道减速带", True)]


# --- the page ------------------------------------------------------------------------------

def test_the_board_shows_a_change_from_another_session_at_once(demo_env):
    """The board's answers are cached; a write in any other connection must end that at once."""
    before, _ = public_issues(demo_env, HONGXIANG, text="车位")
    assert public_issues(demo_env, HONGXIANG, text="车位")[0] == before         # served again, unchanged
    other = open_db(db_path(demo_env))                     # another session (or process) on the same file
    issue = one(other, "SELECT id, version FROM issues WHERE title = '车位不足'")
    update_issue(other, load_actor(other, user_id(other, "hx_secretary")), issue["id"], issue["version"],
                 public_summary="新增划线车位30个,错时停车协议已签订")
    other.close()
    after, _ = public_issues(demo_env, HONGXIANG, text="车位")
    assert [i.summary for i in after] == ["新增划线车位30个,错时停车协议已签订"]


def test_one_reader_changing_its_answer_never_changes_the_next_readers(demo_db):
    first = public_meetings(demo_db, HONGXIANG, limit=1)
    first[0]["items"].clear()
    first[0]["place"] = "改掉"
    again = public_meetings(demo_db, HONGXIANG, limit=1)
    assert again[0]["items"] and again[0]["place"] != "改掉"


def test_a_visitor_without_a_compound_is_asked_to_choose_one(demo_env):
    at = board(compound=None)
    assert not at.exception
    assert at.title[0].value == "居民公示栏"
    assert "鸿翔花园 〔示例〕" in at.selectbox(key="public_compound").options
    assert at.selectbox(key="public_compound").value is None


def test_an_unknown_compound_in_the_link_falls_back_to_the_picker(demo_env):
    at = board(compound=999)
    assert at.selectbox(key="public_compound").value is None and not at.exception


def test_choosing_a_compound_puts_it_into_the_link(demo_env):
    at = board(compound=None)
    at.selectbox(key="public_compound").select(YILE).run()
    assert at.query_params["compound"] == str(YILE)
    assert at.title[0].value.startswith("怡乐花园")


@pytest.mark.parametrize("username", [None, "admin", "songyuan_officer", "hx_secretary", "hx_recorder",
                                      "hx_property", "yl_secretary"])
def test_everyone_signed_in_or_not_sees_the_hongxiang_board(demo_env, username):
    at = board(user=user_id(demo_env, username) if username else None)
    assert not at.exception
    assert at.title[0].value == "鸿翔花园 · 居民公示栏 〔示例〕"
    shown = "\n".join(markdown_sources(at))
    assert "小区监控盲区" in shown and "已办结" in shown
    assert [m.value for m in at.metric][:3] == ["0", "0", "15"]


def at_cards(at) -> list[str]:
    return [m for m in markdown_sources(at) if m.startswith("**#")]


def test_the_board_pages_through_the_issues(demo_env):
    assert len(at_cards(board())) == 10
    assert len(at_cards(board(public_issue_page=2))) == 5


def test_the_board_filters_by_stage_and_text(demo_env):
    at = board(compound=YILE)
    at.selectbox(key="public_filter_stage").select("publicizing")
    at.text_input(key="public_filter_text").input("减速带")
    buttons(at, "查询")[0].click().run()
    assert at_cards(at) == ["**#43 小区主干道减速带** 〔示例〕"]        # 怡乐花园's #43 (the database's 58)


def test_the_meetings_tab_lists_what_was_held_with_seats_and_decisions(demo_env):
    at = board("议事会议")
    assert not at.exception
    shown = markdown_sources(at)
    assert "**第13次协商议事会 · 2025-03-11 19:00** 〔示例〕" in shown
    assert any("出席主体" in s and "党支部" in s for s in shown)
    assert "第13次会议审议了1项议题:小区监控盲区。" in literal_texts(at)


def test_the_escalations_tab_shows_the_answers(demo_env):
    at = board("上报与答复", compound=YILE)
    assert not at.exception
    assert "街道已组织三线整治。" in literal_texts(at)
    assert any("等待上级答复" in s for s in markdown_sources(at))


def _codes(db, n: int) -> list[str]:
    return household_codes(db, YILE, n, prefix="7栋")


def enter_code(db, at, code: str):
    """The code as the board has it after /household set its cookie (tests/test_household_route.py
    covers the route): checked and remembered in this session."""
    at.session_state[f"public_household_{YILE}"] = check_household_code(db, YILE, code)
    return at.run()


def test_a_resident_rates_a_result_under_publicity(demo_env):
    code = _codes(demo_env, 1)[0]
    at = enter_code(demo_env, board("公示与评价", compound=YILE), code.lower())
    assert not at.exception and f"已以议事码 ****-{code[-4:]} 参与" in " ".join(markdown_sources(at))
    assert any("异议期还剩" in w.value for w in at.warning)
    at.radio(key="public_rating_58").set_value("satisfied")
    buttons(at, "提交评价")[0].click().run()
    assert [s.value for s in at.success] == ["感谢您的评价!"]
    assert any("满意 1 · 基本满意 0 · 不满意 0" in c for c in markdown_sources(at))
    assert at.radio(key="public_rating_58").value is None            # the form starts over
    buttons(at, "提交评价")[0].click().run()
    assert [w.value for w in at.warning if "请先选择" in w.value] == ["请先选择满意、基本满意或不满意。"]
    at.radio(key="public_rating_58").set_value("unsatisfied")
    buttons(at, "提交评价")[0].click().run()      # the same household again: its rating is changed
    assert any("满意 0 · 基本满意 0 · 不满意 1" in c for c in markdown_sources(at))
    assert one(demo_env, "SELECT count(*) AS n FROM feedback WHERE issue_id = 58 AND household_code_id IS NOT NULL") \
        == {"n": 1}


def test_a_rating_without_a_code_is_taken_but_not_counted_on_the_board(demo_env):
    at = board("公示与评价", compound=YILE)
    at.radio(key="public_rating_58").set_value("unsatisfied")
    buttons(at, "提交评价")[0].click().run()
    assert [s.value for s in at.success] == ["感谢您的评价!"]
    assert any("满意 0 · 基本满意 0 · 不满意 0" in c for c in markdown_sources(at))
    at.radio(key="public_rating_58").set_value("unsatisfied")
    buttons(at, "提交评价")[0].click().run()      # the same browser again, still without a code
    assert [e.value for e in at.error] == ["您已评价过该结果,感谢参与"]


def test_three_dissatisfied_households_reopen_the_result(demo_env):
    messages = []
    for code in _codes(demo_env, 3):
        at = enter_code(demo_env, board("公示与评价", compound=YILE), code)
        at.radio(key="public_rating_58").set_value("unsatisfied")
        at.text_area(key="public_comment_58").input("减速带太高,车辆颠簸")
        buttons(at, "提交评价")[0].click().run()
        messages.append([s.value for s in at.success])
    assert messages[-1] == ["感谢您的评价。不满意的住户已达到异议阈值,该问题将重新列入下次协商议事。"]
    assert one(demo_env, "SELECT stage FROM issues WHERE id = 58") == {"stage": "deliberating"}
    assert "目前没有处于公示期的结果。" in [i.value for i in at.info]


def test_three_dissatisfied_browsers_without_a_code_do_not_reopen_the_result(demo_env):
    for _ in range(3):
        at = board("公示与评价", compound=YILE)
        at.radio(key="public_rating_58").set_value("unsatisfied")
        buttons(at, "提交评价")[0].click().run()
    assert one(demo_env, "SELECT stage FROM issues WHERE id = 58") == {"stage": "publicizing"}


def test_a_resident_raises_a_concern_and_gets_a_reference_number(demo_env):
    at = board("我要反映", compound=YILE)
    at.selectbox(key="public_concern_category").select(one(demo_env, """SELECT id FROM categories
        WHERE compound_id = ? AND name = '噪音'""", [YILE])["id"])
    at.text_area(key="public_concern_description").input("晚上十一点后广场舞音乐太吵")
    at.text_input(key="public_concern_building").input("3栋")
    at.text_input(key="public_concern_contact").input("13912345690")
    buttons(at, "提交反映")[0].click().run()
    assert not at.exception
    new = one(demo_env, "SELECT id, number FROM issues WHERE id = (SELECT max(id) FROM issues)")
    [received] = [s.value for s in at.success]
    secret = re.search(r"回执码 ([A-Z0-9]{4}-[A-Z0-9]{4})", received)[1]
    assert received == (f"您的反映已收到,受理编号 #{new['number']},回执码 {secret}(只显示这一次,请记下)。"
                        "凭编号和回执码可在手机版公示栏的“查进度”查询办理进展和答复。")
    # The receipt proves it: only its hash is kept, on the resident's report.
    assert track_concern(demo_env, YILE, new["number"], receipt=secret, client_address="10.9.9.9").title == \
        "居民反映:噪音(3栋)"
    assert f"#{new['number']} · 居民反映:噪音(3栋) · 已收到,待支部受理" in literal_texts(at)
    assert at.text_area(key="public_concern_description").value == ""
    at.session_state["public_tab"] = "问题进展"
    at.run()
    assert any("已收到,待支部受理" in s for s in markdown_sources(at))
    assert "13912345690" not in everything(at)


def test_a_concern_without_a_category_is_refused_and_keeps_the_text(demo_env):
    at = board("我要反映", compound=YILE)
    at.text_area(key="public_concern_description").input("楼下烧烤油烟很大")
    buttons(at, "提交反映")[0].click().run()
    assert [e.value for e in at.error] == ["请选择问题类别"]
    assert at.text_area(key="public_concern_description").value == "楼下烧烤油烟很大"


def test_a_similar_open_issue_is_offered_before_a_new_concern_is_sent(demo_env):
    at = board("我要反映", compound=YILE)
    parking = one(demo_env, "SELECT id FROM categories WHERE compound_id = ? AND name = '停车'", [YILE])["id"]
    at.selectbox(key="public_concern_category").select(parking)
    at.text_area(key="public_concern_description").input("地下车库的灯坏了好几个,晚上很暗")
    buttons(at, "提交反映")[0].click().run()
    assert any("可能是同一件事" in i.value for i in at.info)
    assert "**#41 地下车库照明不足**" in markdown_sources(at)
    before = one(demo_env, "SELECT count(*) AS n FROM issues")["n"]
    at.button(key="public_me_too_56").click().run()
    assert [s.value for s in at.success] == ["已把您计入问题 #41 的反映户数,感谢参与!"]
    assert one(demo_env, "SELECT count(*) AS n FROM issues")["n"] == before
    assert one(demo_env, "SELECT count(*) AS n FROM reports WHERE issue_id = 56") == {"n": 2}


def test_a_resident_can_still_send_a_concern_that_only_looks_similar(demo_env):
    at = board("我要反映", compound=YILE)
    parking = one(demo_env, "SELECT id FROM categories WHERE compound_id = ? AND name = '停车'", [YILE])["id"]
    at.selectbox(key="public_concern_category").select(parking)
    at.text_area(key="public_concern_description").input("访客车辆乱停在人行道上")
    buttons(at, "提交反映")[0].click().run()
    at.button(key="public_concern_anyway").click().run()
    assert any("受理编号" in s.value for s in at.success)


def test_the_sixth_concern_from_one_browser_within_an_hour_is_refused_politely(demo_env):
    at = board("我要反映", compound=YILE)
    noise = one(demo_env, "SELECT id FROM categories WHERE compound_id = ? AND name = '噪音'", [YILE])["id"]
    errors = []
    for n in range(6):
        at.selectbox(key="public_concern_category").select(noise)
        at.text_area(key="public_concern_description").input(f"第{n}次反映:晚上装修电钻声很吵")
        buttons(at, "提交反映")[0].click().run()
        if _has(at, "public_concern_anyway"):          # the earlier ones look similar: send anyway
            at.button(key="public_concern_anyway").click().run()
        errors = [e.value for e in at.error]
    # AppTest has no client address: the browser session stands in for it.
    assert len(errors) == 1 and errors[0].startswith("这台设备一小时内已提交 5 次,请在 ")
    assert errors[0].endswith("以后再试。紧急情况请直接联系物业或社区工作站。")
    assert at.text_area(key="public_concern_description").value == "第5次反映:晚上装修电钻声很吵"


def _has(at, key: str) -> bool:
    return any(b.key == key for b in at.button)


def test_the_board_speaks_english_on_request(demo_env):
    at = open_page("public", query={"compound": HONGXIANG, "lang": "en"})
    assert at.title[0].value == "鸿翔花园 · public board 〔demo〕"
    assert [t.label for t in at.tabs][:2] == ["Concerns", "Results under 公示"]
