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
    if meeting["started_at"]:                # the actual start is what the minutes and the board carry
        st.caption(ctx.t("meetings.time.actual", scheduled=meeting["scheduled_at"][:16],
                         started=meeting["started_at"][:16]))
    # A tick is saved as it is made, before the banner is drawn: the banner shows the roll as ticked.
    quorum = (save_ticked_attendance(ctx, meeting, detail["attendance"]) if runs else None) or detail["quorum"]
    render_quorum(ctx, quorum)
    with st.expander(ctx.t("meetings.attendance.title"), expanded=not quorum.met, icon=":material/how_to_reg:",
                     key=f"meetings_attendance_{meeting['id']}"):
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


def _status_key(meeting: dict, member_id: int) -> str:
    return f"meetings_att_{meeting['id']}_{member_id}"


def _proxy_key(meeting: dict, member_id: int) -> str:
    return f"meetings_att_proxy_{meeting['id']}_{member_id}"


def _ticked_key(meeting: dict) -> str:
    return f"meetings_att_ticked_{meeting['id']}"


def _ticked(meeting_key: str, member_id: int) -> None:
    """Widget callback: this member's status or proxy was changed here, by this user."""
    st.session_state.setdefault(meeting_key, set()).add(member_id)


def save_ticked_attendance(ctx, meeting: dict, lines: list[dict]):
    """Save the marks this user changed since the last run (a proxy waits for its name); the
    quorum after the save, or None when nothing was saved. Only changes made here are written:
    marks another device made meanwhile are not overwritten with this page's older view."""
    ticked = st.session_state.get(_ticked_key(meeting), set())
    marks = {}
    for line in lines:
        member_id = line["member_id"]
        if member_id not in ticked:
            continue
        status = st.session_state.get(_status_key(meeting, member_id), line["status"])
        proxy = st.session_state.get(_proxy_key(meeting, member_id), line["proxy_name"])
        if status == "proxy" and not proxy.strip():
            continue                        # saved once the proxy's name is in
        marks[member_id] = (status, proxy)
    if not marks:
        return None
    ok, quorum = attempt(ctx.lang, record_attendance, ctx.db, ctx.actor, meeting["id"], marks)
    if not ok:
        return None
    ticked.difference_update(marks)
    for line in lines:                      # the roll as now saved, for the radios drawn below
        if line["member_id"] in marks:
            line["status"], line["proxy_name"] = marks[line["member_id"]][0], marks[line["member_id"]][1].strip()
    return quorum


def render_attendance(ctx, meeting: dict, lines: list[dict], runs: bool) -> None:
    """The roll by seat; each change is saved at once (save_ticked_attendance, on the next run)."""
    if not lines:
        st.info(ctx.t("meetings.attendance.empty"))
        return
    if runs and st.button(ctx.t("meetings.attendance.all_present"), key=f"meetings_all_present_{meeting['id']}",
                          icon=":material/done_all:"):
        marks = {line["member_id"]: ("present", "") for line in lines}
        ok, _ = attempt(ctx.lang, record_attendance, ctx.db, ctx.actor, meeting["id"], marks)
        if ok:
            st.session_state.pop(_ticked_key(meeting), None)
            done(ctx, "meetings.attendance.saved")
    if runs:
        st.caption(ctx.t("meetings.attendance.autosave"))
    ticked = st.session_state.get(_ticked_key(meeting), set())
    for line in lines:
        member_id = line["member_id"]
        status_key, proxy_key = _status_key(meeting, member_id), _proxy_key(meeting, member_id)
        if member_id not in ticked:         # show the roll as saved (another device may have marked it)
            st.session_state[status_key], st.session_state[proxy_key] = line["status"], line["proxy_name"]
        who = f"{line['seat_name']} · {line['member_name']}"
        name_col, status_col, proxy_col = st.columns([3, 5, 2], vertical_alignment="center")
        name_col.markdown(plain(who))
        status = status_col.radio(plain(who), STATUSES, horizontal=True,
                                  format_func=lambda s: ctx.t(f"meetings.attendance.{s}"),
                                  label_visibility="collapsed", disabled=not runs, key=status_key,
                                  on_change=_ticked, args=(_ticked_key(meeting), member_id))
        proxy_col.text_input(ctx.t("meetings.attendance.proxy_name", who=plain(who)),
                             placeholder=ctx.t("meetings.attendance.proxy_placeholder"),
                             label_visibility="collapsed", max_chars=40, disabled=not runs, key=proxy_key,
                             on_change=_ticked, args=(_ticked_key(meeting), member_id))
        if runs and status == "proxy" and member_id in ticked:
            proxy_col.caption(ctx.t("meetings.attendance.proxy_needed"))


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
