"""One agenda item at the meeting: what was said, what was decided, who does what by when,
how the seats voted — recorded with one `record_decision` call."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from ...model.defaults import OUTCOMES, VOTES
from ...model.lifecycle import Level
from ...services.agenda import ActionDraft, record_decision
from ...services.clock import today
from ...services.escalation import escalation_levels
from ...services.roster import list_members, list_seats
from ..common.context import attempt
from ..common.issue_links import link_to_issue
from ..common.ui import level_label, plain, stage_label
from .corrections import render_correction
from .shared import done, outcome_label

DEFAULT_DUE_DAYS = 14


def render_item(ctx, meeting: dict, item: dict, index: int, runs: bool) -> None:
    with st.container(border=True, key=f"meetings_item_{item['id']}"):
        st.markdown(f"#### {ctx.t('meetings.item.heading', n=index + 1)} {plain(item['title'])}")
        st.caption(f"#{item['issue_number']} · {plain(item['category'])} · {stage_label(item['stage'], ctx.lang)}")
        if item["outcome"]:
            render_decided(ctx, item)
            link_to_issue(ctx, item["issue_id"], item["issue_number"])
            render_correction(ctx, meeting, item)
        elif runs:
            _decision_inputs(ctx, meeting, item)
        else:
            st.caption(ctx.t("meetings.item.undecided"))


def render_decided(ctx, item: dict) -> None:
    st.markdown(f"**{ctx.t('meetings.decision.outcome')}:** {outcome_label(ctx, item['outcome'])}")
    for field in ("discussion", "decision", "public_summary"):
        if item[field]:
            st.markdown(f"**{ctx.t('meetings.decision.' + field)}:** {plain(item[field])}")
    if item["actions"]:
        st.dataframe(pd.DataFrame([{
            ctx.t("meetings.action.seat"): a["seat_name"], ctx.t("meetings.action.task"): a["task"],
            ctx.t("meetings.action.due"): a["due_on"],
            ctx.t("meetings.action.status"): ctx.t(f"tasks.status.{a['status']}"),
        } for a in item["actions"]]), hide_index=True, key=f"meetings_item_actions_{item['id']}")
    if item["votes"]:
        st.caption(ctx.t("meetings.decision.votes") + ":" + ";".join(
            f"{plain(v['seat_name'])} {ctx.t('meetings.vote.' + v['vote'])}" for v in item["votes"]))


def _decision_inputs(ctx, meeting: dict, item: dict) -> None:
    key = f"meetings_dec_{item['id']}"
    outcome = st.radio(ctx.t("meetings.decision.outcome"), tuple(OUTCOMES), index=None, horizontal=True,
                       format_func=lambda o: outcome_label(ctx, o), key=f"{key}_outcome")
    if outcome is None:
        st.caption(ctx.t("meetings.decision.pick_outcome"))
        return
    seats = list_seats(ctx.db, meeting["compound_id"])
    st.session_state.setdefault(f"{key}_rows", 1)
    with st.form(f"{key}_form", border=False):
        discussion = st.text_area(ctx.t("meetings.decision.discussion"), height=80, max_chars=2000,
                                  key=f"{key}_discussion")
        decision = st.text_area(ctx.t("meetings.decision.decision"), height=80, max_chars=2000,
                                key=f"{key}_decision")
        public_summary = st.text_area(ctx.t("meetings.decision.public_summary"), height=68, max_chars=1000,
                                      help=ctx.t("meetings.decision.public_summary_help"), key=f"{key}_public")
        extra = _outcome_fields(ctx, meeting, outcome, seats, key)
        votes = _vote_fields(ctx, seats, key)
        submitted = st.form_submit_button(ctx.t("meetings.decision.submit"), type="primary", icon=":material/gavel:")
    # Below the form: a rerun keeps what was typed in it, and the new row appears above this button.
    if outcome == "actions" and st.button(ctx.t("meetings.action.add_row"), key=f"{key}_add_row",
                                          icon=":material/add:", type="tertiary"):
        st.session_state[f"{key}_rows"] += 1
        st.rerun()
    if not submitted:
        return
    drafts = extra.pop("drafts", [])
    if any(d is None for d in drafts):
        st.error(ctx.t("meetings.action.seat_missing"))
        return
    ok, _ = attempt(ctx.lang, record_decision, ctx.db, ctx.actor, item["id"], outcome=outcome,
                    discussion=discussion, decision=decision, actions=drafts, votes=votes,
                    public_summary=public_summary, **extra)
    if ok:
        done(ctx, "meetings.decision.done", title=plain(item["title"]))


def _outcome_fields(ctx, meeting: dict, outcome: str, seats: list[dict], key: str) -> dict:
    """The inputs only this outcome needs, as keyword arguments for record_decision."""
    if outcome == "settled":
        levels = [lv.value for lv in Level]
        return {"level": st.selectbox(ctx.t("meetings.decision.level"), levels, key=f"{key}_level",
                                      format_func=lambda lv: level_label(lv, ctx.lang))}
    if outcome == "escalated":
        # Only the levels the compound has, lowest first (怡乐花园 has no 社区: 街道 alone).
        ok, ladder = attempt(ctx.lang, escalation_levels, ctx.db, ctx.actor, meeting["compound_id"])
        rungs = {rung["level"]: rung["area"] for rung in (ladder or [])} if ok else {}
        return {"escalate_to": st.radio(ctx.t("meetings.decision.escalate_to"), list(rungs),
                                        horizontal=True, key=f"{key}_escalate_to",
                                        format_func=lambda lv: f"{level_label(lv, ctx.lang)} · {rungs[lv]}"),
                "escalation_request": st.text_area(ctx.t("meetings.decision.request"), height=80, max_chars=1000,
                                                   key=f"{key}_request")}
    if outcome == "actions":
        return {"drafts": _action_rows(ctx, meeting, seats, key)}
    return {}


def _action_rows(ctx, meeting: dict, seats: list[dict], key: str) -> list[ActionDraft | None]:
    """Rows with a task become ActionDrafts; a task without a responsible seat becomes None."""
    members = list_members(ctx.db, ctx.actor, meeting["compound_id"])
    seat_names = {s["id"]: s["name"] for s in seats}
    member_names = {m["id"]: f"{m['seat_name']} · {m['name']}" for m in members}
    st.markdown(f"**{ctx.t('meetings.action.title')}**")
    drafts = []
    for n in range(st.session_state[f"{key}_rows"]):
        seat_col, member_col, task_col, due_col = st.columns([2, 2, 4, 2])
        # One visible header row; the later rows' labels (hidden, for screen readers) name their row.
        label = "" if n == 0 else ctx.t("meetings.action.row", n=n + 1)
        shown = "visible" if n == 0 else "collapsed"
        seat = seat_col.selectbox(ctx.t('meetings.action.seat') + label, list(seat_names), index=None,
                                  format_func=seat_names.get, placeholder=ctx.t("meetings.action.seat_placeholder"),
                                  label_visibility=shown, key=f"{key}_seat_{n}")
        member = member_col.selectbox(ctx.t('meetings.action.member') + label, list(member_names),
                                      index=None, format_func=member_names.get,
                                      placeholder=ctx.t("meetings.action.member_placeholder"),
                                      label_visibility=shown, key=f"{key}_member_{n}")
        task = task_col.text_input(ctx.t('meetings.action.task') + label, max_chars=200,
                                   label_visibility=shown, key=f"{key}_task_{n}")
        due = due_col.date_input(ctx.t('meetings.action.due') + label,
                                 value=today() + timedelta(days=DEFAULT_DUE_DAYS), label_visibility=shown,
                                 key=f"{key}_due_{n}")
        if task.strip():
            drafts.append(ActionDraft(seat_id=seat, task=task, due_on=due, member_id=member) if seat else None)
    return drafts


def _vote_fields(ctx, seats: list[dict], key: str) -> dict[int, str]:
    picks = {}
    with st.expander(ctx.t("meetings.decision.votes_optional")):
        columns = st.columns(3)
        for n, seat in enumerate(seats):
            picks[seat["id"]] = columns[n % 3].selectbox(
                plain(seat["name"]), ("", *VOTES), key=f"{key}_vote_{seat['id']}",
                format_func=lambda v: ctx.t(f"meetings.vote.{v or 'none'}"))
    return {seat_id: vote for seat_id, vote in picks.items() if vote}
