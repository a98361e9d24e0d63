"""Switching the language mid-task keeps the user where they are and keeps what they typed:
the page stays, the labels change, a filled-in (not yet submitted) input keeps its value."""
from __future__ import annotations

from functools import partial

from urllib.parse import urlparse

import pytest

from .helpers import goto, shot, step_in, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "language_switch"
PLACE = "居委会二楼会议室"


step = partial(step_in, SHOTS)


def place_input(page, submit: str, label: str):
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=submit, exact=True))
    return form.get_by_label(label, exact=True)


def test_switching_to_english_and_back_keeps_the_page_and_the_typed_place(page, app_url):
    goto(page, app_url)
    page.get_by_label("用户名").fill("hx_secretary")
    page.get_by_label("密码").fill("Demo2026!")
    page.get_by_role("button", name="登录", exact=True).click()
    step(page, "signed_in", page.get_by_role("button", name="退出登录"))
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="会议", exact=True).click()
    step(page, "meetings_zh", page.get_by_role("heading", name="协商议事会议"))

    place_input(page, "安排会议", "地点").fill(PLACE)
    wait_idle(page)
    shot(page, SHOTS, "place_typed")

    page.get_by_role("button", name="English", exact=True).click()
    step(page, "meetings_en", page.get_by_role("heading", name="Consultative meetings"))
    assert urlparse(page.url).path.endswith("/meetings") and "lang=en" in page.url
    assert place_input(page, "Schedule meeting", "Place").input_value() == PLACE
    assert page.get_by_test_id("stSidebarNav").get_by_role("link", name="Meetings", exact=True).count() == 1

    page.get_by_role("button", name="中文", exact=True).click()
    step(page, "meetings_zh_again", page.get_by_role("heading", name="协商议事会议"))
    assert urlparse(page.url).path.endswith("/meetings")
    assert place_input(page, "安排会议", "地点").input_value() == PLACE
    assert not page.errors_seen
