"""会议: the meetings of the compound and, at ?meeting=<id>, the console that follows one meeting
as it happens — before (agenda), during (attendance, decisions), after (minutes)."""
import streamlit as st

from deliberation.model.errors import NotFound, PermissionDenied
from deliberation.services.meeting_view import meeting_detail
from deliberation.services.meetings import held_at
from deliberation.web.common.context import page_context
from deliberation.web.common.flash import DONE_ICON, show_flash
from deliberation.web.common.query import query_given, query_id
from deliberation.web.common.ui import demo_badge, plain
from deliberation.web.meetings.after import render_after
from deliberation.web.meetings.before import render_before
from deliberation.web.meetings.during import render_during
from deliberation.web.meetings.listing import render_meeting_list
from deliberation.web.meetings.shared import STATUS_ORDER, meeting_name, open_meeting, status_label

ctx = page_context("meetings", needs_compound=True)


def chosen_meeting() -> dict | None:
    """The meeting named by ?meeting=, if it belongs to the compound being worked on."""
    meeting_id = query_id("meeting")
    if meeting_id is None:
        if query_given("meeting"):      # ?meeting=abc / ² / empty: the same message as an unknown one
            st.warning(ctx.t("meetings.console.not_here"))
        return None
    try:
        detail = meeting_detail(ctx.db, ctx.actor, meeting_id)
    except (NotFound, PermissionDenied):
        detail = None
    if detail is None or detail["meeting"]["compound_id"] != ctx.compound_id:
        st.warning(ctx.t("meetings.console.not_here"))
        return None
    return detail


def console_header(meeting: dict) -> None:
    st.button(ctx.t("meetings.console.back"), key="meetings_back", icon=":material/arrow_back:",
              on_click=open_meeting, args=(None,), type="tertiary")
    st.title(ctx.t("meetings.console.title", name=meeting_name(ctx, meeting)) + demo_badge(meeting["demo"], ctx.lang))
    st.caption(f"{held_at(meeting)} · {plain(meeting['place'])}"
               + (f" · {ctx.t('meetings.console.chair', name=plain(meeting['chair_name']))}"
                  if meeting["chair_name"] else ""))
    # Where the meeting stands in its flow: done steps plain, the current one bold.
    current = STATUS_ORDER.index(meeting["status"])
    st.markdown(" → ".join(f"**{status_label(ctx, s)}**" if i == current else
                           (status_label(ctx, s) if i < current else f":gray[{status_label(ctx, s)}]")
                           for i, s in enumerate(STATUS_ORDER)))


show_flash("meetings", icon=DONE_ICON)
detail = chosen_meeting()
if detail is None:
    render_meeting_list(ctx)
else:
    console_header(detail["meeting"])
    status = detail["meeting"]["status"]
    if status == "planned":
        render_before(ctx, detail)
    elif status == "in_progress":
        render_during(ctx, detail)
    else:
        render_after(ctx, detail)
