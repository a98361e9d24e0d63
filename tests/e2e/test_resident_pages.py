"""The residents' light pages in real Chromium at phone size (390x844), served by app.py beside the
Streamlit app: content, no horizontal scroll, JavaScript off, axe-core 0 serious/critical, long
titles that wrap, markup shown as text, and tampered addresses answered with a Chinese 404."""
from __future__ import annotations

import re

import pytest

from deliberation.services import public as public_svc
from deliberation.services.actors import SYSTEM
from deliberation.services.issues import raise_issue
from deliberation.store import open_db, scalar
from tests.factories import category_id, copy_db

from .axe import axe_violations, describe
from .helpers import artifacts_dir

DESKTOP = {"width": 1280, "height": 900}
HX, YILE = 1, 2
LONG = "地下车库B区入口处排水沟长期堵塞导致每逢暴雨积水严重车辆无法通行且积水倒灌电梯井存在安全隐患" * 2
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>车棚漏雨"
ARTIFACTS = artifacts_dir("test_resident_pages")


@pytest.fixture(scope="module")
def site(streamlit_server, demo_db, tmp_path_factory):
    """app.py on a copy of the demo with a very long title and a title full of markup in 鸿翔花园."""
    path = tmp_path_factory.mktemp("resident") / "demo.db"
    copy_db(demo_db, path)
    db = open_db(path)
    long_id = raise_issue(db, SYSTEM, HX, title=LONG, category_id=category_id(db, HX, "停车"), raised_by_kind="patrol",
                          building="12栋" * 10, public_summary="说明" + "很长的说明文字" * 40)
    markup_id = raise_issue(db, SYSTEM, HX, title=MARKUP, category_id=category_id(db, HX, "停车"),
                            raised_by_kind="patrol")
    numbers = {name: scalar(db, "SELECT number FROM issues WHERE id = ?", [i])
               for name, i in (("long", long_id), ("markup", markup_id))}
    [publicizing], _ = public_svc.public_issues(db, YILE, stage="publicizing", page_size=1)
    [resolved], _ = public_svc.public_issues(db, HX, stage="resolved", page_size=1)
    numbers |= {"publicizing": publicizing.number, "resolved": resolved.number}
    db.close()
    return {"url": streamlit_server(path), **numbers}


def pages_of(site) -> dict[str, str]:
    return {"board": f"/board/{HX}", "board-yile": f"/board/{YILE}", "board-page2": f"/board/{HX}?page=2",
            "issue-resolved": f"/board/{HX}/issues/{site['resolved']}",
            "issue-publicizing": f"/board/{YILE}/issues/{site['publicizing']}",
            "issue-long": f"/board/{HX}/issues/{site['long']}", "report": f"/board/{HX}/report",
            "track": f"/board/{HX}/track", "join": f"/board/{HX}/issues/{site['long']}/join",
            "not-found": f"/board/{HX}/issues/99999"}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_the_board_on_a_phone_without_javascript(phone, site):
    url = site["url"]
    answer = phone.goto(f"{url}/board/{HX}")
    assert answer.status == 200
    main = phone.get_by_role("main")
    main.get_by_role("heading", level=1, name=re.compile("鸿翔花园居民公示栏")).wait_for()
    assert main.get_by_text("〔示例〕").count() >= 1
    assert phone.get_by_role("link", name="我要反映").is_visible()
    assert phone.get_by_role("link", name="查进度").is_visible()
    for heading in ("议题进展", "议事会议", "上报与答复"):
        assert main.get_by_role("heading", level=2, name=re.compile(heading)).count() == 1
    assert main.get_by_text("第13次议事会").count() == 1
    # The seven stages fit in one row on the phone.
    boxes = phone.locator("ul.stages li").evaluate_all(
        "items => items.map(li => { const r = li.getBoundingClientRect(); return [r.top, r.right]; })")
    assert len(boxes) == 7 and len({round(top) for top, _ in boxes}) == 1 and max(r for _, r in boxes) <= 390
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "board-390.png"))
    # Plain links filter and page the list; an issue opens by its number.
    phone.get_by_role("link", name=re.compile("^已办结$")).click()
    assert "stage=resolved" in phone.url and main.get_by_role("heading", name=re.compile("已办结的议题")).count() == 1
    phone.get_by_role("link", name=re.compile(rf"^#{site['resolved']} ")).first.click()
    assert phone.url.endswith(f"/board/{HX}/issues/{site['resolved']}")
    phone.get_by_role("heading", level=2, name="办理经过").wait_for()
    assert no_horizontal_scroll(phone)


def test_an_issue_in_publicity_shows_days_left_timeline_and_the_rating_form(phone, site):
    phone.goto(f"{site['url']}/board/{YILE}/issues/{site['publicizing']}")
    main = phone.get_by_role("main")
    assert main.get_by_text(re.compile("异议期还剩 \\d+ 天")).count() >= 1
    assert main.get_by_role("heading", name="办理经过").count() == 1
    assert main.locator("ol.timeline li").count() >= 2
    assert main.get_by_role("heading", name="评价办理结果").count() == 1     # the form of web/resident/actions.py
    assert main.get_by_role("button", name="提交评价").is_visible()
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "issue-publicizing-390.png"), full_page=True)


def test_a_long_title_wraps_and_markup_is_shown_as_text(phone, browser, site):
    phone.goto(f"{site['url']}/board/{HX}/issues/{site['long']}")
    heading = phone.get_by_role("heading", level=1)
    assert LONG in heading.inner_text()
    box = heading.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] > 100     # wrapped on many lines
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "issue-long-390.png"))
    phone.goto(f"{site['url']}/board/{HX}")
    assert no_horizontal_scroll(phone)
    link = phone.get_by_role("link", name=f"#{site['markup']} {MARKUP}")
    assert link.count() == 1 and phone.locator("main img").count() == 0      # the <img> stayed text
    wide = browser.new_context(viewport=DESKTOP, locale="zh-CN", java_script_enabled=False)
    try:
        page = wide.new_page()
        page.goto(f"{site['url']}/board/{HX}/issues/{site['long']}")
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / "issue-long-1280.png"))
        page.goto(f"{site['url']}/board/{HX}")
        page.screenshot(path=str(ARTIFACTS / "board-1280.png"))
    finally:
        wide.close()


@pytest.mark.parametrize("path", ("/board/abc", "/board/-1", f"/board/{HX}/issues/99999999999999999999999",
                                  f"/board/{YILE}/issues/0", "/board/999999", f"/board/{HX}/nothing"))
def test_tampered_addresses_get_a_chinese_404_page(phone, site, path):
    answer = phone.goto(site["url"] + path)
    assert answer.status == 404
    phone.get_by_role("heading", level=1, name="找不到该页面").wait_for()
    assert "Traceback" not in phone.content() and no_horizontal_scroll(phone)


@pytest.mark.parametrize("name", ("board", "board-yile", "board-page2", "issue-resolved", "issue-publicizing",
                                  "issue-long", "report", "track", "join", "not-found"))
def test_every_resident_page_passes_axe_and_fits_the_phone(axe_tab, site, name):
    axe_tab.goto(site["url"] + pages_of(site)[name])
    violations = axe_violations(axe_tab)
    assert violations == [], describe(violations)
    assert no_horizontal_scroll(axe_tab)
    # Body text at 16px or more; the skip link leads to the main landmark.
    assert axe_tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    assert axe_tab.locator("a.skip[href='#main']").count() == 1 and axe_tab.locator("main#main").count() == 1


def test_the_streamlit_board_links_to_the_light_board(page, site):
    from .helpers import goto
    goto(page, f"{site['url']}/public?compound={HX}")
    link = page.get_by_role("link", name=re.compile("手机版公示栏"))
    link.wait_for()
    assert link.get_attribute("href").endswith(f"/board/{HX}")
