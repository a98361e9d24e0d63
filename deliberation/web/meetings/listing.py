"""The meetings list: past and planned meetings, scheduling the next one, adjusting a planned one."""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from ...services.meetings import list_meetings, next_meeting_time, reschedule_meeting, schedule_meeting
from ..common.context import attempt
from ..common.ui import demo_badge, plain, schedule_rule_text
from .shared import can_run_meetings, done, meeting_name, open_meeting, status_label

ACTIVE = ("planned", "in_progress")


def render_meeting_list(ctx) -> None:
    compound = ctx.compound()
    meetings = list_meetings(ctx.db, ctx.actor, ctx.compound_id)
    st.title(ctx.t("meetings.title"))
    st.caption(ctx.t("meetings.rule", rule=schedule_rule_text(ctx, compound.schedule),
                     place=plain(compound.place or "—")))
    active = [m for m in meetings if m["status"] in ACTIVE]
    for meeting in active:
        st.button(ctx.t("meetings.open_active", name=meeting_name(ctx, meeting),
                        status=status_label(ctx, meeting["status"])),
                  key=f"meetings_open_active_{meeting['id']}", type="primary", icon=":material/play_circle:",
                  on_click=open_meeting, args=(meeting["id"],))
    if can_run_meetings(ctx):
        planned = next((m for m in meetings if m["status"] == "planned"), None)
        if planned is None:
            _schedule_form(ctx, compound)
        else:
            with st.expander(ctx.t("meetings.reschedule.title", name=meeting_name(ctx, planned))):
                render_reschedule_form(ctx, planned)
    _meeting_table(ctx, meetings)


def _schedule_form(ctx, compound) -> None:
    proposed = next_meeting_time(ctx.db, ctx.actor, ctx.compound_id)
    with st.form("meetings_schedule_form", border=True):
        st.subheader(ctx.t("meetings.schedule.title"))
        st.caption(ctx.t("meetings.schedule.hint"))
        day_col, time_col, place_col = st.columns([1, 1, 2])
        day = day_col.date_input(ctx.t("meetings.field.date"), value=proposed.date(), key="meetings_schedule_date")
        at = time_col.time_input(ctx.t("meetings.field.time"), value=proposed.time(), step=timedelta(minutes=15),
                                 key="meetings_schedule_time")
        place = place_col.text_input(ctx.t("meetings.field.place"), value=compound.place, max_chars=100,
                                     key="meetings_schedule_place")
        submitted = st.form_submit_button(ctx.t("meetings.schedule.submit"), type="primary",
                                          icon=":material/event:")
    if submitted:
        ok, meeting_id = attempt(ctx.lang, schedule_meeting, ctx.db, ctx.actor, ctx.compound_id,
                                 scheduled_at=datetime.combine(day, at), place=place)
        if ok:
            open_meeting(meeting_id)
            done(ctx, "meetings.schedule.done")


def render_reschedule_form(ctx, meeting: dict) -> None:
    when = datetime.fromisoformat(meeting["scheduled_at"])
    with st.form(f"meetings_reschedule_form_{meeting['id']}"):
        day_col, time_col, place_col = st.columns([1, 1, 2])
        day = day_col.date_input(ctx.t("meetings.field.date"), value=when.date(),
                                 key=f"meetings_reschedule_date_{meeting['id']}")
        at = time_col.time_input(ctx.t("meetings.field.time"), value=when.time(), step=timedelta(minutes=15),
                                 key=f"meetings_reschedule_time_{meeting['id']}")
        place = place_col.text_input(ctx.t("meetings.field.place"), value=meeting["place"], max_chars=100,
                                     key=f"meetings_reschedule_place_{meeting['id']}")
        submitted = st.form_submit_button(ctx.t("meetings.reschedule.submit"))
    if submitted:
        ok, _ = attempt(ctx.lang, reschedule_meeting, ctx.db, ctx.actor, meeting["id"], meeting["version"],
                        scheduled_at=datetime.combine(day, at), place=place)
        if ok:
            done(ctx, "meetings.reschedule.done")


def _meeting_table(ctx, meetings: list[dict]) -> None:
    st.subheader(ctx.t("meetings.list.title"))
    if not meetings:
        st.info(ctx.t("meetings.list.empty"))
        return
    table = pd.DataFrame([{
        ctx.t("meetings.col.number"): meeting_name(ctx, m) + demo_badge(m["demo"], ctx.lang),
        ctx.t("meetings.col.when"): m["scheduled_at"],
        ctx.t("meetings.col.place"): m["place"],
        ctx.t("meetings.col.status"): status_label(ctx, m["status"]),
        ctx.t("meetings.col.items"): m["items"],
    } for m in meetings])
    st.dataframe(table, hide_index=True, key="meetings_table")
    ids = [m["id"] for m in meetings]
    names = {m["id"]: f"{meeting_name(ctx, m)} · {m['scheduled_at'][:10]} · {status_label(ctx, m['status'])}"
             for m in meetings}
    pick_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick_col.selectbox(ctx.t("meetings.list.pick"), ids, format_func=names.get, key="meetings_pick")
    button_col.button(ctx.t("meetings.list.open"), key="meetings_open_picked", icon=":material/open_in_new:",
                      on_click=open_meeting, args=(chosen,))
