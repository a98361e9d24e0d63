"""Hostile input in a real browser (issue 10, item 9): every malformed id in the URL of every page
that reads one shows "找不到…" — never the exception box or the generic apology — and markup typed
into a display name, a place, a category name or the minutes creates no element and fetches nothing."""
from __future__ import annotations

import pytest

from deliberation.store import open_db
from tests.xss_payloads import EVIL_HOST, MARKUP, MARKUP_USER, seed_markup

from .helpers import DEMO_PASSWORD, assert_no_exception, goto, shot, sign_in, wait_idle

ARTIFACTS = "test_hostile_input_browser"
MALFORMED = ("²", "-1", "99999999999999999999", "1e3", "", "abc")
GENERIC = "抱歉,系统出了点问题"
# (page path, parameter, the message, who signs in; None: the public board)
URL_PAGES = [("public", "compound", "找不到该小区", None), ("issue", "issue", "找不到该议题", "hx_secretary"),
             ("register", "compound", "找不到该小区", "hx_secretary"),
             ("meetings", "meeting", "找不到该会议", "hx_secretary"),
             ("meetings", "compound", "找不到该小区", "hx_secretary")]


@pytest.fixture(scope="module")
def served(demo_db, streamlit_server):
    """The module's demo database with the MARKUP payloads written through the services, then served."""
    db = open_db(demo_db)
    records = seed_markup(db, DEMO_PASSWORD)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return streamlit_server(demo_db), records


@pytest.mark.parametrize("path,param,message,username", URL_PAGES, ids=[f"{p}-{q}" for p, q, _, _ in URL_PAGES])
def test_a_malformed_id_in_the_url_says_not_found(page, served, path, param, message, username):
    url, _ = served
    if username:
        sign_in(page, url, username)            # the cookie keeps the session across the full loads below
    for raw in MALFORMED:
        goto(page, f"{url}/{path}?{param}={raw}")
        assert_no_exception(page)
        page.get_by_text(message).first.wait_for(timeout=15000)
        assert page.get_by_text(GENERIC).count() == 0, (path, param, raw)
        assert page.errors_seen == []
    shot(page, ARTIFACTS, f"not-found-{path}-{param}")


@pytest.fixture
def watched(page):
    """Every request the page makes is recorded; anything to the payloads' host is answered locally
    (aborted), so a test can tell that it was attempted without leaving the machine."""
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    page.route(f"**/*{EVIL_HOST}*/**", lambda route: route.abort())
    return page


def assert_inert(page) -> None:
    assert_no_exception(page)
    assert page.dialogs_seen == [] and page.errors_seen == []
    assert page.locator(f'a[href*="{EVIL_HOST}"]').count() == 0
    assert page.locator(f'img[src*="{EVIL_HOST}"], img[src="x"]').count() == 0
    assert [u for u in page.requests_seen if EVIL_HOST in u] == []


def test_the_display_name_in_the_sidebar_stays_text(watched, served):
    url, _ = served
    sign_in(watched, url, MARKUP_USER)
    caption = watched.locator('[data-testid="stSidebar"]').get_by_text("当前用户").first
    caption.wait_for()
    assert "![头像](http" in caption.inner_text().replace("\u2060", "")
    assert_inert(watched)
    shot(watched, ARTIFACTS, "sidebar-display-name")


def test_bare_urls_in_the_places_on_the_public_board_are_no_links(watched, served):
    url, _ = served
    goto(watched, f"{url}/public?compound=1")
    header = watched.get_by_text("党群服务站").first
    header.wait_for()
    assert MARKUP["compound_place"] in header.inner_text().replace("\u2060", "")
    assert_inert(watched)
    watched.get_by_role("tab", name="议事会议").click()
    wait_idle(watched)
    watched.get_by_text("社区活动室").first.wait_for()
    assert_inert(watched)
    shot(watched, ARTIFACTS, "public-meetings-place")


def test_a_category_name_in_the_charts_reads_literally(watched, served):
    url, _ = served
    sign_in(watched, url, "hx_secretary")
    goto(watched, f"{url}/dashboard")
    watched.locator(".js-plotly-plot").first.wait_for()
    wait_idle(watched)
    ticks = watched.locator(".js-plotly-plot g.ytick text").all_text_contents()
    assert MARKUP["category"] in ticks, ticks
    assert watched.locator(".js-plotly-plot a").count() == 0
    assert_inert(watched)
    shot(watched, ARTIFACTS, "dashboard-category")


def test_the_discussion_and_place_on_the_meeting_page_stay_text(watched, served):
    url, records = served
    sign_in(watched, url, "hx_secretary")
    goto(watched, f"{url}/meetings?meeting={records['meeting']}")
    watched.get_by_text("社区活动室").first.wait_for()
    assert_inert(watched)
    shot(watched, ARTIFACTS, "meeting-console")
