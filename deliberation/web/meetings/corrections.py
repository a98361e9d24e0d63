"""Correcting a recorded decision: while the minutes are a draft, the texts and votes in place;
once approved, an amendment with a reason that keeps the approved text (services/minutes_workflow)."""
from __future__ import annotations

import streamlit as st

from ...model.defaults import VOTES
from ...services.minutes_workflow import REASON_LIMIT, TEXT_LIMIT, amend_decision, correct_decision, editable
from ...services.roster import list_seats
from ..common.context import attempt
from ..common.ui import plain
from .shared import can_publish, can_run_meetings, done


def render_correction(ctx, meeting: dict, item: dict) -> None:
    """Under a decided item: the draft's correction form, or the amendment form once approved."""
    if not item["outcome"]:
        return
    mode = editable(meeting)
    if mode == "draft" and can_run_meetings(ctx):
        with st.expander(f"{ctx.t('meetings.correct.title')} · {plain(item['title'])}", icon=":material/edit:"):
            _draft_form(ctx, meeting, item)
    elif mode == "amend" and can_publish(ctx):
        with st.expander(f"{ctx.t('meetings.amend.title')} · {plain(item['title'])}", icon=":material/edit_note:"):
            _amend_form(ctx, item)


def _text_areas(ctx, item: dict, key: str) -> tuple[str, str]:
    """讨论情况 and 决议 as saved, to correct or amend."""
    return tuple(st.text_area(ctx.t(f"meetings.decision.{field}"), value=item[field], height=80,
                              max_chars=TEXT_LIMIT, key=f"{key}_{field}") for field in ("discussion", "decision"))


def _draft_form(ctx, meeting: dict, item: dict) -> None:
    key = f"meetings_fix_{item['id']}_{item['version']}"      # a new version: fields show the saved text
    seats = list_seats(ctx.db, meeting["compound_id"])
    given = {v["seat_id"]: v["vote"] for v in item["votes"]}
    with st.form(key, border=False):
        st.caption(ctx.t("meetings.correct.hint"))
        discussion, decision = _text_areas(ctx, item, key)
        columns, votes = st.columns(3), {}
        choices = ("", *VOTES)
        for n, seat in enumerate(seats):
            votes[seat["id"]] = columns[n % 3].selectbox(
                plain(seat["name"]), choices, index=choices.index(given.get(seat["id"], "")),
                key=f"{key}_vote_{seat['id']}", format_func=lambda v: ctx.t(f"meetings.vote.{v or 'none'}"))
        submitted = st.form_submit_button(ctx.t("meetings.correct.submit"), icon=":material/save:")
    if submitted:
        ok, _ = attempt(ctx.lang, correct_decision, ctx.db, ctx.actor, item["id"], expected_version=item["version"],
                        discussion=discussion, decision=decision,
                        votes={seat_id: vote for seat_id, vote in votes.items() if vote})
        if ok:
            done(ctx, "meetings.correct.done", title=plain(item["title"]))


def _amend_form(ctx, item: dict) -> None:
    key = f"meetings_amend_{item['id']}_{item['version']}"
    with st.form(key, border=False):
        st.caption(ctx.t("meetings.amend.hint"))
        discussion, decision = _text_areas(ctx, item, key)
        reason = st.text_input(ctx.t("meetings.amend.reason"), max_chars=REASON_LIMIT, key=f"{key}_reason")
        submitted = st.form_submit_button(ctx.t("meetings.amend.submit"), icon=":material/save:")
    if submitted:
        ok, _ = attempt(ctx.lang, amend_decision, ctx.db, ctx.actor, item["id"], expected_version=item["version"],
                        discussion=discussion, decision=decision, reason=reason)
        if ok:
            done(ctx, "meetings.amend.done", title=plain(item["title"]))


def render_amendments(ctx, found: list[dict]) -> None:
    """Each amendment with the approved text and the amended one side by side, escaped."""
    if not found:
        return
    st.markdown(f"**{ctx.t('meetings.amend.list')}**")
    for amendment in found:
        with st.container(border=True, key=f"meetings_amendment_{amendment['id']}"):
            st.caption(ctx.t("meetings.amend.line", at=amendment["amended_at"][:16],
                             who=plain(amendment["amended_by_label"]), n=amendment["position"],
                             title=plain(amendment["title"]), field=ctx.t(f"meetings.decision.{amendment['field']}"),
                             reason=plain(amendment["reason"])))
            old_col, new_col = st.columns(2)
            old_col.markdown(f"**{ctx.t('meetings.amend.old')}:** {plain(amendment['old_text'] or '—')}")
            new_col.markdown(f"**{ctx.t('meetings.amend.new')}:** {plain(amendment['new_text'] or '—')}")
