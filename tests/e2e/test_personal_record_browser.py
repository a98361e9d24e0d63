"""Issue 10 items 5-6 in a real browser: the concern form says how long personal data is kept, and
the secretary finds 个人信息与隐去 on the issue page (redact a field, erase a resident)."""
from __future__ import annotations

import pytest

from .helpers import assert_no_exception, goto, shot, sign_in, wait_idle

ARTIFACTS = "test_personal_record_browser"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_the_concern_form_names_the_retention_period(page, app_url, size):
    page.set_viewport_size(SIZES[size])
    goto(page, f"{app_url}/public?compound=1")
    page.get_by_role("tab", name="我要反映").click()
    wait_idle(page)
    page.get_by_text("关闭一年后").first.wait_for()
    assert_no_exception(page)
    page.get_by_text("关闭一年后").first.scroll_into_view_if_needed()
    shot(page, ARTIFACTS, f"concern-form-retention-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_the_secretary_sees_redaction_and_erasure_on_the_issue_page(page, app_url, size):
    page.set_viewport_size(SIZES[size])
    sign_in(page, app_url, "hx_secretary")
    goto(page, f"{app_url}/issue?issue=1")
    assert_no_exception(page)
    page.get_by_text("个人信息与隐去").first.click()
    wait_idle(page)
    page.get_by_text("要隐去的内容").first.wait_for()
    page.get_by_text("要隐去的内容").first.scroll_into_view_if_needed()
    shot(page, ARTIFACTS, f"issue-privacy-{size}")
    assert page.errors_seen == []
