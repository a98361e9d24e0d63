"""公示 cannot be cut short, in a real browser: on day 0 the issue page offers no 公示期满,办结 and
says until when the window runs; once the window has ended the secretary gets the button and it
works; a recorder (no publish right) never gets it."""
from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pytest

from deliberation.model.lifecycle import chinese_date
from deliberation.services.actors import load_actor
from deliberation.services.publicity import publish_result
from deliberation.store import one, open_db
from tests.factories import actions_for, held_meeting_with_quorum, make_issue

from .helpers import goto, shot, sign_in, step_in

SHOTS = "test_publicity_window"
step = partial(step_in, SHOTS)
HONGXIANG = 1
RESOLVE = "公示期满,办结"


@pytest.fixture(scope="module")
def posted(demo_db, streamlit_server) -> dict:
    """Two 鸿翔 issues in 公示: one posted today (day 0), one posted 10 days ago (window ended)."""
    db = open_db(demo_db)
    secretary = load_actor(db, one(db, "SELECT id FROM users WHERE username = 'hx_secretary'")["id"])
    today_id = make_issue(db, secretary, HONGXIANG, title="北门路灯不亮")
    ended_id = make_issue(db, secretary, HONGXIANG, title="垃圾房异味")
    held_meeting_with_quorum(db, secretary, HONGXIANG, {
        issue_id: {"outcome": "actions", "actions": actions_for(db, HONGXIANG, "property")}
        for issue_id in (today_id, ended_id)})
    publish_result(db, secretary, today_id, summary="路灯已更换")
    publish_result(db, secretary, ended_id, summary="垃圾房已清洗消毒", on=date.today() - timedelta(days=10))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"url": streamlit_server(demo_db), "today": today_id, "ended": ended_id}


def resolve_button(page):
    return page.get_by_role("button", name=RESOLVE, exact=True)


def test_on_day_0_the_button_is_not_offered_and_the_page_says_until_when(page, posted):
    url = posted["url"]
    sign_in(page, url, "hx_secretary")
    closes = chinese_date(date.today() + timedelta(days=7))
    notice = page.get_by_text(f"公示期至 {closes},期满后可办结")
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        goto(page, f"{url}/issue?issue={posted['today']}")
        step(page, f"day0-secretary-{width}", expect=notice)
        notice.scroll_into_view_if_needed()
        shot(page, SHOTS, f"day0-secretary-{width}-notice")
        assert resolve_button(page).count() == 0
        assert page.get_by_role("button", name="重新议事", exact=True).count() == 1    # reopening stays possible


def test_a_recorder_is_never_offered_the_button(page, posted):
    url = posted["url"]
    sign_in(page, url, "hx_recorder")
    for issue in ("today", "ended"):
        goto(page, f"{url}/issue?issue={posted[issue]}")
        step(page, f"recorder-{issue}", expect=page.get_by_text("公示监督").first)
        assert resolve_button(page).count() == 0
        assert page.get_by_role("button", name="重新议事", exact=True).count() == 0
        shot(page, SHOTS, f"recorder-{issue}-checked")


def test_after_the_window_the_secretary_gets_the_button_and_it_resolves(page, posted):
    url = posted["url"]
    sign_in(page, url, "hx_secretary")
    goto(page, f"{url}/issue?issue={posted['ended']}")
    step(page, "ended-secretary", expect=resolve_button(page))
    resolve_button(page).scroll_into_view_if_needed()
    shot(page, SHOTS, "ended-secretary-button")
    assert page.get_by_text("期满后可办结").count() == 0
    resolve_button(page).click()
    step(page, "ended-secretary-resolved", expect=page.get_by_text(f"已保存:{RESOLVE}").first)
