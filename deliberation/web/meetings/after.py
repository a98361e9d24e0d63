"""After the meeting (已召开 → 纪要已审定 → 已公开): the minutes draft, approval, publication."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...exports.dates import cn_time_span
from ...exports.minutes import action_rows, attendance_summary, item_heading, person, vote_text
from ...services import documents
from ...services.meetings import approve_minutes, publish_minutes
from ...services.minutes import minutes_view, set_item_public_summary, suggested_public_summary
from ...services.minutes_workflow import amendments
from ..common.context import attempt
from ..common.issue_links import link_to_issue
from ..common.ui import plain
from .corrections import render_amendments, render_correction
from .downloads import render_minutes_downloads
from .during import render_attendance, save_ticked_attendance
from .shared import can_publish, can_run_meetings, done


def render_after(ctx, detail: dict) -> None:
    meeting = detail["meeting"]
    roll_open = meeting["status"] == "held" and can_run_meetings(ctx)      # the roll is corrected until approval
    if roll_open:
        save_ticked_attendance(ctx, meeting, detail["attendance"])         # before the minutes are read
    view = minutes_view(ctx.db, ctx.actor, meeting["id"])
    steps_col, minutes_col = st.columns([1, 2], gap="large")
    with steps_col:
        _next_step(ctx, meeting, view, [item["id"] for item in detail["items"]])
        if detail["items"]:
            st.markdown(f"**{ctx.t('meetings.after.issues')}**")
            for item in detail["items"]:
                link_to_issue(ctx, item["issue_id"], item["issue_number"], item["title"])
        render_minutes_downloads(ctx, meeting["id"])
    with minutes_col:
        internal_tab, public_tab = st.tabs([ctx.t("meetings.minutes.tab_internal"),
                                            ctx.t("meetings.minutes.tab_public")])
        with internal_tab, st.container(border=True, key="meetings_minutes"):
            render_minutes(ctx, view, ended_at=meeting["ended_at"] or "")
            if roll_open:
                with st.expander(ctx.t("meetings.correct.attendance"), icon=":material/how_to_reg:"):
                    render_attendance(ctx, meeting, detail["attendance"], True)
            for item in detail["items"]:
                render_correction(ctx, meeting, item)
            render_amendments(ctx, amendments(ctx.db, ctx.actor, meeting["id"]))
        with public_tab, st.container(border=True, key="meetings_minutes_public"):
            # Built by the function that builds the published version: what is seen is what goes out.
            st.caption(ctx.t("meetings.minutes.preview_hint"))
            ok, preview = attempt(ctx.lang, documents.minutes_view, ctx.db, ctx.actor, meeting["id"],
                                  public=True, preview=True)
            if ok:
                render_minutes(ctx, preview, ended_at=preview.ends_at)


def _next_step(ctx, meeting: dict, view, item_ids: list[int]) -> None:
    status = meeting["status"]
    if status == "published":
        st.success(ctx.t("meetings.after.published", at=(meeting["published_at"] or "")[:16]))
        st.markdown(f"**{ctx.t('meetings.after.public_summary')}**")
        st.text(meeting["public_summary"])
        return
    if not can_publish(ctx):
        st.info(ctx.t("meetings.after.waiting_secretary"))
        return
    _item_summaries(ctx, meeting, view, item_ids)
    if status == "held":
        st.info(ctx.t("meetings.after.review_hint"))
        if st.button(ctx.t("meetings.after.approve"), key=f"meetings_approve_{meeting['id']}", type="primary",
                     icon=":material/fact_check:"):
            ok, _ = attempt(ctx.lang, approve_minutes, ctx.db, ctx.actor, meeting["id"],
                            expected_version=meeting["version"])
            if ok:
                done(ctx, "meetings.after.approved")
        return
    with st.form(f"meetings_publish_form_{meeting['id']}"):
        st.markdown(f"**{ctx.t('meetings.after.publish_title')}**")
        summary = st.text_area(ctx.t("meetings.after.public_summary"), value=suggested_public_summary(view),
                               height=180, max_chars=2000, help=ctx.t("meetings.after.public_summary_help"),
                               key=f"meetings_public_summary_{meeting['id']}")
        submitted = st.form_submit_button(ctx.t("meetings.after.publish"), type="primary", icon=":material/campaign:")
    if submitted:
        ok, _ = attempt(ctx.lang, publish_minutes, ctx.db, ctx.actor, meeting["id"], summary,
                        expected_version=meeting["version"])
        if ok:
            done(ctx, "meetings.after.published_now")


def _item_summaries(ctx, meeting: dict, view, item_ids: list[int]) -> None:
    """What residents read of each item: the secretary writes it here before publishing."""
    if not view.items:
        return
    with st.form(f"meetings_item_summaries_{meeting['id']}"):
        st.markdown(f"**{ctx.t('meetings.after.item_summaries')}**")
        st.caption(ctx.t("meetings.after.item_summaries_hint"))
        texts = {item_id: st.text_area(plain(item.title), value=item.public_summary, height=68, max_chars=1000,
                                       key=f"meetings_item_summary_{item_id}")
                 for item_id, item in zip(item_ids, view.items)}
        submitted = st.form_submit_button(ctx.t("meetings.after.item_summaries_save"), icon=":material/save:")
    if submitted:
        changed = [(item_id, text) for (item_id, text), item in zip(texts.items(), view.items)
                   if text.strip() != item.public_summary]
        for item_id, text in changed:
            ok, _ = attempt(ctx.lang, set_item_public_summary, ctx.db, ctx.actor, item_id, text)
            if not ok:
                return
        done(ctx, "meetings.after.item_summaries_saved")


def render_minutes(ctx, view, *, ended_at: str = "") -> None:
    """The 会议纪要 draft: labels in the reader's language, the record itself in Chinese as filed.
    The time runs from the actual start to the recorded end."""
    if ctx.lang != "zh":
        st.caption(ctx.t("meetings.minutes.in_chinese"))
    st.subheader(plain(view.title))
    if view.demo:
        st.caption(ctx.t("demo.note"))
    t = lambda key: ctx.t(f"meetings.minutes.{key}")  # noqa: E731
    header = ((t("time"), cn_time_span(view.starts_at, ended_at[:16])), (t("place"), view.place),
              (t("chair"), person(view, view.chair)), (t("recorder"), person(view, view.recorder)),
              (t("attendance"), attendance_summary(view)))
    st.markdown("  \n".join(f"**{label}:** {plain(value)}" for label, value in header))
    version = "public" if view.public else "internal"          # the page shows both: keys of their own
    if view.attendance and view.public:                        # by seat only, as it is printed
        st.dataframe(pd.DataFrame([(a.seat, a.status) for a in view.attendance], columns=(t("seat"), t("status"))),
                     hide_index=True, key=f"meetings_minutes_attendance_{version}")
    elif view.attendance:
        st.dataframe(pd.DataFrame([(a.seat, person(view, a.name), a.status) for a in view.attendance],
                                  columns=(t("seat"), t("member"), t("status"))),
                     hide_index=True, key=f"meetings_minutes_attendance_{version}")
    # The public version has no 讨论情况 or 决议 text: it shows only what it prints.
    fields = ("public_summary", "outcome", "votes") if view.public else \
        ("discussion", "decision", "public_summary", "outcome", "votes")
    for item in view.items:
        st.markdown(f"##### {plain(item_heading(item))}")
        values = {"discussion": item.discussion, "decision": item.decision, "public_summary": item.public_summary,
                  "outcome": item.outcome, "votes": vote_text(item)}
        st.markdown("  \n".join(f"**{t(key)}:** {plain(values[key] or '—')}" for key in fields))
        if item.actions:
            st.dataframe(pd.DataFrame(action_rows(item), columns=(t("seat"), t("task"), t("due"), t("action_status"))),
                         hide_index=True, key=f"meetings_minutes_actions_{version}_{item.position}")
    if not view.items:
        st.caption(t("no_items"))
