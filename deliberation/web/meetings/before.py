"""Before the meeting (计划中): the proposed agenda, the agenda in order, the papers for the room
(议程 and 签到表), opening the meeting."""
from __future__ import annotations

import streamlit as st

from ...services.actions import action_changes_for_next_meeting
from ...services.agenda import AGENDA_STAGES, add_to_agenda, agenda, drop_from_agenda, move_agenda_item, propose_agenda
from ...services.clock import now
from ...services.meetings import start_meeting, starts_off_schedule
from ...services.roster import list_members
from ..common.context import attempt
from ..common.ui import plain, stage_label
from .downloads import render_paper_downloads
from .listing import render_reschedule_form
from .shared import can_run_meetings, done


def render_before(ctx, detail: dict) -> None:
    meeting = detail["meeting"]
    runs = can_run_meetings(ctx)
    proposed_col, agenda_col = st.columns(2, gap="large")
    with proposed_col:
        render_proposals(ctx, meeting, runs)
    with agenda_col:
        render_agenda_order(ctx, detail["items"], runs)
        render_paper_downloads(ctx, meeting["id"], papers_signature(detail))
    if runs:
        with st.expander(ctx.t("meetings.reschedule.title", name=ctx.t("meetings.name", n=meeting["number"]))):
            render_reschedule_form(ctx, meeting)
        _start_form(ctx, meeting, has_items=bool(detail["items"]))


def papers_signature(detail: dict) -> tuple:
    """What the 议程 and 签到表 print from the meeting: a change to any of it prepares them anew."""
    meeting = detail["meeting"]
    return (meeting["id"], meeting["version"], meeting["scheduled_at"], meeting["place"],
            tuple((item["id"], item["title"]) for item in detail["items"]))


def render_proposals(ctx, meeting: dict, runs: bool) -> None:
    """What the meeting should take up, each with the reason it is proposed."""
    st.subheader(ctx.t("meetings.proposed.title"))
    render_action_changes(ctx, meeting, runs)
    proposals = propose_agenda(ctx.db, ctx.actor, meeting["compound_id"])
    if not proposals:
        st.info(ctx.t("meetings.proposed.empty"))
        return
    st.caption(ctx.t("meetings.proposed.hint"))
    for issue in proposals:
        with st.container(border=True, key=f"meetings_proposal_{issue['id']}"):
            text_col, button_col = st.columns([2, 1], vertical_alignment="center")
            text_col.markdown(f"**{ctx.t('meetings.reason.' + issue['reason'])}** · {plain(issue['title'])}")
            text_col.caption(" · ".join((f"#{issue['number']}", plain(issue["category"]),
                                         stage_label(issue["stage"], ctx.lang),
                                         ctx.t("meetings.proposed.raised_on", day=issue["raised_on"]))))
            if runs and button_col.button(ctx.t("meetings.proposed.add"), key=f"meetings_add_{issue['id']}",
                                          icon=":material/add:"):
                ok, _ = attempt(ctx.lang, add_to_agenda, ctx.db, ctx.actor, meeting["id"], issue["id"])
                if ok:
                    done(ctx, "meetings.proposed.added", title=plain(issue["title"]))


def action_change_line(ctx, change: dict) -> str:
    """任务变更:物业服务企业「更换道闸」期限 2026-05-01 → 2026-05-15(理由:…), user text escaped."""
    what = (ctx.t("meetings.changes.moved", old=change["old_due_on"], new=change["new_due_on"])
            if change["kind"] == "rescheduled" else ctx.t("meetings.changes.cancelled", old=change["old_due_on"]))
    return ctx.t("meetings.changes.line", seat=plain(change["seat_name"]), task=plain(change["task"]), what=what,
                 reason=plain(change["reason"]))


def render_action_changes(ctx, meeting: dict, runs: bool) -> None:
    """Actions the secretary cancelled or moved since the last meeting: the meeting hears of each
    (the decision it took is no longer the plan), and can take its issue up again."""
    changes = action_changes_for_next_meeting(ctx.db, ctx.actor, meeting["compound_id"])
    if not changes:
        return
    on_agenda = {item["issue_id"] for item in agenda(ctx.db, ctx.actor, meeting["id"])}
    for change in changes:
        with st.container(border=True, key=f"meetings_change_{change['id']}"):
            text_col, button_col = st.columns([2, 1], vertical_alignment="center")
            text_col.markdown(action_change_line(ctx, change))
            text_col.caption(" · ".join((f"#{change['issue_number']} {plain(change['issue_title'])}",
                                         ctx.t("meetings.changes.by", who=plain(change["changed_by_label"]),
                                               at=change["changed_at"][:16]))))
            addable = change["issue_id"] not in on_agenda and change["issue_stage"] in AGENDA_STAGES
            if runs and addable and button_col.button(ctx.t("meetings.proposed.add"),
                                                      key=f"meetings_add_change_{change['id']}", icon=":material/add:"):
                ok, _ = attempt(ctx.lang, add_to_agenda, ctx.db, ctx.actor, meeting["id"], change["issue_id"])
                if ok:
                    done(ctx, "meetings.proposed.added", title=plain(change["issue_title"]))
            on_agenda.add(change["issue_id"])     # one button per issue, however many of its actions changed


def render_agenda_order(ctx, items: list[dict], runs: bool) -> None:
    st.subheader(ctx.t("meetings.agenda.title"))
    if not items:
        st.info(ctx.t("meetings.agenda.empty"))
        return
    for index, item in enumerate(items):
        with st.container(border=True, key=f"meetings_agenda_{item['id']}"):
            st.markdown(f"**{index + 1}.** {plain(item['title'])}")
            st.caption(f"#{item['issue_number']} · {plain(item['category'])}")
            if not runs:
                continue
            with st.container(horizontal=True, gap="small"):
                if st.button(ctx.t("meetings.agenda.up"), key=f"meetings_up_{item['id']}", disabled=index == 0,
                             icon=":material/arrow_upward:"):
                    _move(ctx, item["id"], -1)
                if st.button(ctx.t("meetings.agenda.down"), key=f"meetings_down_{item['id']}",
                             disabled=index == len(items) - 1, icon=":material/arrow_downward:"):
                    _move(ctx, item["id"], 1)
                if st.button(ctx.t("meetings.agenda.drop"), key=f"meetings_drop_{item['id']}",
                             disabled=bool(item["outcome"]), icon=":material/close:"):
                    ok, _ = attempt(ctx.lang, drop_from_agenda, ctx.db, ctx.actor, item["id"])
                    if ok:
                        done(ctx, "meetings.agenda.dropped", title=plain(item["title"]))


def _move(ctx, item_id: int, offset: int) -> None:
    ok, _ = attempt(ctx.lang, move_agenda_item, ctx.db, ctx.actor, item_id, offset)
    if ok:
        st.rerun()


def _start_form(ctx, meeting: dict, has_items: bool) -> None:
    members = list_members(ctx.db, ctx.actor, meeting["compound_id"])
    ids = [m["id"] for m in members]
    names = {m["id"]: f"{m['seat_name']} · {m['name']}" + (f"({m['title']})" if m["title"] else "") for m in members}
    party = next((m["id"] for m in members if m["seat_code"] == "party"), None)
    with st.form(f"meetings_start_form_{meeting['id']}", border=True):
        st.subheader(ctx.t("meetings.start.title"))
        if not has_items:
            st.caption(ctx.t("meetings.start.no_items"))
        chair_col, recorder_col = st.columns(2)
        chair = chair_col.selectbox(ctx.t("meetings.start.chair"), ids, format_func=names.get,
                                    index=ids.index(party) if party in ids else None,
                                    placeholder=ctx.t("meetings.start.chair_placeholder"),
                                    key=f"meetings_start_chair_{meeting['id']}")
        recorder = recorder_col.text_input(ctx.t("meetings.start.recorder"), value=ctx.actor.label, max_chars=40,
                                           key=f"meetings_start_recorder_{meeting['id']}")
        submitted = st.form_submit_button(ctx.t("meetings.start.submit"), type="primary",
                                          icon=":material/play_arrow:")
    pending_key = f"meetings_start_pending_{meeting['id']}"
    if submitted:
        if not starts_off_schedule(meeting):
            _start(ctx, meeting, chair, recorder)
            return
        st.session_state[pending_key] = (chair, recorder)      # asked once, below
    pending = st.session_state.get(pending_key)
    if pending:
        _confirm_off_schedule(ctx, meeting, pending_key, *pending)


def _confirm_off_schedule(ctx, meeting: dict, pending_key: str, chair, recorder: str) -> None:
    """Opening on another day or more than two hours off: say so once, then record the actual time."""
    st.warning(ctx.t("meetings.start.off_schedule", scheduled=meeting["scheduled_at"][:16],
                     now=f"{now():%Y-%m-%d %H:%M}"), icon=":material/schedule:")
    with st.container(horizontal=True, gap="small"):
        confirmed = st.button(ctx.t("meetings.start.confirm"), key=f"{pending_key}_yes", type="primary",
                              icon=":material/play_arrow:")
        cancelled = st.button(ctx.t("meetings.start.cancel"), key=f"{pending_key}_no")
    if cancelled:
        st.session_state.pop(pending_key, None)
        st.rerun()
    if confirmed:
        st.session_state.pop(pending_key, None)
        _start(ctx, meeting, chair, recorder)


def _start(ctx, meeting: dict, chair, recorder: str) -> None:
    ok, _ = attempt(ctx.lang, start_meeting, ctx.db, ctx.actor, meeting["id"],
                    expected_version=meeting["version"], chair_member_id=chair, recorder_name=recorder)
    if ok:
        done(ctx, "meetings.start.done")
