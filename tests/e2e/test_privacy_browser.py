"""The concern form's promise in a real browser: on the demo's 高空抛物 (raised by 居民甲 of 5栋1203,
13912345601, in the resident's own words), 物业 and the 社区 officer see the issue, never the words,
name, unit or phone; the 鸿翔花园 secretary does. The concern form says exactly that, on a desktop
and on a phone."""
from __future__ import annotations

from functools import partial

import pytest

from deliberation.store import open_db, scalar

from .helpers import assert_no_exception, goto, sign_in, step_in, wait_idle

SHOTS = "test_privacy_browser"
step = partial(step_in, SHOTS)
WORDS = "险些伤人"                       # from the demo resident's description
PERSONAL = (WORDS, "居民甲", "5栋1203", "13912345601")
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def issue_id(demo_db) -> int:
    db = open_db(demo_db)
    try:
        return scalar(db, "SELECT id FROM issues WHERE compound_id = 1 AND title = '高空抛物'")
    finally:
        db.close()


def open_issue(page, app_url: str, issue_id: int) -> str:
    goto(page, f"{app_url}/issue?issue={issue_id}")
    page.get_by_role("heading", name="高空抛物").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    page.get_by_test_id("stMain").evaluate("""main => main.querySelectorAll('[data-testid="stExpander"] summary')
                                              .forEach(s => s.closest('details').open || s.click())""")
    wait_idle(page)
    return page.get_by_test_id("stMain").inner_text()


@pytest.mark.parametrize("username", ("hx_property", "hx_owners", "songyuan_officer"))
def test_a_seat_representative_or_officer_never_sees_the_residents_words_or_contact(page, app_url, issue_id,
                                                                                     username):
    sign_in(page, app_url, username)
    shown = open_issue(page, app_url, issue_id)
    step(page, f"issue-as-{username}")
    assert "1 户反映" in shown
    assert [p for p in PERSONAL if p in shown] == []


@pytest.mark.parametrize("size", SIZES)
def test_the_secretary_sees_them(page, app_url, issue_id, size):
    page.set_viewport_size(SIZES[size])
    sign_in(page, app_url, "hx_secretary")
    shown = open_issue(page, app_url, issue_id)
    step(page, f"issue-as-secretary-{size}")
    assert [p for p in PERSONAL if p in shown] == list(PERSONAL)


@pytest.mark.parametrize("size", SIZES)
def test_the_concern_form_says_who_sees_what(page, app_url, size):
    page.set_viewport_size(SIZES[size])
    goto(page, f"{app_url}/public?compound=1")
    page.get_by_role("tab", name="我要反映").click()
    notice = page.get_by_text("只有本小区支部书记和记录员能看到", exact=False)
    notice.first.scroll_into_view_if_needed()
    step(page, f"concern-form-{size}", expect=notice.first)
    text = notice.first.inner_text()
    assert "物业、业委会等协商主体代表和社区、街道干部" in text and "看不到您的原话和联系方式" in text
