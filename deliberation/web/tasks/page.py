"""我的任务: the actions decided at meetings and assigned to a seat (合力干事), and their progress.
A seat representative sees their own seat; the secretary and recorder can look at any seat."""
import pandas as pd
import streamlit as st

from deliberation.model.roles import Action, Role
from deliberation.services.actions import actions_for_seat
from deliberation.services.permissions import may
from deliberation.services.roster import list_seats
from deliberation.web.common.context import page_context
from deliberation.web.common.flash import DONE_ICON, show_flash
from deliberation.web.common.ui import plain, stage_label
from deliberation.web.tasks.widgets import replan_form, update_form

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
        ctx.t("tasks.col.issue"): f"#{a['issue_number']} {a['issue_title']}",
        ctx.t("tasks.col.stage"): stage_label(a["issue_stage"], ctx.lang),
        ctx.t("tasks.col.note"): a["note"],
    } for a in shown]), hide_index=True, key="tasks_table")


# Only what will succeed: a seat's representative updates its own seat's actions (the list is
# already just those); cancelling or moving a due date is the secretary's, with a reason.
updatable = [a for a in shown if a["status"] != "cancelled"]
if updatable and (may(ctx.actor, Action.UPDATE_ACTION, ctx.compound_id)
                  or may(ctx.actor, Action.UPDATE_OWN_SEAT_ACTION, ctx.compound_id)):
    update_form(ctx, updatable)
replan_form(ctx, [a for a in actions if a["status"] in ("open", "in_progress")])
