"""议题详情 (?issue=<id>): the whole story of one issue on one page, and the work that can be done on it."""
import streamlit as st

from deliberation.services.issue_view import issue_detail
from deliberation.web import widgets_issue_forms as forms
from deliberation.web.context import attempt, page_context
from deliberation.web.nav import INSIDE
from deliberation.web.widgets_issue_story import header, story
from deliberation.web.widgets_issues import REGISTER_PAGE, link, show_flash

ctx = page_context(roles=INSIDE)
asked = st.query_params.get("issue", "")
if not asked.isdigit():
    st.title(ctx.t("nav.issue"))
    st.info(ctx.t("issue.none_chosen"))
    link(REGISTER_PAGE, ctx.t("issue.to_register"), icon=":material/list_alt:")
    st.stop()

ok, detail = attempt(ctx.lang, issue_detail, ctx.db, ctx.actor, int(asked))
if not ok:
    link(REGISTER_PAGE, ctx.t("issue.to_register"), icon=":material/list_alt:")
    st.stop()
issue = detail["issue"]

forms.begin(issue)
show_flash("issue")
if header(ctx, detail, forms.refresh_key(issue["id"])):
    forms.refresh(issue["id"])
story(ctx, detail)

if forms.may_work(ctx.actor.role):
    st.divider()
    st.subheader(ctx.t("issue.work"), anchor=False)
    st.caption(ctx.t("issue.work_caption"))
    if forms.is_concern(issue):
        forms.concern_forms(ctx, issue)
    else:
        forms.transition_forms(ctx, issue,
                               waiting_for_answer=any(not e["answered_on"] for e in detail["escalations"]))
    forms.edit_form(ctx, issue)
