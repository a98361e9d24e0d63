"""During the meeting (进行中): the roll by seat with the live quorum, the agenda item by item,
and closing the meeting."""
from __future__ import annotations

import streamlit as st

from ...model.defaults import ATTENDANCE
from ...services.attendance import record_attendance
from ...services.meetings import finish_meeting
from ..common.context import attempt
from ..common.ui import plain
from .before import render_proposals
from .decision import render_item
from .shared import can_run_meetings, done

STATUSES = tuple(ATTENDANCE)          # present, absent, excused, proxy


def render_during(ctx, detail: dict) -> None:
    meeting = detail["meeting"]
    runs = can_run_meetings(ctx)
    render_quorum(ctx, detail["quorum"])
    with st.expander(ctx.t("meetings.attendance.title"), expanded=not detail["quorum"].met,
                     icon=":material/how_to_reg:"):
        render_attendance(ctx, meeting, detail["attendance"], runs)
    st.subheader(ctx.t("meetings.items.title"))
    if not detail["items"]:
        st.info(ctx.t("meetings.agenda.empty"))
    for index, item in enumerate(detail["items"]):
        render_item(ctx, meeting, item, index, runs)
    if runs:
        with st.expander(ctx.t("meetings.items.add_more"), icon=":material/playlist_add:"):
            render_proposals(ctx, meeting, runs)
        _finish(ctx, meeting, undecided=sum(1 for i in detail["items"] if not i["outcome"]))


def render_quorum(ctx, quorum) -> None:
    """Met: green; not met: amber, naming the required seats still missing."""
    if quorum.met:
        st.success(ctx.t("meetings.quorum.met", present=quorum.seats_present, min=quorum.min_seats),
                   icon=":material/verified:")
        return
    text = ctx.t("meetings.quorum.not_met", present=quorum.seats_present, min=quorum.min_seats)
    if quorum.missing_required:
        text += " " + ctx.t("meetings.quorum.missing", seats="、".join(quorum.missing_required))
    st.warning(text, icon=":material/warning:")


def render_attendance(ctx, meeting: dict, lines: list[dict], runs: bool) -> None:
    if not lines:
        st.info(ctx.t("meetings.attendance.empty"))
        return
    if runs and st.button(ctx.t("meetings.attendance.all_present"), key=f"meetings_all_present_{meeting['id']}",
                          icon=":material/done_all:"):
        marks = {line["member_id"]: ("present", "") for line in lines}
        ok, _ = attempt(ctx.lang, record_attendance, ctx.db, ctx.actor, meeting["id"], marks)
        if ok:
            for line in lines:      # the radios below keep their own state: show what was saved
                st.session_state[f"meetings_att_{meeting['id']}_{line['member_id']}"] = "present"
            done(ctx, "meetings.attendance.saved")
    with st.form(f"meetings_attendance_form_{meeting['id']}", border=False):
        marks = {}
        for line in lines:
            who = f"{line['seat_name']} · {line['member_name']}"
            name_col, status_col, proxy_col = st.columns([3, 5, 2], vertical_alignment="center")
            name_col.markdown(plain(who))
            status = status_col.radio(plain(who), STATUSES, index=STATUSES.index(line["status"]), horizontal=True,
                                      format_func=lambda s: ctx.t(f"meetings.attendance.{s}"),
                                      label_visibility="collapsed", disabled=not runs,
                                      key=f"meetings_att_{meeting['id']}_{line['member_id']}")
            proxy = proxy_col.text_input(ctx.t("meetings.attendance.proxy_name", who=plain(who)),
                                         value=line["proxy_name"],
                                         placeholder=ctx.t("meetings.attendance.proxy_placeholder"),
                                         label_visibility="collapsed", max_chars=40, disabled=not runs,
                                         key=f"meetings_att_proxy_{meeting['id']}_{line['member_id']}")
            marks[line["member_id"]] = (status, proxy)
        submitted = st.form_submit_button(ctx.t("meetings.attendance.save"), type="primary", disabled=not runs,
                                          icon=":material/save:")
    if submitted:
        ok, _ = attempt(ctx.lang, record_attendance, ctx.db, ctx.actor, meeting["id"], marks)
        if ok:
            done(ctx, "meetings.attendance.saved")


def _finish(ctx, meeting: dict, undecided: int) -> None:
    with st.popover(ctx.t("meetings.finish.button"), icon=":material/stop_circle:", type="primary"):
        if undecided:
            st.warning(ctx.t("meetings.finish.undecided", n=undecided))
        st.caption(ctx.t("meetings.finish.hint"))
        if st.button(ctx.t("meetings.finish.confirm"), key=f"meetings_finish_{meeting['id']}", type="primary"):
            ok, _ = attempt(ctx.lang, finish_meeting, ctx.db, ctx.actor, meeting["id"],
                            expected_version=meeting["version"])
            if ok:
                done(ctx, "meetings.finish.done")
