"""批量开通(工作簿): download the template, upload the filled-in workbook, check it (a dry run with
the row-by-row report), then apply it all at once with a progress bar. The new accounts' one-time
passwords are shown once, with the printable account sheet. The service checks every right again."""
import streamlit as st

from deliberation.services.onboarding import may_onboard
from deliberation.web.common.context import page_context
from deliberation.web.onboarding.widgets import checked_report, new_accounts, template_download, upload_form

ctx = page_context("onboarding")
st.title(ctx.t("onboarding.title"))
if not may_onboard(ctx.db, ctx.actor):
    st.info(ctx.t("onboarding.forbidden"))
    st.stop()
if new_accounts(ctx):               # the passwords of the last run, until the user has saved them
    st.stop()
st.caption(ctx.t("onboarding.intro"))
template_download(ctx)
upload = upload_form(ctx)
checked_report(ctx, upload)
