"""用户管理 (admin only): accounts, their roles and scopes, passwords and sign-in locks."""
import streamlit as st

from deliberation.services.compounds import area_path, list_areas, list_compounds
from deliberation.services.users import list_users
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.flash import show_flash
from deliberation.web.users.one_time import show_once
from deliberation.web.users.widgets import edit_user_forms, new_user_form, users_table

ctx = page_context("users")
st.title(ctx.t("users.title"))
show_flash("users")
show_once(ctx)                  # a one-time password just made: shown here until 完成

ok, users = attempt(ctx.lang, list_users, ctx.db, ctx.actor)
if not ok:
    st.stop()
compounds = {c["id"]: c["name"] for c in list_compounds(ctx.db, ctx.actor)}
areas = {a["id"]: area_path(ctx.db, a["id"]) for a in list_areas(ctx.db)}

list_tab, new_tab, edit_tab = st.tabs([ctx.t("users.tab.list"), ctx.t("users.tab.new"), ctx.t("users.tab.edit")],
                                      key="users_tab", on_change="rerun")
if list_tab.open:
    with list_tab:
        users_table(ctx, users, compounds, areas)
if new_tab.open:
    with new_tab:
        new_user_form(ctx, compounds, areas)
if edit_tab.open:
    with edit_tab:
        by_id = {u["id"]: u for u in users}
        user_id = st.selectbox(ctx.t("users.pick"), list(by_id), key="users_pick",
                               format_func=lambda i: f"{by_id[i]['username']} · {by_id[i]['display_name']}")
        if user_id is not None:
            edit_user_forms(ctx, by_id[user_id], compounds, areas)
