"""我的任务's two forms: progress (a seat on its own actions, staff on any), and 任务变更 (cancel or
move the due date: the secretary's, with a reason). Each offers only what the service will accept."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from ...model.roles import Action, Role
from ...services.actions import PROGRESS, STAFF_PROGRESS, cancel_action, reschedule_action, update_action
from ...services.clock import today
from ...services.permissions import may
from ..common.context import attempt
from ..common.flash import flash
from ..common.issue_links import link_to_issue


def _pick(ctx, choices: list[dict], key: str) -> dict:
    by_id = {a["id"]: a for a in choices}
    action_id = st.selectbox(ctx.t("tasks.update.pick"), list(by_id), key=key,
                             format_func=lambda i: " · ".join((by_id[i]["due_on"], by_id[i]["seat_name"],
                                                               by_id[i]["task"])))
    return by_id[action_id]


def update_form(ctx, choices: list[dict]) -> None:
    """Progress on one action: status, a note on what was done, the day it was finished."""
    st.subheader(ctx.t("tasks.update.title"))
    action = _pick(ctx, choices, "tasks_update_pick")
    action_id = action["id"]
    link_to_issue(ctx, action["issue_id"], action["issue_number"], action["issue_title"])
    statuses = PROGRESS if ctx.actor.role == Role.SEAT_REP else STAFF_PROGRESS
    current = statuses.index(action["status"]) if action["status"] in statuses else 0
    with st.form(f"tasks_update_form_{action_id}"):
        status = st.radio(ctx.t("tasks.update.status"), statuses, index=current, horizontal=True,
                          format_func=lambda s: ctx.t(f"tasks.status.{s}"), key=f"tasks_update_status_{action_id}")
        note = st.text_area(ctx.t("tasks.update.note"), max_chars=1000, height=80, key=f"tasks_update_note_{action_id}",
                            placeholder=ctx.t("tasks.update.note_placeholder"))
        done_on = st.date_input(ctx.t("tasks.update.done_on"), value=today(), max_value=today(),
                                key=f"tasks_update_done_on_{action_id}", help=ctx.t("tasks.update.done_on_help"))
        submitted = st.form_submit_button(ctx.t("tasks.update.submit"), type="primary", icon=":material/save:")
    if submitted:
        ok, _ = attempt(ctx.lang, update_action, ctx.db, ctx.actor, action_id, action["version"],
                        status=status, note=note, done_on=done_on)
        if ok:
            flash("tasks", ctx.t("tasks.update.done", status=ctx.t(f"tasks.status.{status}")))
            st.rerun()


def replan_form(ctx, choices: list[dict]) -> None:
    """任务变更: move the due date or cancel, with a reason the next meeting's agenda lists."""
    if not choices or not may(ctx.actor, Action.REPLAN_ACTION, ctx.compound_id):
        return
    with st.expander(ctx.t("tasks.replan.title"), icon=":material/event_repeat:"):
        st.caption(ctx.t("tasks.replan.caption"))
        action = _pick(ctx, choices, "tasks_replan_pick")
        action_id = action["id"]
        with st.form(f"tasks_replan_form_{action_id}"):
            kind = st.radio(ctx.t("tasks.replan.kind"), ("rescheduled", "cancelled"), horizontal=True,
                            format_func=lambda k: ctx.t(f"tasks.replan.kind.{k}"), key=f"tasks_replan_kind_{action_id}")
            due_on = st.date_input(ctx.t("tasks.replan.due_on", old=action["due_on"]), min_value=today(),
                                   value=max(today(), today() + timedelta(days=7)), key=f"tasks_replan_due_{action_id}")
            reason = st.text_area(ctx.t("tasks.replan.reason"), max_chars=300, height=70,
                                  key=f"tasks_replan_reason_{action_id}")
            submitted = st.form_submit_button(ctx.t("tasks.replan.submit"), icon=":material/check:")
        if submitted:
            if kind == "cancelled":
                ok, _ = attempt(ctx.lang, cancel_action, ctx.db, ctx.actor, action_id, action["version"], reason=reason)
            else:
                ok, _ = attempt(ctx.lang, reschedule_action, ctx.db, ctx.actor, action_id, action["version"],
                                due_on=due_on, reason=reason)
            if ok:
                flash("tasks", ctx.t(f"tasks.replan.done.{kind}"))
                st.rerun()
