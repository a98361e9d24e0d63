"""Widgets of the residents' public board. Plain Streamlit elements only; every text a user
typed is shown with st.text, in a dataframe, or markdown-escaped by `plain_strict` (never as markdown)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ...model.defaults import FEEDBACK
from ...services import public as board
from ...services.compounds import Compound
from ...services.publicity import give_feedback
from ..common.context import attempt
from ..common.flash import flash
from ..common.i18n import CATALOG, translate
from ..common.query import not_found, query_given, query_id
from ..common.ui import demo_badge, level_label, plain_strict, stage_label
from .household import client_address, household_code

PAGE_SIZE = 10
STAGE_COLORS = {"collected": "gray", "deliberating": "blue", "acting": "orange", "escalated": "violet",
                "publicizing": "yellow", "resolved": "green", "closed": "gray"}


def resident_session_key() -> str:
    """A random token per browser session: counts ratings and concerns without knowing who it is."""
    if "resident_session_key" not in st.session_state:
        st.session_state["resident_session_key"] = secrets.token_urlsafe(18)
    return st.session_state["resident_session_key"]


@dataclass
class Board:
    db: object
    lang: str
    compound: Compound

    def t(self, key: str, **values) -> str:
        return translate(key, self.lang, **values)


def choose_compound(db, lang: str) -> int | None:
    """?compound=<id> (a QR code) opens one compound; otherwise the visitor picks one."""
    compounds = board.public_compounds(db)
    ids = [c.id for c in compounds]
    names = {c.id: c.name + demo_badge(c.demo, lang) for c in compounds}
    asked = query_id("compound")
    current = asked if asked in ids else None
    if current is None and query_given("compound"):     # ?compound=² / 99999…: say so, offer the picker
        not_found(lang, "compound")

    def picked():
        chosen = st.session_state.get("public_compound")
        if chosen is not None:
            st.query_params["compound"] = str(chosen)
            st.session_state.pop("public_issue_page", None)

    st.session_state["public_compound"] = current   # the URL is the source of truth
    # Opened from a QR code the board is about one compound: switching is offered in the sidebar.
    where = st.sidebar if current is not None else st
    where.selectbox(translate("public.pick", lang), ids, key="public_compound", format_func=names.get,
                    placeholder=translate("public.pick_placeholder", lang), on_change=picked)
    return current


def issue_status_line(b: Board, issue: board.PublicIssue) -> str:
    """Stage, category, who raised it, households: one escaped markdown line."""
    if issue.stage == "collected" and not issue.accepted:
        stage = b.t("public.waiting")
    else:
        stage = stage_label(issue.stage, b.lang)
    parts = [f":{STAGE_COLORS.get(issue.stage, 'gray')}-badge[{plain_strict(stage)}]", plain_strict(issue.category),
             b.t("public.raised", day=issue.raised_on, by=plain_strict(issue.raised_by))]
    if issue.building:
        parts.append(b.t("public.building", building=plain_strict(issue.building)))
    if issue.households > 1:
        parts.append(b.t("public.households", n=issue.households))
    if issue.stage == "resolved" and issue.resolved_level:
        parts.append(b.t("public.resolved_at", level=level_label(issue.resolved_level, b.lang)))
    if issue.stage == "closed" and issue.closed_reason:
        parts.append(b.t("public.closed_reason", reason=b.t(f"public.close.{issue.closed_reason}")))
    return " · ".join(parts)


def issue_card(b: Board, issue: board.PublicIssue, *, history: bool = True):
    """One issue as residents see it; returns the card so a caller can add to it (the rating form)."""
    card = st.container(border=True)
    with card:
        st.markdown(f"**#{issue.number} {plain_strict(issue.title)}**{plain_strict(demo_badge(issue.demo, b.lang))}")
        st.caption(issue_status_line(b, issue))
        if issue.summary:
            final = issue.stage in ("publicizing", "resolved")
            st.text(f"{b.t('public.summary' if final else 'public.situation')}:{issue.summary}")
        if issue.reply:
            st.text(f"{b.t('public.reply')}:{issue.reply}")
        if issue.stage == "publicizing" and issue.days_left is not None:
            st.warning(b.t("public.window", days=issue.days_left, day=issue.objection_closes_on,
                           threshold=b.compound.objection_threshold), icon=":material/campaign:")
        if history:
            with st.expander(b.t("public.timeline")):
                timeline_table(b, issue.id)
    return card


def _step(b: Board, event: dict) -> str:
    if event["kind"] == "transition" and event["to_stage"]:
        # A duplicate merged into another issue is closed, but it was not left unsolved: say 已合并.
        to = b.t("public.kind.merged_into") if event.get("merge") else stage_label(event["to_stage"], b.lang)
        step = f"{stage_label(event['from_stage'], b.lang)} → {to}" if event["from_stage"] else to
    elif f"public.kind.{event['kind']}" in CATALOG:
        step = b.t(f"public.kind.{event['kind']}")
    else:
        step = b.t("public.kind.other")
    if event["meeting_number"]:
        step += "(" + b.t("public.timeline.meeting", n=event["meeting_number"]) + ")"
    return step


def timeline_table(b: Board, issue_id: int) -> None:
    events = board.public_timeline(b.db, issue_id)
    table = pd.DataFrame([{b.t("public.timeline.day"): e["created_at"][:10], b.t("public.timeline.step"): _step(b, e),
                           b.t("public.timeline.note"): e["note"] or ""} for e in events])
    st.dataframe(table, hide_index=True, width="stretch")


def feedback_form(b: Board, issue: board.PublicIssue, session_key: str) -> None:
    """满意 / 基本满意 / 不满意 + an optional comment: one form, one give_feedback call."""
    rating_key, comment_key = f"public_rating_{issue.id}", f"public_comment_{issue.id}"
    if st.session_state.pop(f"public_feedback_sent_{issue.id}", False):
        st.session_state[rating_key], st.session_state[comment_key] = None, ""   # before the widgets exist
    counts = {rating: 0 for rating in FEEDBACK} | board.public_feedback_counts(b.db, issue.id)
    st.caption(b.t("public.feedback.counts", **counts))
    with st.form(f"public_feedback_{issue.id}"):
        rating = st.radio(b.t("public.feedback.rating"), list(FEEDBACK), index=None, horizontal=True,
                          format_func=lambda r: b.t(f"public.feedback.{r}"), key=rating_key)
        comment = st.text_area(b.t("public.feedback.comment"), max_chars=500, height=80, key=comment_key)
        sent = st.form_submit_button(b.t("public.feedback.submit"), type="primary")
    if not sent:
        return
    if rating is None:
        st.warning(b.t("public.feedback.pick"))
        return
    ok, stage = attempt(b.lang, give_feedback, b.db, issue.id, rating, comment, session_key=session_key,
                        household_code=household_code(b), client_address=client_address())
    if ok:
        st.session_state[f"public_feedback_sent_{issue.id}"] = True
        flash("public", b.t("public.feedback.reopened" if stage == "deliberating" else "public.feedback.thanks"))
        st.rerun()


def meeting_card(b: Board, meeting: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{b.t('public.meeting.title', n=meeting['number'], when=meeting['held_at'][:16])}**"
                    f"{plain_strict(demo_badge(meeting['demo'], b.lang))}")
        seats = meeting["seats_present"]
        st.caption(b.t("public.meeting.place", place=plain_strict(meeting["place"])) + " · "
                   + b.t("public.meeting.seats", n=len(seats), seats=plain_strict("、".join(seats))))
        if meeting["public_summary"]:
            st.text(meeting["public_summary"])
        if meeting["items"]:
            st.dataframe(pd.DataFrame([{
                b.t("public.meeting.item"): item["title"],
                b.t("public.meeting.outcome"): b.t(f"public.outcome.{item['outcome']}") if item["outcome"] else "",
                b.t("public.meeting.decision"): item["public_summary"]} for item in meeting["items"]]),
                hide_index=True, width="stretch")


def escalation_card(b: Board, escalation: dict) -> None:
    with st.container(border=True):
        st.markdown("**" + b.t("public.escalation.title", title=plain_strict(escalation["title"]),
                               level=level_label(escalation["level_to"], b.lang),
                               day=escalation["requested_on"]) + f"** · #{escalation['issue_number']}")
        if escalation["answered_on"]:
            st.caption(b.t("public.escalation.answer", day=escalation["answered_on"]))
            st.text(escalation["answer"] or "")
        else:
            st.caption(b.t("public.escalation.waiting"))
