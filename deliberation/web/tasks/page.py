"""我的任务: the actions decided at meetings and assigned to a seat (合力干事), and their progress.
A seat representative sees their own seat; the secretary and recorder can look at any seat."""
import pandas as pd
import streamlit as st

from deliberation.model.defaults import ACTION_STATUSES
from deliberation.model.roles import Action, Role
from deliberation.services.actions import actions_for_seat, update_action
from deliberation.services.clock import today
from deliberation.services.permissions import may
from deliberation.services.roster import list_seats
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.flash import DONE_ICON, flash, show_flash
from deliberation.web.common.issue_links import link_to_issue
from deliberation.web.common.ui import plain, stage_label

ctx = page_context("tasks", needs_compound=True)

st.title(ctx.t("tasks.title"))
show_flash("tasks", icon=DONE_ICON)

seats = {s["code"]: s["name"] for s in list_seats(ctx.db, ctx.compound_id, include_retired=True)}
seat_col, toggle_col = st.columns([2, 3], vertical_alignment="bottom")
if ctx.actor.role == Role.SEAT_REP:
    seat_code = ctx.actor.seat_code
    seat_col.caption(ctx.t("tasks.own_seat", seat=plain(seats.get(seat_code, seat_code or "—"))))
else:
    seat_code = seat_col.selectbox(ctx.t("tasks.pick_seat"), [None, *seats], key="tasks_seat",
                                   format_func=lambda code: seats[code] if code else ctx.t("tasks.all_seats"))
show_all = toggle_col.toggle(ctx.t("tasks.show_finished"), key="tasks_show_finished")

actions = actions_for_seat(ctx.db, ctx.actor, ctx.compound_id, seat_code)
pending = [a for a in actions if a["status"] in ("open", "in_progress")]
open_col, overdue_col, done_col = st.columns(3)
open_col.metric(ctx.t("tasks.metric.open"), len(pending))
overdue_col.metric(ctx.t("tasks.metric.overdue"), sum(1 for a in pending if a["overdue"]))
done_col.metric(ctx.t("tasks.metric.done"), sum(1 for a in actions if a["status"] == "done"))

shown = actions if show_all else pending
if not shown:
    st.info(ctx.t("tasks.none"))
else:
    st.dataframe(pd.DataFrame([{
        ctx.t("tasks.col.due"): a["due_on"],
        ctx.t("tasks.col.flag"): ctx.t("tasks.overdue") if a["overdue"] else "",
        ctx.t("tasks.col.task"): a["task"],
        ctx.t("tasks.col.seat"): a["seat_name"],
        ctx.t("tasks.col.status"): ctx.t(f"tasks.status.{a['status']}"),
        ctx.t("tasks.col.issue"): f"#{a['issue_id']} {a['issue_title']}",
        ctx.t("tasks.col.stage"): stage_label(a["issue_stage"], ctx.lang),
        ctx.t("tasks.col.note"): a["note"],
    } for a in shown]), hide_index=True, key="tasks_table")



def update_form(choices: list[dict]) -> None:
    """Progress on one action: status, a note on what was done, the day it was finished."""
    st.subheader(ctx.t("tasks.update.title"))
    by_id = {a["id"]: a for a in choices}
    action_id = st.selectbox(ctx.t("tasks.update.pick"), list(by_id), key="tasks_update_pick",
                             format_func=lambda i: " · ".join((by_id[i]["due_on"], by_id[i]["seat_name"], by_id[i]["task"])))
    action = by_id[action_id]
    link_to_issue(ctx, action["issue_id"], action["issue_title"])
    statuses = tuple(ACTION_STATUSES)
    with st.form(f"tasks_update_form_{action_id}"):
        status = st.radio(ctx.t("tasks.update.status"), statuses, index=statuses.index(action["status"]),
                          horizontal=True, format_func=lambda s: ctx.t(f"tasks.status.{s}"),
                          key=f"tasks_update_status_{action_id}")
        note = st.text_area(ctx.t("tasks.update.note"), value=action["note"], max_chars=1000, height=80,
                            key=f"tasks_update_note_{action_id}")
        done_on = st.date_input(ctx.t("tasks.update.done_on"), value=today(), max_value=today(),
                                key=f"tasks_update_done_on_{action_id}", help=ctx.t("tasks.update.done_on_help"))
        submitted = st.form_submit_button(ctx.t("tasks.update.submit"), type="primary", icon=":material/save:")
    if submitted:
        ok, _ = attempt(ctx.lang, update_action, ctx.db, ctx.actor, action_id, action["version"],
                        status=status, note=note, done_on=done_on)
        if ok:
            flash("tasks", ctx.t("tasks.update.done", status=ctx.t(f"tasks.status.{status}")))
            st.rerun()


if shown and (may(ctx.actor, Action.UPDATE_ACTION, ctx.compound_id)
              or may(ctx.actor, Action.UPDATE_OWN_SEAT_ACTION, ctx.compound_id)):
    update_form(shown)
