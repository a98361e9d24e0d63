"""The residents' public board in a real browser: a QR link opens a compound's board without
signing in; a resident raises a concern, is offered a similar open issue first, and leaves with a
reference number while the board shows the concern as waiting."""
from __future__ import annotations

import re

from .helpers import assert_no_exception, goto, shot, wait_idle

ARTIFACTS = "test_public_board"


def see(page, text, count: int = 1) -> None:
    """Wait for the text (a string or a pattern) to be shown, then check how often it is."""
    found = page.get_by_text(text)
    found.first.wait_for()
    assert found.count() == count, text


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


def test_a_fresh_browser_opens_the_qr_link_on_the_hongxiang_board(page, app_url):
    goto(page, f"{app_url}/public?compound=1")
    assert_no_exception(page)
    page.get_by_role("heading", name=re.compile("鸿翔花园 · 居民公示栏")).wait_for()
    assert page.get_by_role("link", name="登录").count() == 1           # signed out: nothing internal
    assert page.get_by_text("已办结").count() >= 10
    page.get_by_role("button", name="下一页").first.click()
    wait_idle(page)
    see(page, "#4 车位不足")
    shot(page, ARTIFACTS, "hongxiang-issues-page-2")
    tab(page, "议事会议")
    see(page, re.compile("第13次协商议事会"))
    see(page, "第13次会议审议了1项议题:小区监控盲区。")
    shot(page, ARTIFACTS, "hongxiang-meetings")
    assert page.dialogs_seen == [] and page.errors_seen == []


def test_the_board_is_one_click_from_the_sign_in_page(page, app_url):
    goto(page, app_url)
    page.get_by_text("不登录,查看居民公示栏").click()
    wait_idle(page)
    assert page.url.split("?")[0].endswith("/public")
    page.get_by_label("选择小区").click()
    page.get_by_role("option", name="鸿翔花园 〔示例〕").click()
    wait_idle(page)
    assert "compound=1" in page.url
    page.get_by_role("heading", name=re.compile("鸿翔花园 · 居民公示栏")).wait_for()


def test_a_resident_raises_a_concern_after_seeing_a_similar_one_and_gets_a_reference(page, app_url):
    goto(page, f"{app_url}/public?compound=2")
    tab(page, "我要反映")
    page.get_by_label("问题类别").click()
    page.get_by_role("option", name="停车").click()
    page.get_by_label("问题描述(仅本小区支部书记和记录员可见,不在公示栏公开)").fill("地下车库B区的灯又坏了,晚上很暗")
    page.get_by_label("楼栋(选填,如“5栋”;会公开显示,请勿填写门牌号)").fill("9栋")
    page.get_by_label("联系方式(选填,仅本小区支部书记和记录员可见,用于回访)").fill("13912345611")
    page.get_by_role("button", name="提交反映").click()
    wait_idle(page)
    see(page, re.compile("可能是同一件事"))
    see(page, "#41 地下车库照明不足")                   # 怡乐花园's #41 (the database's issue 56)
    shot(page, ARTIFACTS, "similar-hint")
    page.get_by_role("button", name="不是同一件事,继续提交").click()
    wait_idle(page)
    received = page.get_by_text(re.compile(r"您的反映已收到,受理编号 #\d+"))
    received.wait_for()
    reference = re.search(r"#(\d+)", received.inner_text()).group(1)
    shot(page, ARTIFACTS, "acknowledged")
    tab(page, "问题进展")
    see(page, f"#{reference} 居民反映:停车(9栋)")
    assert page.get_by_text("已收到,待支部受理").count() >= 1
    assert page.get_by_text("13912345611").count() == 0
    shot(page, ARTIFACTS, "waiting-on-the-board")


def test_a_resident_joins_a_similar_open_issue_instead(page, app_url):
    goto(page, f"{app_url}/public?compound=2")
    tab(page, "我要反映")
    page.get_by_label("问题类别").click()
    page.get_by_role("option", name="停车").click()
    page.get_by_label("问题描述(仅本小区支部书记和记录员可见,不在公示栏公开)").fill("地下车库照明太暗,灯管坏了")
    page.get_by_role("button", name="提交反映").click()
    wait_idle(page)
    page.get_by_role("button", name="我也遇到").first.click()
    wait_idle(page)
    see(page, re.compile(r"已把您计入问题 #\d+ 的反映户数"))
    assert_no_exception(page)
