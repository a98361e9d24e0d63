"""议题详情 (?issue=<id>): the whole story of one issue on one page, and the work that can be done on it."""
import streamlit as st

from deliberation.services.issue_view import issue_detail
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.flash import DONE_ICON, show_flash
from deliberation.web.common.issue_links import link
from deliberation.web.common.query import not_found, query_given, query_id
from deliberation.web.issue import forms
from deliberation.web.issue.escalations import answer_banner
from deliberation.web.issue.finder import issue_finder
from deliberation.web.issue.photos import photos_panel
from deliberation.web.issue.privacy import privacy_tools
from deliberation.web.issue.story import header, story

ctx = page_context("issue")
issue_id = query_id("issue")
if issue_id is None:
    st.title(ctx.t("nav.issue"))
    if query_given("issue"):            # ?issue=² / -1 / 1e3 / empty: a clear message, not a crash
        not_found(ctx.lang, "issue", back="register")
    elif ctx.compound_id is not None:    # from the menu: find the issue here rather than a dead end
        st.caption(ctx.t("issue.none_chosen"))
        issue_finder(ctx)
    else:
        st.info(ctx.t("issue.none_chosen"))
        link("register", ctx.t("issue.to_register"), icon=":material/list_alt:")
    st.stop()
# A link from this page to itself (the finder above) opens the issue but leaves the bare /issue in
# the address bar: name it again, so a reload or a copied address keeps the issue.
st.query_params["issue"] = str(issue_id)

ok, detail = attempt(ctx.lang, issue_detail, ctx.db, ctx.actor, issue_id)
if not ok:
    link("register", ctx.t("issue.to_register"), icon=":material/list_alt:")
    st.stop()
issue = detail["issue"]

forms.begin(issue)
show_flash("issue", icon=DONE_ICON, toast=True)
if header(ctx, detail, forms.refresh_key(issue["id"])):
    forms.refresh(issue["id"])
answer_banner(ctx, detail)
story(ctx, detail)
photos_panel(ctx, issue)
privacy_tools(ctx, detail)

if issue["merged_into_id"]:
    # It lives on in the issue it joined; reopening or editing it here would be lost.
    st.divider()
    st.info(ctx.t("issue.merged_work", number=issue["merged_into_number"]), icon=":material/merge:")
elif forms.may_work(ctx, issue):
    st.divider()
    st.subheader(ctx.t("issue.work"), anchor=False)
    st.caption(ctx.t("issue.work_caption"))
    if forms.is_concern(issue):
        forms.concern_forms(ctx, issue)
    else:
        forms.transition_forms(ctx, issue, waiting_for_answer=any(
            not e["answered_on"] and not e["withdrawn_on"] for e in detail["escalations"]))
        forms.merge_panel(ctx, issue, detail)
    forms.edit_form(ctx, issue)
