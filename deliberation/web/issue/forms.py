"""议题详情, working half: one small form per action, each one service call through `attempt`.

Optimistic locking: each form remembers the issue version it was first shown with ("pins"), and
sends it as expected_version. If someone else changed the issue since, the service refuses with
"该记录已被他人修改,请刷新后重试"; the form keeps its input and 刷新 re-pins to the latest version.
Widget keys start with issue<id>_ so each issue keeps its own typed text."""
from __future__ import annotations

import streamlit as st

from ...model.lifecycle import (CLOSE_REASONS, MERGE, OPEN_STAGES, Level, Stage, chinese_date, legal_transitions,
                                publicity_window_open)
from ...model.roles import Action
from ...services.clock import today
from ...services.escalation import LEVEL_TO, escalate, escalation_levels
from ...services.issues import accept_concern, merge_issues, reject_concern, transition_issue, update_issue
from ...services.permissions import may
from ...services.publicity import resolvable
from ...services.register import OPEN, IssueFilter, list_issues
from ...services.roster import list_categories
from ..common.context import attempt
from ..common.flash import flash
from ..common.issue_links import label
from ..common.ui import level_label, plain_strict, stage_label

PINS = "issue_version_pins"
ELSEWHERE = ("put_on_agenda", "assign_actions", "escalate", MERGE)   # the meetings page, escalate(), merge_form()
EDIT_FIELDS = ("title", "category_id", "priority", "building", "description", "internal_note", "public_summary")


def prefix(issue_id: int) -> str:
    return f"issue{issue_id}_"


def refresh_key(issue_id: int) -> str:
    return prefix(issue_id) + "refresh"


def stale_key(issue_id: int) -> str:
    return prefix(issue_id) + "stale_forms"


def begin(issue: dict) -> None:
    """Call before the 刷新 button renders. Its widget state is gone when the page was left, so a
    fresh visit (or another issue) starts with fresh pins."""
    pins = st.session_state.setdefault(PINS, {})
    if refresh_key(issue["id"]) not in st.session_state:
        pins.pop(issue["id"], None)
        st.session_state.pop(stale_key(issue["id"]), None)


def refresh(issue_id: int) -> None:
    """Re-pin to the latest version. Typed notes stay."""
    st.session_state.setdefault(PINS, {}).pop(issue_id, None)
    st.session_state.pop(stale_key(issue_id), None)
    # The edit form reloads the fields the user left alone (they may have changed meanwhile); a field
    # the user did change keeps the typed value, to be saved on top of the latest version.
    seeded = st.session_state.pop(prefix(issue_id) + "edit_seeded", {})
    for field in EDIT_FIELDS:
        key = prefix(issue_id) + "edit_" + field
        if key in st.session_state and st.session_state[key] == seeded.get(field):
            del st.session_state[key]
    st.rerun()


def _pin(issue: dict, form: str) -> int:
    pins = st.session_state.setdefault(PINS, {}).setdefault(issue["id"], {})
    return pins.setdefault(form, issue["version"])


def _submit(ctx, issue: dict, form: str, what: str, fn, *args, **kwargs) -> None:
    """The one service call of a submitted form, with the version pinned for that form."""
    version = _pin(issue, form)
    ok, _ = attempt(ctx.lang, fn, ctx.db, ctx.actor, issue["id"], *args, expected_version=version, **kwargs)
    if ok:
        _saved(ctx, issue["id"], what)
    elif version != issue["version"]:       # refused because someone else changed it meanwhile
        st.session_state.setdefault(stale_key(issue["id"]), set()).add(form)


def _after_form(ctx, issue: dict, form: str) -> None:
    """Below each form: pin its version on first sight, and offer 刷新 right here after a stale refusal
    (the page's own 刷新 is at the top, out of view)."""
    _pin(issue, form)
    if form in st.session_state.get(stale_key(issue["id"]), ()):
        if st.button(ctx.t("issue.refresh"), key=prefix(issue["id"]) + f"refresh_{form}", icon=":material/refresh:",
                     help=ctx.t("issue.refresh_help")):
            refresh(issue["id"])


def _saved(ctx, issue_id: int, what: str) -> None:
    """After a write: every form of this issue starts afresh from the new version."""
    for key in [k for k in st.session_state if str(k).startswith(prefix(issue_id))]:
        del st.session_state[key]
    st.session_state.setdefault(PINS, {}).pop(issue_id, None)
    flash("issue", ctx.t("issue.done", what=what))
    st.rerun()


def may_work(ctx, issue: dict) -> bool:
    return any(may(ctx.actor, a, issue["compound_id"])
               for a in (Action.TRANSITION_ISSUE, Action.EDIT_ISSUE, Action.ESCALATE))


def transition_forms(ctx, issue: dict, *, waiting_for_answer: bool) -> None:
    """The stage changes the lifecycle table allows from here, minus those made elsewhere; a
    role's missing right hides a form (the service would refuse it anyway)."""
    actor, compound_id = ctx.actor, issue["compound_id"]
    if issue["stage"] == Stage.ESCALATED.value and waiting_for_answer:
        st.info(ctx.t("issue.waiting_answer"), icon=":material/hourglass_top:")   # the answer moves it on
        return
    # Into or out of 公示 is the publish right's; 公示期满,办结 only once the window's last day has passed.
    offered = [t for t in legal_transitions(issue["stage"]) if t.name not in ELSEWHERE
               and may(actor, Action.TRANSITION_ISSUE, compound_id)
               and (Stage.PUBLICIZING not in (t.source, t.target) or may(actor, Action.PUBLISH, compound_id))
               and (t.name != "resolve" or resolvable(actor, issue))]
    if issue["stage"] == Stage.PUBLICIZING.value and publicity_window_open(issue["objection_closes_on"], today()) \
            and may(actor, Action.PUBLISH, compound_id):
        st.info(ctx.t("issue.window_open", day=chinese_date(issue["objection_closes_on"])),
                icon=":material/hourglass_top:")
    can_escalate = may(actor, Action.ESCALATE, compound_id) and any(
        t.name == "escalate" for t in legal_transitions(issue["stage"]))
    if any(t.name in ("put_on_agenda", "assign_actions") for t in legal_transitions(issue["stage"])):
        st.caption(ctx.t("issue.elsewhere"))
    boxes = offered + (["escalate"] if can_escalate else [])
    if not boxes:
        return
    for column, item in zip(st.columns(len(boxes)), boxes):
        with column:
            if item == "escalate":
                _escalate_form(ctx, issue)
            else:
                _transition_form(ctx, issue, item)


def _transition_form(ctx, issue: dict, transition) -> None:
    t, target, key = ctx.t, transition.target.value, prefix(issue["id"]) + f"tr_{transition.target.value}"
    title = label(ctx.lang, "tr", f"{transition.source.value}.{target}")
    with st.form(key):
        st.markdown(f"**{plain_strict(title)}**")
        values: dict = {}
        if "level" in transition.needs:
            levels = [lv.value for lv in Level]
            default = issue["fix_level"] if issue["fix_level"] in levels else Level.COMPOUND.value
            values["level"] = st.radio(t("issue.form.level"), levels, index=levels.index(default), horizontal=True,
                                       format_func=lambda v: level_label(v, ctx.lang), key=key + "_level")
        if "reason" in transition.needs:
            # No default: closing is not undone lightly, so the reason is a deliberate choice. 重复 is
            # not offered: a duplicate is merged (merge_form), so its households move and it counts as 合并.
            values["reason"] = st.selectbox(t("issue.form.reason"), [r for r in CLOSE_REASONS if r != "duplicate"],
                                            key=key + "_reason",
                                            format_func=lambda v: label(ctx.lang, "close_reason", v), index=None,
                                            placeholder=t("issue.form.choose"))
        if "note" in transition.needs:
            note_label = t("issue.form.note_publish" if transition.name == "publish" else "issue.form.note")
            values["note"] = st.text_area(note_label, key=key + "_note", height=90)
        if not transition.needs:
            st.caption(t("issue.form.no_input"))
        if st.form_submit_button(title, width="stretch"):
            _submit(ctx, issue, "tr_" + target, title, transition_issue, target, **values)
    _after_form(ctx, issue, "tr_" + target)


def _escalate_form(ctx, issue: dict) -> None:
    """上报到 offers only the rungs the compound has (怡乐花园: 街道 only), the lowest first."""
    t, key = ctx.t, prefix(issue["id"]) + "escalate"
    ok, ladder = attempt(ctx.lang, escalation_levels, ctx.db, ctx.actor, issue["compound_id"])
    names = {r["level"]: t("issue.form.level_to_option", level=t(f"issue.escalate_to.{r['level']}"), area=r["area"])
             for r in (ladder or []) if r["level"] in LEVEL_TO}
    with st.form(key):
        st.markdown(f"**{t('issue.form.escalate')}**")
        level_to = st.radio(t("issue.form.level_to"), list(names), horizontal=True, key=key + "_level_to",
                            format_func=lambda v: plain_strict(names[v]))
        if ok and not names:
            st.caption(t("issue.form.no_ladder"))
        request = st.text_area(t("issue.form.request"), key=key + "_request", height=90)
        if st.form_submit_button(t("issue.form.escalate_submit"), width="stretch", disabled=not names):
            _submit(ctx, issue, "escalate", t("issue.form.escalate"), escalate, level_to, request)
    _after_form(ctx, issue, "escalate")


def edit_form(ctx, issue: dict) -> None:
    if not may(ctx.actor, Action.EDIT_ISSUE, issue["compound_id"]):
        return
    t, key = ctx.t, prefix(issue["id"]) + "edit_"
    categories = {c["id"]: c["name"] for c in list_categories(ctx.db, issue["compound_id"], include_retired=True)
                  if not c["retired_at"] or c["id"] == issue["category_id"]}
    seeded = st.session_state.setdefault(key + "seeded", {})
    for field in EDIT_FIELDS:       # seeded once: later reruns and language switches keep the typed text
        if key + field not in st.session_state:
            st.session_state[key + field] = seeded[field] = issue[field]
    with st.expander(t("issue.edit"), icon=":material/edit:"), st.form(key + "form"):
        st.text_input(t("issue.edit.title"), key=key + "title", max_chars=120)
        left, middle, right = st.columns(3)
        left.selectbox(t("issue.field.category"), list(categories), format_func=categories.get,
                       key=key + "category_id")
        middle.radio(t("issue.field.priority"), ["high", "normal", "low"], horizontal=True,
                     format_func=lambda v: label(ctx.lang, "priority", v), key=key + "priority")
        right.text_input(t("issue.edit.building"), key=key + "building")
        st.text_area(t("issue.edit.description"), key=key + "description")
        st.text_area(t("issue.internal_note"), key=key + "internal_note")
        st.text_area(t("issue.public_summary"), key=key + "public_summary")
        if st.form_submit_button(t("issue.edit.submit"), type="primary"):
            changes = {f: st.session_state[key + f] for f in EDIT_FIELDS if st.session_state[key + f] != issue[f]}
            if changes:
                _submit(ctx, issue, "edit", t("issue.edit.saved"), update_issue, **changes)
            else:
                st.info(t("issue.edit.nothing"))
    _after_form(ctx, issue, "edit")


def is_concern(issue: dict) -> bool:
    """A resident's concern not yet accepted: accepting, merging or refusing it replaces the stage moves."""
    return not issue["accepted_at"] and issue["stage"] == Stage.COLLECTED.value


def concern_forms(ctx, issue: dict) -> None:
    """Accept, merge into another open issue, or refuse with a public reason (the 关闭 of a concern)."""
    if not may(ctx.actor, Action.EDIT_ISSUE, issue["compound_id"]):
        return
    t, key = ctx.t, prefix(issue["id"]) + "concern_"
    st.markdown(f"#### {t('issue.concern')}")
    st.caption(t("issue.concern.caption"))
    accept, merge, reject = st.columns(3)
    with accept, st.form(key + "accept"):
        st.markdown(f"**{t('issue.accept')}**")
        title = st.text_input(t("issue.edit.title"), value=issue["title"], key=key + "title", max_chars=120)
        summary = st.text_area(t("issue.public_summary"), value=issue["public_summary"], key=key + "summary")
        if st.form_submit_button(t("issue.accept.submit"), type="primary", width="stretch"):
            _submit(ctx, issue, "accept", t("issue.accept.done"), accept_concern, title=title,
                    public_summary=summary)
    with accept:
        _after_form(ctx, issue, "accept")
    with merge:
        merge_form(ctx, issue)
    with reject, st.form(key + "reject"):
        st.markdown(f"**{t('issue.reject')}**")
        reason = st.text_area(t("issue.reject.reason"), key=key + "reason")
        if st.form_submit_button(t("issue.reject.submit"), width="stretch"):
            _submit(ctx, issue, "reject", t("issue.reject.done"), reject_concern, reason=reason)
    with reject:
        _after_form(ctx, issue, "reject")


# --- duplicates at any stage: 合并到… (services/merging.py) --------------------------------------------

def merge_panel(ctx, issue: dict, detail: dict) -> None:
    """For an accepted issue still open: the merge form in an expander (merging is rarer than the
    stage moves above it)."""
    if issue["stage"] not in {s.value for s in OPEN_STAGES} or issue["merged_into_id"] \
            or not may(ctx.actor, Action.TRANSITION_ISSUE, issue["compound_id"]):
        return
    with st.expander(ctx.t("issue.merge.panel"), icon=":material/merge:"):
        st.caption(ctx.t("issue.merge.caption"))
        if issue["stage"] == Stage.PUBLICIZING.value and not may(ctx.actor, Action.PUBLISH, issue["compound_id"]):
            st.caption(ctx.t("issue.merge.publish_only"))
            return
        for warning in _merge_warnings(ctx, detail):
            st.warning(warning, icon=":material/warning:")
        merge_form(ctx, issue)


def _merge_warnings(ctx, detail: dict) -> list[str]:
    """What merging would end: a waiting escalation, unfinished actions, a place on an agenda."""
    t, found = ctx.t, []
    for e in detail["escalations"]:
        if not e["answered_on"] and not e.get("withdrawn_on"):
            found.append(plain_strict(t("issue.merge.warn_waiting", area=e["area_name"])))
    unfinished = sum(a["status"] in ("open", "in_progress") for a in detail["actions"])
    if unfinished:
        found.append(t("issue.merge.warn_actions", n=unfinished))
    for m in detail["meetings"]:
        if m["outcome"] is None and m["status"] in ("planned", "in_progress"):
            found.append(t("issue.merge.warn_agenda", n=m["number"]))
    return found


def merge_form(ctx, issue: dict) -> None:
    """Pick another open issue of the compound and merge this one into it (one service call, the
    version pinned like every form here)."""
    t, key = ctx.t, prefix(issue["id"]) + "merge_"
    others = [r for r in list_issues(ctx.db, ctx.actor, issue["compound_id"], IssueFilter(stages=OPEN),
                                     page_size=200).rows if r["id"] != issue["id"]]
    names = {r["id"]: t("issue.merge.option", number=r["number"], title=r["title"], households=r["households"],
                        stage=stage_label(r["stage"], ctx.lang))
             for r in others}
    with st.form(key + "form"):
        st.markdown(f"**{t('issue.merge')}**")
        into = st.selectbox(t("issue.merge.into"), list(names), format_func=names.get, key=key + "into", index=None,
                            placeholder=t("issue.form.choose"))
        if not names:
            st.caption(t("issue.merge.none"))
        if st.form_submit_button(t("issue.merge.submit"), width="stretch", disabled=not names):
            _submit(ctx, issue, "merge", t("issue.merge.done"), merge_issues, into)
    _after_form(ctx, issue, "merge")
