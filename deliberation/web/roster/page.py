"""协商成员: the "1+8" seats and their members (固定人员), the standing schedule and place (固定时间、
固定地点), the quorum and 公示 rules, and the category list with its stage deadlines."""
import streamlit as st

from deliberation.model.roles import Action
from deliberation.services.permissions import may
from deliberation.web.common.context import page_context
from deliberation.web.common.flash import DONE_ICON, show_flash
from deliberation.web.common.ui import plain, schedule_rule_text
from deliberation.web.roster.household_codes import render_household_codes
from deliberation.web.roster.widgets import render_categories, render_rules, render_seats_and_members

ctx = page_context("roster", needs_compound=True)

compound = ctx.compound()
manage = may(ctx.actor, Action.MANAGE_COMPOUND, ctx.compound_id)
st.title(ctx.t("roster.title"))
st.caption(ctx.t("roster.subtitle", compound=plain(compound.name), rule=schedule_rule_text(ctx, compound.schedule),
                 place=plain(compound.place or "—"), min=compound.quorum_min_seats))
if not manage:
    st.info(ctx.t("roster.read_only"))
show_flash("roster", icon=DONE_ICON)

people, rules, categories, *codes = st.tabs(
    [ctx.t("roster.tab.people"), ctx.t("roster.tab.rules"), ctx.t("roster.tab.categories")]
    + ([ctx.t("roster.tab.codes")] if manage else []), key="roster_tab")
with people:
    render_seats_and_members(ctx, manage)
with rules:
    render_rules(ctx, manage)
with categories:
    render_categories(ctx, manage)
if codes:                   # 议事码: the secretary's (services/households.py checks MANAGE_COMPOUND)
    with codes[0]:
        render_household_codes(ctx)
