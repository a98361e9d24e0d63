"""The form that sets the deployment's public address (services/deployment.py)."""
from __future__ import annotations

import streamlit as st

from ...services.deployment import PublicAddress, set_public_url
from ..common.context import attempt
from ..common.flash import flash
from ..common.public_address import shown_url


def public_url_form(ctx, address: PublicAddress) -> None:
    """Set the address. A refused address stays in the field with the reason above it."""
    with st.form("deploy_url_form"):
        typed = st.text_input(ctx.t("deploy.url.label"), value=address.url if address.configured else "",
                              max_chars=200, key="deploy_url", placeholder="https://yishi.example.cn")
        if st.form_submit_button(ctx.t("deploy.url.save"), type="primary"):
            ok, saved = attempt(ctx.lang, set_public_url, ctx.db, ctx.actor, typed)
            if ok:
                flash("deployment", ctx.t("deploy.url.saved", url=shown_url(saved.url)))
                st.rerun()
