"""议题详情 (?issue=<id>) in AppTest: the story, the forms offered, optimistic locking, and who
sees personal data."""
from __future__ import annotations

import pytest

from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.concerns import raise_concern
from deliberation.services.issues import raise_issue, update_issue
from deliberation.services.users import create_user
from deliberation.store import issues as issue_store
from deliberation.store import one
from tests.page_session import button, open_page, open_signed_out, texts, user_id

PARKING = 4            # 鸿翔花园 车位不足: deferred at meeting 1, actions at meeting 2, resolved
GARAGE_LIGHTS = 56     # 怡乐花园 地下车库照明不足: in 合力干事 with an overdue action
DETOUR = 57            # 怡乐花园: escalated, a resident's report with a phone number
STALE = "该记录已被他人修改,请刷新后重试"


@pytest.fixture
def db(demo_env):
    return demo_env


def submit_labels(at) -> list[str]:
    # 隐去 / 删除该居民的个人信息 belong to the privacy tools (tests/test_personal_record.py), not the work forms.
    return [b.label for b in at.button if b.label not in ("刷新", "English", "退出登录", "隐去", "删除该居民的个人信息")]


def test_the_parking_story_shows_both_meetings_in_its_timeline(db):
    at = open_page("issue", user_id(db, "hx_secretary"), issue=PARKING)
    assert not at.exception
    timeline = at.dataframe[0].value
    assert {"第1次", "第2次"} <= set(timeline["会议"])
    assert "形成决议,分工落实" in set(timeline["事项"])
    meetings = at.dataframe[1].value
    assert list(meetings["处理结果"]) == ["暂缓/下次再议", "分工落实"]
    shown = texts(at)
    assert "#4 车位不足 〔示例〕" in shown and "1 户反映" in shown and "解决层级:小区" in shown
    assert submit_labels(at) == ["重新打开", "保存修改"]          # resolved: reopen, and edit


def test_the_forms_offered_are_the_legal_transitions_made_here(db):
    at = open_page("issue", user_id(db, "yl_secretary"), issue=GARAGE_LIGHTS)
    assert not at.exception
    # acting → publicizing / deliberating here; escalate and merge have their own forms; nothing else.
    assert submit_labels(at) == ["公示结果", "退回重新议事", "上报", "合并(本条关闭为重复)", "保存修改"]


def test_a_stale_version_is_refused_and_the_typed_note_is_kept(db):
    at = open_page("issue", user_id(db, "yl_secretary"), issue=GARAGE_LIGHTS)
    update_issue(db, SYSTEM, GARAGE_LIGHTS, issue_store.require_issue(db, GARAGE_LIGHTS)["version"], building="B区")  # someone else
    note = at.text_area(key=f"issue{GARAGE_LIGHTS}_tr_deliberating_note")
    note.input("物业更换灯管后仍不亮,需重新议定方案")
    button(at, "退回重新议事").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [STALE]
    assert at.text_area(key=f"issue{GARAGE_LIGHTS}_tr_deliberating_note").value == "物业更换灯管后仍不亮,需重新议定方案"
    assert issue_store.require_issue(db, GARAGE_LIGHTS)["stage"] == "acting"

    button(at, "刷新").click().run()                      # re-read: the note survives, the version is new
    assert at.text_area(key=f"issue{GARAGE_LIGHTS}_tr_deliberating_note").value == "物业更换灯管后仍不亮,需重新议定方案"
    button(at, "退回重新议事").click().run()
    assert not at.exception and not at.error
    assert issue_store.require_issue(db, GARAGE_LIGHTS)["stage"] == "deliberating"
    assert "已保存:退回重新议事" in texts(at)


def test_a_stale_edit_is_refused_then_merged_with_the_other_change_on_refresh(db):
    at = open_page("issue", user_id(db, "yl_secretary"), issue=GARAGE_LIGHTS)
    update_issue(db, SYSTEM, GARAGE_LIGHTS, issue_store.require_issue(db, GARAGE_LIGHTS)["version"], priority="high")
    at.text_input(key=f"issue{GARAGE_LIGHTS}_edit_title").input("地下车库B区照明不足")
    button(at, "保存修改").click().run()
    assert [e.value for e in at.error] == [STALE]
    assert at.text_input(key=f"issue{GARAGE_LIGHTS}_edit_title").value == "地下车库B区照明不足"

    at.button(key=f"issue{GARAGE_LIGHTS}_refresh_edit").click().run()      # 刷新, offered next to the form
    assert at.text_input(key=f"issue{GARAGE_LIGHTS}_edit_title").value == "地下车库B区照明不足"   # typed: kept
    assert at.radio(key=f"issue{GARAGE_LIGHTS}_edit_priority").value == "high"                  # theirs: loaded
    button(at, "保存修改").click().run()
    assert not at.error
    saved = issue_store.require_issue(db, GARAGE_LIGHTS)
    assert (saved["title"], saved["priority"]) == ("地下车库B区照明不足", "high")


def test_staff_see_the_internal_note_and_the_reporters_contact(db):
    update_issue(db, SYSTEM, DETOUR, issue_store.require_issue(db, DETOUR)["version"], internal_note="居民丁情绪激动,需上门回访")
    at = open_page("issue", user_id(db, "yl_secretary"), issue=DETOUR)
    assert not at.exception
    shown = texts(at)
    assert "居民丁情绪激动,需上门回访" in shown and "13912345604" in shown and "12栋2301" in shown


def test_a_seat_representative_sees_neither_internal_notes_nor_contacts(db):
    update_issue(db, SYSTEM, DETOUR, issue_store.require_issue(db, DETOUR)["version"], internal_note="居民丁情绪激动,需上门回访")
    at = open_page("issue", user_id(db, "yl_property"), issue=DETOUR)
    assert not at.exception
    shown = texts(at)
    assert "周边道路改造期间出行不便" in shown and "1 户反映" in shown
    assert "居民丁" not in shown and "13912345604" not in shown and "12栋2301" not in shown
    assert "内部信息(不公开)" not in [e.label for e in at.expander]
    assert submit_labels(at) == []                        # reads only


def test_an_escalated_issue_waits_for_the_answer_instead_of_offering_moves(db):
    at = open_page("issue", user_id(db, "yl_secretary"), issue=DETOUR)
    assert "已上报,等待社区/街道答复" in texts(at)
    assert submit_labels(at) == ["合并(本条关闭为重复)", "保存修改"]     # a duplicate merges at any stage
    # The 上报 tab shows the request in full (st.text), and whom the compound waits for.
    assert "请街道协调施工单位设置临时通道。" in [t.value for t in at.text]
    assert any(i.value.startswith("等待南湾街道答复") for i in at.info)


def test_a_residents_concern_is_accepted_merged_or_refused_from_here(db):
    category = one(db, "SELECT id FROM categories WHERE compound_id = 2 AND name = '违建'")["id"]
    concern = raise_concern(db, 2, category_id=category, description="7栋楼顶有人搭建铁皮房,存在安全隐患",
                            session_key="resident-1", building="7栋")
    at = open_page("issue", user_id(db, "yl_secretary"), issue=concern)
    assert not at.exception
    assert "居民反映,尚未受理" in texts(at)
    # The concern forms replace the stage moves: refusing it is its 关闭, with a public reason.
    assert submit_labels(at) == ["受理,进入议题台账", "合并(本条关闭为重复)", "不予受理", "保存修改"]

    at.selectbox(key=f"issue{concern}_merge_into").set_value(59)
    button(at, "合并(本条关闭为重复)").click().run()
    assert not at.exception and not at.error
    merged = issue_store.require_issue(db, concern)
    assert (merged["stage"], merged["merged_into_id"]) == ("closed", 59)


def test_refusing_a_concern_needs_a_public_reason_and_keeps_the_form(db):
    category = one(db, "SELECT id FROM categories WHERE compound_id = 2 AND name = '违建'")["id"]
    concern = raise_concern(db, 2, category_id=category, description="隔壁小区的围墙太高影响采光",
                            session_key="resident-2")
    at = open_page("issue", user_id(db, "yl_secretary"), issue=concern)
    button(at, "不予受理").click().run()
    assert [e.value for e in at.error] == ["不予受理需要写明理由(将在公示栏显示)"]
    at.text_area(key=f"issue{concern}_concern_reason").input("不属本小区范围,已告知向相邻小区反映")
    button(at, "不予受理").click().run()
    assert not at.error
    assert issue_store.require_issue(db, concern)["closed_reason"] == "rejected"


def test_recorder_works_on_the_issue(db):
    at = open_page("issue", user_id(db, "hx_recorder"), issue=PARKING)
    assert not at.exception
    assert submit_labels(at) == ["重新打开", "保存修改"]


def test_a_recorder_is_offered_neither_publishing_nor_escalating(db):
    recorder = create_user(db, SYSTEM, "yl_recorder", "怡乐记录员", "recorder", password_hash="x", compound_ids=[2])
    at = open_page("issue", recorder, issue=GARAGE_LIGHTS)
    assert not at.exception
    assert submit_labels(at) == ["退回重新议事", "合并(本条关闭为重复)", "保存修改"]   # 公示 and 上报 are the secretary's


def test_officer_reads_an_issue_of_the_area_without_forms(db):
    at = open_page("issue", user_id(db, "nanwan_officer"), issue=DETOUR)
    assert not at.exception
    assert "周边道路改造期间出行不便" in texts(at)
    assert submit_labels(at) == []


def test_officer_of_another_area_is_refused(db):
    at = open_page("issue", user_id(db, "nanwan_officer"), issue=PARKING)
    assert not at.exception
    assert [e.value for e in at.error] == ["您没有权限查看小区内部信息(此操作已记录)"]
    assert not at.dataframe


def test_admin_opens_any_issue_but_not_the_residents_contact(db):
    # The concern form promises residents' words and contact to the secretary and recorder only.
    at = open_page("issue", user_id(db, "admin"), issue=DETOUR)
    assert not at.exception
    assert "周边道路改造期间出行不便" in texts(at)
    assert "13912345604" not in texts(at) and "12栋2301" not in texts(at)


def test_without_an_issue_number_the_page_points_to_the_register(db):
    at = open_page("issue", user_id(db, "hx_secretary"))
    assert not at.exception
    assert "请从议题台账或工作台打开一个议题。" in texts(at)


def test_a_signed_out_visitor_is_asked_to_sign_in(db):
    at = open_signed_out("issue")
    assert [w.value for w in at.warning] == ["请先登录。"]


def test_markdown_in_user_text_is_shown_literally(db):
    category = one(db, "SELECT id FROM categories WHERE compound_id = 2 AND name = '违建'")["id"]
    actor = load_actor(db, user_id(db, "yl_secretary"))
    issue_id = raise_issue(db, actor, 2, title="[点我](javascript:alert(1)) **粗体**", category_id=category,
                           raised_by_kind="resident", description="<script>alert(2)</script>")
    at = open_page("issue", actor.user_id, issue=issue_id)
    assert not at.exception
    # Every Markdown character of the title is escaped, so it cannot become a link or bold text.
    number = one(db, "SELECT number FROM issues WHERE id = ?", [issue_id])["number"]
    assert at.title[0].value == f"#{number} \\[点我\\]\\(javascript\\:alert\\(1\\)\\) \\*\\*粗体\\*\\*"
    assert "<script>alert(2)</script>" in [t.value for t in at.text]        # st.text: never Markdown
