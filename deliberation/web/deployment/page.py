"""部署设置 (admin only): the deployment's public address, which every QR code, printed link and
.ics uses (services/deployment.py)."""
import streamlit as st

from deliberation.services.deployment import public_address
from deliberation.web.common.context import page_context
from deliberation.web.common.flash import show_flash
from deliberation.web.common.public_address import address_problem_text, shown_url
from deliberation.web.deployment.widgets import public_url_form

ctx = page_context("deployment")
st.title(ctx.t("deploy.title"))
show_flash("deployment")

address = public_address(ctx.db)
st.subheader(ctx.t("deploy.url.title"))
problem = address_problem_text(ctx, address)
if problem:
    st.warning(problem, icon=":material/qr_code_2:")
else:
    st.info(ctx.t("deploy.url.current", url=shown_url(address.url)), icon=":material/qr_code_2:")
st.caption(ctx.t("deploy.url.explain"))
public_url_form(ctx, address)
