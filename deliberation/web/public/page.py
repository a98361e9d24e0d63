"""居民公示栏: one compound's public board, no sign-in. /public?compound=<id> opens it directly
(e.g. from a QR code posted in the compound). Built only on the public read model."""
import streamlit as st

from deliberation.model.lifecycle import OPEN_STAGES, Stage
from deliberation.services import public as board
from deliberation.services.compounds import get_compound
from deliberation.web.common.context import current_lang, get_db
from deliberation.web.common.flash import show_flash
from deliberation.web.common.i18n import translate
from deliberation.web.common.ui import demo_badge, pager, plain_strict, schedule_rule_text, stage_label
from deliberation.web.public.board import (PAGE_SIZE, Board, choose_compound, escalation_card, feedback_form,
                                           issue_card, meeting_card, resident_session_key)
from deliberation.web.public.concern import concern_panel
from deliberation.web.public.household import household_panel

db = get_db()
lang = current_lang()
heading = st.empty()
compound_id = choose_compound(db, lang)
if compound_id is None:
    heading.title(translate("public.title", lang))
    st.info(translate("public.pick_hint", lang))
    st.caption(translate("public.intro", lang))
    st.stop()

b = Board(db=db, lang=lang, compound=get_compound(db, compound_id))
t = b.t
session_key = resident_session_key()
heading.title(t("public.heading", name=plain_strict(b.compound.name)) + demo_badge(b.compound.demo, lang))
st.caption(t("public.where", area=plain_strict(b.compound.area_path), schedule=schedule_rule_text(b, b.compound.schedule),
             place=plain_strict(b.compound.place or "—")))
st.caption(t("public.intro"))
st.link_button(t("public.light_link"), f"/board/{compound_id}", icon=":material/smartphone:")   # web/resident
show_flash("public")

counts = board.public_stage_counts(db, compound_id)
escalations = board.public_escalation_counts(db, compound_id)
# A wrapping row: five figures across on a desktop, two or three per line on a phone (QR code visitors).
figures = st.container(horizontal=True, gap="medium")
figures.metric(t("public.metric.open"), sum(counts.get(s.value, 0) for s in OPEN_STAGES if s != Stage.PUBLICIZING),
               width=100)
figures.metric(t("public.metric.publicizing"), counts.get("publicizing", 0), width=100)
figures.metric(t("public.metric.resolved"), counts.get("resolved", 0), width=100)
figures.metric(t("public.metric.meetings"), board.public_meeting_count(db, compound_id), width=100)
figures.metric(t("public.metric.escalations"), f"{escalations['answered']}/{escalations['total']}", width=100)

household_panel(b)          # 议事码: one household, one voice (remembered in this browser)
issues_tab, publicity_tab, meetings_tab, escalations_tab, raise_tab = st.tabs(
    [t("public.tab.issues"), t("public.tab.publicity"), t("public.tab.meetings"), t("public.tab.escalations"),
     t("public.tab.raise")], key="public_tab", on_change="rerun")


def paged(key: str, total: int, show) -> None:
    """The list first, the pager under it; `show(page)` renders one page."""
    area = st.container()
    page = pager(key, total, PAGE_SIZE, lang)
    with area:
        show(page)


if issues_tab.open:
    with issues_tab:
        stages = [""] + [s.value for s in Stage]
        with st.form("public_issue_filter"):
            left, right = st.columns([1, 2])
            stage = left.selectbox(t("public.filter.stage"), stages, key="public_filter_stage", format_func=lambda s: (
                t("public.stage_count", stage=stage_label(s, lang), n=counts.get(s, 0)) if s
                else t("public.filter.all")))
            text = right.text_input(t("public.filter.text"), max_chars=50, key="public_filter_text")
            if st.form_submit_button(t("public.filter.submit")):
                st.session_state["public_issue_page"] = 1
        _, total = board.public_issues(db, compound_id, stage=stage or None, text=text, page_size=1)
        if not total:
            st.info(t("public.none"))

        def show_issues(page: int) -> None:
            found, _ = board.public_issues(db, compound_id, stage=stage or None, text=text, page=page,
                                           page_size=PAGE_SIZE)
            for issue in found:
                issue_card(b, issue)

        paged("public_issue_page", total, show_issues)

if publicity_tab.open:
    with publicity_tab:
        posted, _ = board.public_issues(db, compound_id, stage="publicizing", page_size=100)
        if not posted:
            st.info(t("public.publicity.none"))
        else:
            st.caption(t("public.publicity.intro"))
        for issue in posted:
            with issue_card(b, issue, history=False):
                feedback_form(b, issue, session_key)

if meetings_tab.open:
    with meetings_tab:
        total = board.public_meeting_count(db, compound_id)
        if not total:
            st.info(t("public.meetings.none"))
        paged("public_meeting_page", total, lambda page: [meeting_card(b, m) for m in board.public_meetings(
            db, compound_id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)])

if escalations_tab.open:
    with escalations_tab:
        if not escalations["total"]:
            st.info(t("public.escalations.none"))
        paged("public_escalation_page", escalations["total"], lambda page: [
            escalation_card(b, e) for e in board.public_escalations(
                db, compound_id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)])

if raise_tab.open:
    with raise_tab:
        concern_panel(b, session_key)
