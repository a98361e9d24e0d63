"""协商成员: the "1+8" seats and their members (固定人员), the standing schedule and place (固定时间、
固定地点), the quorum and 公示 rules, and the category list with its stage deadlines."""
import streamlit as st

from deliberation.model.roles import Action, Role, role_may
from deliberation.web.context import page_context
from deliberation.web.ui import plain
from deliberation.web.widgets_meeting import schedule_rule_text
from deliberation.web.widgets_roster import render_categories, render_rules, render_seats_and_members

ctx = page_context(roles=(Role.ADMIN, Role.SECRETARY, Role.RECORDER))
if ctx.compound_id is None:
    st.info(ctx.t("compound.none"))
    st.stop()

compound = ctx.compound()
manage = role_may(ctx.actor.role, Action.MANAGE_COMPOUND)
st.title(ctx.t("roster.title"))
st.caption(ctx.t("roster.subtitle", compound=plain(compound.name), rule=schedule_rule_text(ctx, compound.schedule),
                 place=plain(compound.place or "—"), min=compound.quorum_min_seats))
if not manage:
    st.info(ctx.t("roster.read_only"))
message = st.session_state.pop("roster_flash", None)
if message:
    st.success(message, icon=":material/check_circle:")

people, rules, categories = st.tabs([ctx.t("roster.tab.people"), ctx.t("roster.tab.rules"),
                                     ctx.t("roster.tab.categories")], key="roster_tab")
with people:
    render_seats_and_members(ctx, manage)
with rules:
    render_rules(ctx, manage)
with categories:
    render_categories(ctx, manage)
