"""小区与区域管理 in a real browser: the admin adds a 社区 under 南湾街道 and a compound in it, with its
party branch; the new compound is in the tree, the database and the compound picker. A refused
compound (a name the 社区 already has) keeps what was typed. Screenshots at 1280×900 and 390×844."""
from __future__ import annotations

from functools import partial

from deliberation.services.compounds import find_compound
from deliberation.store import open_db

from .helpers import goto, sign_in, step_in, wait_idle

SHOTS = "test_compound_admin_browser"
step = partial(step_in, SHOTS)


def form_with(page, button: str):
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=button, exact=True))


def choose(page, scope, combobox: str, option: str) -> None:
    """Pick from a st.selectbox: open it, type to narrow the list, click the option."""
    scope.get_by_role("combobox", name=combobox, exact=True).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def test_admin_adds_an_area_and_a_compound(page, app_url, demo_db):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, app_url, "admin")
    goto(page, f"{app_url}/compounds")
    page.get_by_role("heading", name="小区与区域管理").wait_for()
    step(page, "tree")
    page.get_by_role("tab", name="新增").click()
    step(page, "add_tab", page.get_by_role("button", name="添加区域"))

    area_form = form_with(page, "添加区域")
    area_form.get_by_label("区域名称").fill("沙塘布社区")
    choose(page, area_form, "层级", "社区")
    choose(page, area_form, "上级区域", "龙岗区/南湾街道")
    area_form.get_by_role("button", name="添加区域").click()
    step(page, "area_added", page.get_by_text("区域“沙塘布社区”已就绪。"))
    assert form_with(page, "添加区域").get_by_label("区域名称").input_value() == ""      # saved: emptied

    compound_form = form_with(page, "添加小区")
    compound_form.get_by_label("小区名称").fill("沙塘布花园")
    choose(page, compound_form, "所在社区或街道", "龙岗区/南湾街道/沙塘布社区")
    compound_form.get_by_label("地址").fill("南湾街道沙塘布路 1 号")
    compound_form.get_by_label("户数").fill("480")
    compound_form.get_by_label("党支部名称(用于每份文书,如 鸿翔花园联合党支部;不填则为“小区名+党支部”)").fill(
        "沙塘布花园联合党支部")
    compound_form.get_by_role("button", name="添加小区").click()
    step(page, "compound_added", page.get_by_text("已添加小区“沙塘布花园”"))
    assert form_with(page, "添加小区").get_by_label("小区名称").input_value() == ""

    db = open_db(demo_db)
    try:
        compound = find_compound(db, "沙塘布花园")
        assert (compound.area_path, compound.households, compound.branch_name, compound.address) == (
            "龙岗区/南湾街道/沙塘布社区", 480, "沙塘布花园联合党支部", "南湾街道沙塘布路 1 号")
    finally:
        db.close()

    # The same name again in the same 社区 is refused in Chinese, and the typed address stays.
    compound_form = form_with(page, "添加小区")
    compound_form.get_by_label("小区名称").fill("沙塘布花园")
    choose(page, compound_form, "所在社区或街道", "龙岗区/南湾街道/沙塘布社区")
    compound_form.get_by_label("地址").fill("另一个地址")
    compound_form.get_by_role("button", name="添加小区").click()
    step(page, "refused", page.get_by_text("该区域已有名为“沙塘布花园”的小区"))
    assert form_with(page, "添加小区").get_by_label("地址").input_value() == "另一个地址"

    # The new compound is one the admin can now work in: the sidebar's compound picker offers it.
    page.get_by_role("tab", name="区域与小区").click()
    step(page, "tree_with_new", page.get_by_test_id("stDataFrame"))
    page.get_by_role("combobox", name="当前小区").click()
    page.keyboard.type("沙塘布")
    page.get_by_role("option", name="沙塘布花园", exact=True).wait_for()
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 390, "height": 844})
    wait_idle(page)
    step(page, "phone_tree")
