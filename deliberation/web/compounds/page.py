"""小区与区域管理: the tree of areas (区/街道/社区) and compounds, adding, renaming, moving and retiring
them, a compound's settings and (admin) which officers may manage compounds. The admin manages
everything; an officer only when granted the right, under their own area; others see why not.
The services decide (services/managing.py); the page offers only what they would allow."""
import streamlit as st

from deliberation.model.roles import Role
from deliberation.services.compound_admin import management_tree
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.flash import DONE_ICON, show_flash
from deliberation.web.common.ui import plain
from deliberation.web.compounds.forms import add_forms, apply_resets, area_change_forms, compound_change_forms
from deliberation.web.compounds.settings import grants_panel, settings_form
from deliberation.web.compounds.tree import area_paths, tree_table

ctx = page_context("compounds")
apply_resets()
st.title(ctx.t("compounds.title"))
show_flash("compounds", icon=DONE_ICON)

ok, tree = attempt(ctx.lang, management_tree, ctx.db, ctx.actor)
if not ok:
    st.stop()
if tree is None:
    st.info(ctx.t("compounds.no_right"))
    st.stop()
if tree["top_level"]:
    st.caption(ctx.t("compounds.scope.all"))
else:
    own_path = area_paths(tree["areas"], tree["above"]).get(tree["own_area_id"], "")
    st.caption(ctx.t("compounds.scope.area", area=plain(own_path)))

labels = {"tree": ctx.t("compounds.tab.tree"), "add": ctx.t("compounds.tab.add"),
          "change": ctx.t("compounds.tab.change"), "settings": ctx.t("compounds.tab.settings")}
if ctx.actor.role == Role.ADMIN:
    labels["grants"] = ctx.t("compounds.tab.grants")
tabs = dict(zip(labels, st.tabs(list(labels.values()), key="compounds_tab", on_change="rerun")))

# Only the open tab is built: a district's tree and its forms cost nothing while another tab is open.
if tabs["tree"].open:
    with tabs["tree"]:
        tree_table(ctx, tree)
if tabs["add"].open:
    with tabs["add"]:
        add_forms(ctx, tree)
if tabs["change"].open:
    with tabs["change"]:
        target = st.radio(ctx.t("compounds.col.kind"), ("compound", "area"), horizontal=True,
                          key="compounds_change_target",
                          format_func=lambda t: ctx.t(f"compounds.change_{t}"))
        if target == "area":
            area_change_forms(ctx, tree)
        else:
            compound_change_forms(ctx, tree)
if tabs["settings"].open:
    with tabs["settings"]:
        settings_form(ctx, tree)
if "grants" in tabs and tabs["grants"].open:
    with tabs["grants"]:
        grants_panel(ctx, tree)
