"""工作台: what needs doing next in the current compound: the next meeting, residents' concerns to
accept, issues waiting for the agenda, overdue actions, 公示 windows closing, escalations waiting."""
import streamlit as st

from deliberation.model.roles import Action, Role
from deliberation.services.permissions import may
from deliberation.services.publicity import close_expired_windows
from deliberation.services.workbench import escalations_for_me, workbench
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.public_address import admin_address_warning
from deliberation.web.common.ui import plain_strict
from deliberation.web.home.cues import cues_panel
from deliberation.web.home.documents import render_calendar_download, render_notice_downloads
from deliberation.web.home.widgets import (agenda_panel, concerns_panel, escalations_panel, inbox_panel, metrics,
                                           next_meeting_panel, overdue_panel, response_clock_panel, windows_panel)

ctx = page_context("home")
admin_address_warning(ctx)           # printed QR codes that phones cannot open: said before anything else
if ctx.compound_id is None:
    st.title(ctx.t("nav.home"))
    st.info(ctx.t("compound.none"))
    st.stop()
compound = ctx.compound()
st.title(ctx.t("home.title", compound=plain_strict(compound.name)))
st.caption(plain_strict(f"{compound.area_path} · {compound.branch_name}"))

ok, wb = attempt(ctx.lang, workbench, ctx.db, ctx.actor, ctx.compound_id)
if not ok:
    st.stop()
# An officer answers escalations for the whole area, not only for the compound picked in the sidebar.
mine = escalations_for_me(ctx.db, ctx.actor) if ctx.actor.role == Role.OFFICER else None
metrics(ctx, wb, mine)
cues_panel(ctx)
if mine is not None:
    inbox_panel(ctx, mine)

left, right = st.columns(2)
with left:
    next_meeting_panel(ctx, wb.next_meeting)
    response_clock_panel(ctx, wb.response_clock, compound.response_limit_hours)
    concerns_panel(ctx, wb.concerns_to_accept)
    agenda_panel(ctx, wb.agenda_waiting)
with right:
    overdue_panel(ctx, wb.overdue_actions)
    windows_panel(ctx, wb.closing_windows)
    # Windows past their end wait for 办结 (also done nightly by `close-windows`); the secretary can do it now.
    expired = [w for w in wb.closing_windows if w["days_left"] is not None and w["days_left"] < 0]
    if expired and may(ctx.actor, Action.PUBLISH, ctx.compound_id):
        if st.button(ctx.t("home.windows.close", n=len(expired)), key="home_close_windows"):
            ok, closed = attempt(ctx.lang, close_expired_windows, ctx.db, ctx.actor)
            if ok:
                st.toast(ctx.t("home.windows.closed", n=closed))
                st.rerun()
    escalations_panel(ctx, wb.open_escalations, title_key="home.esc.title")

# Documents: the 公示 notice to post on the board, and the meeting calendar (.ics).
notice_col, calendar_col = st.columns(2)
with notice_col:
    render_notice_downloads(ctx)
with calendar_col:
    render_calendar_download(ctx)
