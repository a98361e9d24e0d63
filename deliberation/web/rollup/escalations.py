"""区域汇总, 待答复的上报事项: the officer it waits with answers it, or passes it up the ladder
(社区 → 街道) with a note for the level above. Each form sends the escalation's version as read, so
a second click or a colleague's answer first is refused with a message, never done twice. User
text is shown with st.text or escaped."""
from __future__ import annotations

from datetime import date

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from ...services.escalation import ANSWER_MAX, NOTE_MAX, answer_escalation, pass_up
from ..common.context import attempt
from ..common.flash import flash, show_flash
from ..common.nav import page_path
from ..common.ui import plain, plain_strict, stage_label

SHOWN = "rollup_esc_shown"        # {escalation id: version} of the forms drawn on the last run


def escalation_forms(ctx, waiting: list[dict]) -> None:
    st.subheader(ctx.t("rollup.esc.title"))
    show_flash("rollup")
    _sent_for_one_gone(ctx, {e["id"] for e in waiting})
    st.session_state[SHOWN] = {e["id"]: e["version"] for e in waiting}
    if not waiting:
        st.caption(ctx.t("rollup.esc.none"))
        return
    today = date.today()
    for e in waiting:
        days = (today - date.fromisoformat(e["requested_on"])).days
        label = plain(f"#{e['issue_number']} {e['compound']} · {e['title']}") + " · " + \
            ctx.t("rollup.esc.waiting", days=days)
        with st.expander(label, expanded=len(waiting) <= 3, icon=":material/campaign:"):
            st.caption(plain(ctx.t("rollup.esc.meta", area=e["area_name"], date=e["requested_on"])))
            st.markdown(f"**{ctx.t('rollup.esc.request')}**")
            st.text(e["request"])
            for p in e.get("passes", []):
                st.markdown(":material/arrow_upward: " + plain_strict(ctx.t(
                    "rollup.esc.passed", day=p["passed_on"], from_area=p["from_area"], to_area=p["to_area"],
                    who=p["passed_by_label"] or "—")))
                st.text(p["note"])
            _issue_link(ctx, e["issue_id"])
            if e.get("next"):
                answer, up = st.columns(2, gap="medium")
                with answer:
                    _answer_form(ctx, e)
                with up:
                    _pass_form(ctx, e)
            else:
                _answer_form(ctx, e)


def _sent_for_one_gone(ctx, still_waiting: set[int]) -> None:
    """A form sent for an escalation that left the list meanwhile (a colleague answered it, or passed
    it up, in another tab) is not drawn again: it is still sent, with the version it was drawn with,
    so the officer reads why it was refused instead of seeing the typed text vanish."""
    for escalation_id, version in st.session_state.get(SHOWN, {}).items():
        if escalation_id in still_waiting:
            continue
        answer, passing = f"rollup_answer_{escalation_id}", f"rollup_pass_{escalation_id}"
        if st.session_state.get(f"{answer}_send"):
            typed = st.session_state.get(f"{answer}_text", "")
            ok, _ = attempt(ctx.lang, answer_escalation, ctx.db, ctx.actor, escalation_id, typed,
                            st.session_state.get(f"{answer}_next", "acting"), expected_version=version)
        elif st.session_state.get(f"{passing}_send"):
            typed = st.session_state.get(f"{passing}_note", "")
            ok, _ = attempt(ctx.lang, pass_up, ctx.db, ctx.actor, escalation_id, typed, expected_version=version)
        else:
            continue
        if not ok and typed.strip():
            st.caption(ctx.t("rollup.esc.typed"))               # nothing typed is lost: copy it from here
            st.text(typed)


def _issue_link(ctx, issue_id: int) -> None:
    try:
        st.page_link(page_path("issue"), label=ctx.t("rollup.esc.open_issue"), icon=":material/description:",
                     query_params={"issue": str(issue_id)})
    except StreamlitPageNotFoundError:     # the page runs outside the router (AppTest): no link to give
        st.caption(f"#{issue_id}")


def _answer_form(ctx, escalation: dict) -> None:
    key = f"rollup_answer_{escalation['id']}"
    with st.form(key, clear_on_submit=False):
        st.markdown(f"**{ctx.t('rollup.esc.answer_title')}**")
        answer = st.text_area(ctx.t("rollup.esc.answer"), key=f"{key}_text", max_chars=ANSWER_MAX, height=100)
        next_stage = st.radio(ctx.t("rollup.esc.next"), ["acting", "publicizing"], horizontal=True,
                              format_func=lambda s: stage_label(s, ctx.lang), key=f"{key}_next")
        submitted = st.form_submit_button(ctx.t("rollup.esc.submit"), type="primary", icon=":material/send:",
                                          key=f"{key}_send")
    if submitted:
        ok, _ = attempt(ctx.lang, answer_escalation, ctx.db, ctx.actor, escalation["id"], answer, next_stage,
                        expected_version=escalation["version"])
        if ok:
            flash("rollup", ctx.t("rollup.esc.answered", stage=stage_label(next_stage, ctx.lang)))
            st.rerun()


def _pass_form(ctx, escalation: dict) -> None:
    """转报: to the rung above (the 街道 that contains the 社区), with a note that travels with it."""
    key, above = f"rollup_pass_{escalation['id']}", escalation["next"]["area"]
    with st.form(key):
        st.markdown("**" + plain_strict(ctx.t("rollup.esc.pass_title", area=above)) + "**")
        note = st.text_area(plain(ctx.t("rollup.esc.pass_note", area=above)), key=f"{key}_note", max_chars=NOTE_MAX,
                            height=100)
        submitted = st.form_submit_button(plain(ctx.t("rollup.esc.pass_submit", area=above)),
                                          icon=":material/arrow_upward:", key=f"{key}_send")
    if submitted:
        ok, went_to = attempt(ctx.lang, pass_up, ctx.db, ctx.actor, escalation["id"], note,
                              expected_version=escalation["version"])
        if ok:
            flash("rollup", ctx.t("rollup.esc.passed_done", area=went_to))
            st.rerun()
