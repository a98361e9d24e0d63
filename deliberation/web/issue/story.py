"""议题详情, read-only half: the header and the whole story (timeline, meetings, actions, escalations,
feedback). User text goes into dataframes (rendered literally) or through `plain_strict`."""
from __future__ import annotations

import streamlit as st

from ...model.defaults import FEEDBACK
from ...model.lifecycle import MERGE
from ...services.audit import field_changes, redactions_in_timeline
from ...services.clock import today
from ...services.compounds import get_compound
from ..common.field_changes import change_line
from ..common.issue_links import issue_link, label, short_time
from ..common.ui import demo_badge, level_label, plain_strict, stage_label
from .escalations import escalation_panel


def header(ctx, detail: dict, refresh_key: str) -> bool:
    """Title, the key facts, texts. Returns True when 刷新 was clicked."""
    issue, t = detail["issue"], ctx.t
    left, right = st.columns([6, 1], vertical_alignment="bottom")
    left.title(f"#{issue['number']} {plain_strict(issue['title'])}{demo_badge(issue['demo'], ctx.lang)}")
    refresh = right.button(t("issue.refresh"), key=refresh_key, icon=":material/refresh:",
                           help=t("issue.refresh_help"), width="stretch")
    if not issue["accepted_at"]:
        st.warning(t("issue.not_accepted"), icon=":material/mark_email_unread:")
    # A merged duplicate is counted as 合并, not as 已关闭(未解决): its header says so too.
    stage = t("issue.stage_merged") if issue["merged_into_id"] else stage_label(issue["stage"], ctx.lang)
    if issue["stage_due_on"] and issue["stage_due_on"] < today().isoformat():
        stage += f"({t('issue.overdue')})"
    raised_by = issue["raised_by_seat_name"] or label(ctx.lang, "raised_by", issue["raised_by_kind"])
    facts = [("issue.field.stage", stage), ("issue.field.category", issue["category"]),
             ("issue.field.raised_by", raised_by), ("issue.field.raised_on", issue["raised_on"]),
             ("issue.field.households", t("issue.households", n=len(detail["reports"]))),
             ("issue.field.priority", label(ctx.lang, "priority", issue["priority"])),
             ("issue.field.building", issue["building"] or "—")]
    for column, (key, value) in zip(st.columns(len(facts)), facts):
        column.caption(t(key))
        column.markdown(f"**{plain_strict(value)}**")
    _outcome_line(ctx, issue)
    for key, text in (("issue.description", issue["description"]), ("issue.public_summary", issue["public_summary"]),
                      ("issue.public_reply", issue["public_reply"])):
        if text:
            st.caption(t(key))
            st.text(text)
    _internal(ctx, detail)
    return refresh


def _outcome_line(ctx, issue: dict) -> None:
    t = ctx.t
    pairs = [("issue.field.channel", label(ctx.lang, "channel", issue["channel"])),
             ("issue.field.due", issue["stage_due_on"]),
             ("issue.field.level", level_label(issue["resolved_level"], ctx.lang)),
             ("issue.field.closed_reason", label(ctx.lang, "close_reason", issue["closed_reason"]))]
    parts = [t("issue.pair", name=t(key), value=value) for key, value in pairs if value]
    st.caption(plain_strict(" · ".join(parts)))
    if issue["merged_into_id"]:
        issue_link(issue["merged_into_id"], f"{t('issue.field.merged_into')} #{issue['merged_into_number']}",
                   icon=":material/merge:")


def _internal(ctx, detail: dict) -> None:
    """Only what the service handed over: it leaves personal fields out for roles that may not see them."""
    issue, t = detail["issue"], ctx.t
    people = [r for r in detail["reports"] if r.get("reporter_name") or r.get("unit") or r.get("contact")]
    words = [r for r in detail["reports"] if r.get("words")]
    if not issue.get("internal_note") and not people and not words:
        return
    with st.expander(t("issue.internal"), icon=":material/lock:"):
        if issue.get("internal_note"):
            st.caption(t("issue.internal_note"))
            st.text(issue["internal_note"])
        for r in words:             # the resident's own words: only the secretary and recorder get them
            st.caption(t("issue.words", at=short_time(r["created_at"])))
            st.text(r["words"])
        if people:
            st.caption(t("issue.reports"))
            st.dataframe([{t("issue.report.kind"): label(ctx.lang, "raised_by", r["kind"]),
                           t("issue.report.name"): r["reporter_name"], t("issue.report.unit"): r["unit"],
                           t("issue.report.contact"): r["contact"], t("issue.report.at"): short_time(r["created_at"])}
                          for r in people], hide_index=True)


def story(ctx, detail: dict) -> None:
    t = ctx.t
    tabs = st.tabs([t("issue.tab.timeline"), f"{t('issue.tab.meetings')} ({len(detail['meetings'])})",
                    f"{t('issue.tab.actions')} ({len(detail['actions'])})",
                    f"{t('issue.tab.escalations')} ({len(detail['escalations'])})", t("issue.tab.feedback")])
    with tabs[0]:
        redactions = redactions_in_timeline(detail["timeline"])
        _table([{t("issue.col.time"): short_time(e["created_at"]), t("issue.col.actor"): e["actor_label"],
                 t("issue.col.event"): _event_label(ctx, e), t("issue.col.stages"): _stages(ctx, e),
                 t("issue.col.meeting"): t("issue.meeting_no", n=e["meeting_number"]) if e["meeting_number"] else "",
                 t("issue.col.note"): _note(ctx, e, redactions)} for e in detail["timeline"]], ctx)
        _edits_in_full(ctx, detail["timeline"], redactions)
    with tabs[1]:
        _table([{t("issue.col.meeting"): t("issue.meeting_no", n=m["number"]),
                 t("issue.col.date"): short_time(m["scheduled_at"]),
                 t("issue.col.status"): label(ctx.lang, "meeting_status", m["status"]),
                 t("issue.col.outcome"): label(ctx.lang, "outcome", m["outcome"]),
                 t("issue.col.decision"): m["decision"], t("issue.col.discussion"): m["discussion"]}
                for m in detail["meetings"]], ctx)
    with tabs[2]:
        _table([{t("issue.col.seat"): a["seat_name"], t("issue.col.task"): a["task"], t("issue.col.due"): a["due_on"],
                 t("issue.col.status"): label(ctx.lang, "action_status", a["status"]),
                 t("issue.col.overdue"): t("issue.overdue") if a["overdue"] else "",
                 t("issue.col.done_on"): a["done_on"] or "", t("issue.col.note"): a["note"]}
                for a in detail["actions"]], ctx)
    with tabs[3]:
        escalation_panel(ctx, detail)
    with tabs[4]:
        _feedback(ctx, detail)


def _table(records: list[dict], ctx) -> None:
    if records:
        st.dataframe(records, hide_index=True, width="stretch")
    else:
        st.caption(ctx.t("common.none"))


def _event_label(ctx, event: dict) -> str:
    if event["kind"] == "agenda_reordered":
        return ctx.t("audit.kind.agenda_reordered")
    if event["kind"] == "transition" and (event.get("data") or {}).get("transition") == MERGE:
        return label(ctx.lang, "tr", MERGE)
    if event["kind"] == "transition" and event["from_stage"] and event["to_stage"]:
        return label(ctx.lang, "tr", f"{event['from_stage']}.{event['to_stage']}")
    return label(ctx.lang, "event", event["kind"])


def _note(ctx, event: dict, redactions: dict[str, int]) -> str:
    """An edit (or a reordered agenda) says what changed: each field's old → new value where it
    was kept, "changed" for personal fields, 〔已隐去〕 for a field redacted since."""
    changes = field_changes(event, redactions) if event["kind"] in _CHANGE_KINDS else []
    if not changes:
        return event["note"]
    lines = ("；" if ctx.lang == "zh" else "; ").join(change_line(ctx, c) for c in changes)
    return f"{event['note']} {lines}" if event["note"] and event["kind"] != "edited" else lines


_CHANGE_KINDS = ("edited", "accepted", "agenda_reordered")


def _edits_in_full(ctx, events: list[dict], redactions: dict[str, int]) -> None:
    """A table cell shows one line: the edits that kept old and new values, each in full, as text."""
    edits = [(e, field_changes(e, redactions)) for e in events if e["kind"] in _CHANGE_KINDS]
    edits = [(e, changes) for e, changes in edits if any(c.has_values for c in changes)]
    if not edits:
        return
    with st.expander(ctx.t("audit.changes.timeline", n=len(edits)), expanded=True):
        for event, changes in edits:
            st.caption(plain_strict(f"{short_time(event['created_at'])} · {event['actor_label']} · "
                                    f"{_event_label(ctx, event)}"))
            st.text("\n".join(change_line(ctx, c) for c in changes))


def _stages(ctx, event: dict) -> str:
    if not event["to_stage"]:
        return ""
    merged = (event.get("data") or {}).get("transition") == MERGE       # counted as 合并, not 未解决
    target = ctx.t("issue.stage_merged") if merged else stage_label(event["to_stage"], ctx.lang)
    return f"{stage_label(event['from_stage'], ctx.lang)} → {target}" if event["from_stage"] else target


def _feedback(ctx, detail: dict) -> None:
    t, issue = ctx.t, detail["issue"]
    if issue["stage"] == "publicizing" and issue["objection_closes_on"]:
        threshold = get_compound(ctx.db, issue["compound_id"]).objection_threshold
        objections = sum(f["n"] for f in detail["feedback"]
                         if f["round"] == issue["publication_round"] and f["rating"] == "unsatisfied")
        st.info(t("issue.objection_window", day=issue["objection_closes_on"], n=objections, threshold=threshold))
    unverified = detail.get("unverified") or {}
    if unverified.get("reports") or unverified.get("ratings"):
        # Voices without a household code: read by the branch, never counted (services/households.py).
        st.caption(t("issue.unverified", n=unverified["reports"] + unverified["ratings"],
                     ratings=unverified["ratings"], reports=unverified["reports"]))
    rounds: dict[int, dict] = {}
    for f in detail["feedback"]:
        rounds.setdefault(f["round"], {code: 0 for code in FEEDBACK})[f["rating"]] = f["n"]
    if not rounds:
        st.caption(t("issue.no_feedback"))
        return
    st.dataframe([{t("issue.col.round"): t("issue.round_no", n=n),
                   **{label(ctx.lang, "feedback", code): count for code, count in counts.items()}}
                  for n, counts in sorted(rounds.items())], hide_index=True)
