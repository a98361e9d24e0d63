"""Issue 13, item 6, in Chromium: a double click on 登记 registers one issue (#157/#158 were two),
the form is empty afterwards, and the new issue's title in the register's grid is a link that
opens its 议题详情."""
from __future__ import annotations

from functools import partial

from deliberation.store import open_db

from .helpers import shot, sign_in, step_in, wait_idle

SHOTS = "test_issue_links_browser"
step = partial(step_in, SHOTS)
TITLE = "五栋电梯按钮失灵双击测试"


def form_with(page, button: str):
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=button, exact=True))


def choose(page, scope, combobox: str, option: str) -> None:
    scope.get_by_role("combobox", name=combobox, exact=True).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def issues_titled(db_path, title: str) -> list[dict]:
    db = open_db(db_path)
    try:
        return [dict(r) for r in db.query("SELECT id, number FROM issues WHERE title = ?", [title])]
    finally:
        db.close()


def register_clicking(page, title: str, clicks) -> None:
    """Fill 登记新议题 and send it with `clicks(button)`: how a careless user presses 登记."""
    new_issue = form_with(page, "登记")
    new_issue.get_by_label("议题标题").fill(title)
    choose(page, new_issue, "类别", "停车")
    choose(page, new_issue, "哪个协商主体", "业主委员会")
    clicks(new_issue.get_by_role("button", name="登记"), title)
    step(page, f"sent_{title}")
    wait_idle(page, settle=1500)            # a second run, had the second click made one, is over too


def impatient(button, title: str) -> None:
    """Clicks again while the first run is still under way (a slow phone, a slow disk)."""
    button.click()
    button.page.wait_for_timeout(120)
    button.click(force=True)


def again_after_success(button, title: str) -> None:
    """Sees the success and presses 登记 once more, "to be sure" (how #157/#158 came about)."""
    page = button.page
    button.click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text=title).wait_for()
    wait_idle(page)
    button.click()


def test_a_double_click_registers_one_issue_and_its_title_opens_it(page, demo_db, streamlit_server):
    url = streamlit_server(demo_db)
    sign_in(page, url, "hx_secretary")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="议题台账", exact=True).click()
    step(page, "register")
    page.get_by_text("登记新议题", exact=True).click()
    wait_idle(page)
    for way, clicks in (("double", lambda b, _: b.dblclick()), ("impatient", impatient),
                        ("again", again_after_success)):
        title = f"{TITLE}{way}"
        register_clicking(page, title, clicks)
        assert len(issues_titled(demo_db, title)) == 1, way
        assert form_with(page, "登记").get_by_label("议题标题").input_value() == "", way   # cleared
    # The click "to be sure" found an empty form: it says so, and registered nothing.
    assert "议题标题不能为空" in page.get_by_test_id("stAlertContentError").first.inner_text()
    shown = f"{TITLE}again"                 # the newest issue: the grid's first row
    found = issues_titled(demo_db, shown)

    # The title in the grid is a link (the grid is a canvas: click where the cell is drawn).
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    wait_idle(page)
    cell = page.get_by_role("gridcell", name=shown, include_hidden=True).first
    assert cell.count() == 1
    shot(page, SHOTS, "register_with_links")
    box = grid.bounding_box()
    row = 1                                 # under the 35 px header
    # Drawn left to right: the tick box (34 px), 编号 (about 90 px), then 议题: 40 px into its text.
    x = box["x"] + 34 + 90 + 40
    y = box["y"] + 35 * row + 17
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    shot(page, SHOTS, "hover_on_title")
    with page.context.expect_page() as opened:
        page.mouse.click(x, y)
    issue_page = opened.value
    issue_page.wait_for_load_state()
    issue_page.get_by_role("heading", name=shown).first.wait_for(timeout=30000)
    assert f"issue={found[0]['id']}" in issue_page.url
    wait_idle(issue_page)
    shot(issue_page, SHOTS, "issue_opened_from_its_title")
    issue_page.close()

    # 工作台: the new issues wait for the agenda, each title a link to it.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="工作台", exact=True).click()
    step(page, "workbench_with_links")
    link = page.get_by_role("link", name=f"#{found[0]['number']} {shown}")
    assert f"issue={found[0]['id']}" in link.first.get_attribute("href")

    # 议题详情 from the menu: a finder, not a dead end.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="议题详情", exact=True).click()
    step(page, "issue_page_from_the_menu")
    page.get_by_label("按编号或标题查找议题").fill(f"#{found[0]['number']}")
    page.keyboard.press("Enter")
    step(page, "found_by_number")
    page.get_by_role("link", name=f"#{found[0]['number']} {shown}").click()
    step(page, "opened_from_the_finder", page.get_by_role("heading", name=shown))
    assert f"issue={found[0]['id']}" in page.url
