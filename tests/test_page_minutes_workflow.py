"""The minutes on the 会议 page (AppTest on a copy of the demo data): a held meeting's draft is
corrected through the page, approved, amended with a reason; both texts stay on the page, typed
markup shows as typed, and the 公开版 tab names no one."""
from __future__ import annotations

from deliberation.services import meetings as meeting_svc
from deliberation.services.actors import load_actor
from deliberation.services.agenda import add_to_agenda, record_decision
from deliberation.services.attendance import record_attendance
from deliberation.store import one, rows
from tests.factories import make_issue
from tests.page_output import open_page
from tests.page_session import user_id

HONGXIANG = 1
MARKUP = "**改** <b>x</b> [链接](javascript:alert(1))"


def _held_meeting(db) -> tuple[int, int]:
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    issue_id = make_issue(db, secretary, HONGXIANG, title="东门道闸失灵")
    meeting_id = meeting_svc.schedule_meeting(db, secretary, HONGXIANG)
    item_id = add_to_agenda(db, secretary, meeting_id, issue_id)
    meeting_svc.start_meeting(db, secretary, meeting_id)
    record_attendance(db, secretary, meeting_id, {line["member_id"]: ("present", "")
                                                  for line in meeting_svc.attendance(db, secretary, meeting_id)})
    record_decision(db, secretary, item_id, outcome="deferred", discussion="王某某发言", decision="下次再议")
    meeting_svc.finish_meeting(db, secretary, meeting_id)
    return meeting_id, item_id


def _strings(block) -> str:
    parts = [e.value for kind in ("subheader", "markdown", "caption") for e in block.get(kind)]
    parts += [str(df.value.to_dict()) for df in block.get("dataframe")]
    return "\n".join(str(p) for p in parts)


def test_the_draft_is_corrected_approved_and_amended_on_the_page_and_the_preview_names_no_one(demo_env):
    db = demo_env
    meeting_id, item_id = _held_meeting(db)
    at = open_page("meetings", user=user_id(db, "hx_secretary"), query={"meeting": meeting_id})
    assert not at.exception
    internal, public = at.tabs[0], at.tabs[1]
    assert (internal.label, public.label) == ("内部版", "公开版预览")
    members = [r["name"] for r in rows(db, "SELECT name FROM members WHERE compound_id = ?", [HONGXIANG])]
    assert any(name in _strings(internal) for name in members)             # the internal roll names people
    assert not [name for name in members if name in _strings(public)]
    assert "王某某发言" in _strings(internal) and "王某某发言" not in _strings(public)

    key = f"meetings_fix_{item_id}_1"
    at.text_area(key=f"{key}_discussion").input("业主代表发言,物业回应")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert not at.exception and one(db, "SELECT discussion FROM agenda_items WHERE id = ?",
                                    [item_id])["discussion"] == "业主代表发言,物业回应"

    next(b for b in at.button if b.label == "审定纪要").click().run()
    assert one(db, "SELECT status FROM meetings WHERE id = ?", [meeting_id])["status"] == "minutes_approved"
    at = open_page("meetings", user=user_id(db, "hx_secretary"), query={"meeting": meeting_id})
    assert not [b for b in at.button if b.label == "保存修改"]               # locked: no draft form
    key = f"meetings_amend_{item_id}_2"
    at.text_area(key=f"{key}_discussion").input(MARKUP)
    next(b for b in at.button if b.label == "保存更正").click().run()
    assert "需要写明更正理由" in "\n".join(e.value for e in at.error)      # refused without a reason
    at.text_input(key=f"{key}_reason").input("核对录音")
    next(b for b in at.button if b.label == "保存更正").click().run()
    assert not at.exception and not at.error
    shown = _strings(at.tabs[0])
    assert "业主代表发言,物业回应" in shown                                  # the approved text, still readable
    assert "核对录音" in shown
    assert MARKUP not in shown and "\\*\\*改\\*\\*" in shown                  # typed markup escaped, not rendered


def test_the_roll_is_corrected_after_the_meeting_until_approval(demo_env):
    db = demo_env
    meeting_id, _ = _held_meeting(db)
    line = one(db, "SELECT member_id FROM attendance WHERE meeting_id = ? AND status = 'present' LIMIT 1",
               [meeting_id])
    at = open_page("meetings", user=user_id(db, "hx_secretary"), query={"meeting": meeting_id})
    assert "修改出席情况(审定前)" in [e.label for e in at.expander]
    at.radio(key=f"meetings_att_{meeting_id}_{line['member_id']}").set_value("excused").run()
    assert not at.exception
    assert one(db, "SELECT status FROM attendance WHERE meeting_id = ? AND member_id = ?",
               [meeting_id, line["member_id"]])["status"] == "excused"
    assert "实到9人" in _strings(at.tabs[0])                                # the minutes show the corrected roll
    next(b for b in at.button if b.label == "审定纪要").click().run()
    assert "修改出席情况(审定前)" not in [e.label for e in at.expander]        # approved: the roll is locked
