"""Issue 13's defects that only a real browser shows (item 10)."""
from __future__ import annotations

from functools import partial

from deliberation.services import meetings as meeting_svc
from deliberation.services.actors import load_actor
from deliberation.store import one, open_db, rows

from .helpers import sign_in, step_in, wait_idle

SHOTS = "test_defects_13_browser"
step = partial(step_in, SHOTS)


def _required_seats(db_path) -> list[str]:
    db = open_db(db_path)
    try:
        return [r["name"] for r in rows(db, "SELECT name FROM seats WHERE compound_id = 1 AND quorum_required = 1 "
                                            "ORDER BY position")]
    finally:
        db.close()


def test_renaming_a_required_seat_then_adding_a_seat_keeps_the_roster_working(page, app_url, demo_db):
    sign_in(page, f"{app_url}/roster", "hx_secretary")
    page.get_by_text("新增、改名或停用协商主体").click()
    wait_idle(page)
    rename = page.get_by_test_id("stForm").filter(has_text="改名")
    rename.get_by_label("要改名的主体").click()
    page.get_by_role("option", name="业主委员会").click()
    rename.get_by_label("新名称").fill("业主大会")
    rename.get_by_role("button", name="改名").click()
    step(page, "seat_renamed", page.get_by_text("已改名"))
    add = page.get_by_test_id("stForm").filter(has_text="新增主体")
    add.get_by_label("新的协商主体名称").fill("物业管理处")
    add.get_by_role("button", name="新增主体").click()
    step(page, "seat_added", page.get_by_text("协商主体已新增"))

    # The rules tab still shows the renamed seat as required, under its new name, and saving keeps it.
    page.get_by_role("tab", name="例会与议事规则").click()
    wait_idle(page)
    chosen = page.get_by_test_id("stMultiSelect").inner_text().split("\n")
    assert [line.strip() for line in chosen if line.strip()][1:] == ["党支部", "业主大会", "物业服务企业"]
    page.get_by_role("button", name="保存规则").click()
    step(page, "rules_saved", page.get_by_text("议事规则已保存。"))
    assert _required_seats(demo_db) == ["党支部", "业主大会", "物业服务企业"]


def test_the_quorum_banner_changes_as_the_roll_is_ticked(page, app_url, demo_db):
    db = open_db(demo_db)
    try:
        secretary = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'hx_secretary'")["id"])
        meeting_id = meeting_svc.schedule_meeting(db, secretary, 1)
        meeting_svc.start_meeting(db, secretary, meeting_id)
        roll = {line["seat_code"]: f"{line['seat_name']} · {line['member_name']}"     # (a seat may be renamed)
                for line in meeting_svc.attendance(db, secretary, meeting_id) if line["seat_code"] != "party"
                or line["member_name"] == "李明华"}
    finally:
        db.close()
    sign_in(page, f"{app_url}/meetings", "hx_secretary")
    page.get_by_role("button", name="进入第14次会议控制台(进行中)").click()
    banner = page.get_by_test_id("stAlertContentWarning").filter(has_text="未达法定人数")
    banner.wait_for()
    step(page, "roll_empty")
    for seat in ("party", "owners", "property", "residents_committee"):
        page.get_by_role("radiogroup", name=roll[seat]).get_by_text("出席", exact=True).click()
        wait_idle(page)
    page.get_by_test_id("stAlertContentWarning").filter(has_text="出席主体 4/5").wait_for()
    step(page, "four_seats_ticked")
    page.get_by_role("radiogroup", name=roll["police"]).get_by_text("出席", exact=True).click()
    step(page, "quorum_met", page.get_by_test_id("stAlertContentSuccess").filter(has_text="已达法定人数:5 个协商主体出席"))
    assert page.get_by_role("button", name="保存出席情况").count() == 0      # nothing left to save
    # A proxy counts once named (Enter saves it).
    page.get_by_role("radiogroup", name=roll["deputies"]).get_by_text("委托出席", exact=True).click()
    step(page, "proxy_waits_for_a_name", page.get_by_text("填写受托人后保存"))
    proxy = page.get_by_label(f"{roll['deputies']} 的受托人")
    proxy.fill("联络站工作人员")
    proxy.press("Enter")
    step(page, "proxy_named", page.get_by_test_id("stAlertContentSuccess").filter(has_text="已达法定人数:6 个协商主体出席"))
    page.reload()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text="已达法定人数:6 个协商主体出席").wait_for()
    wait_idle(page)
    page.get_by_text("出席情况(按协商主体)").click()          # on record: a new page shows it too
    wait_idle(page)
    assert page.get_by_role("radiogroup", name=roll["police"]).get_by_role("radio", name="出席", exact=True).is_checked()
