"""The deployment's public address (services/deployment.py) as pages show it: the admin's warning
while it is unset or local (on the 工作台 and the 部署设置 page). Its strings (deploy.*) live with
the 部署设置 page, web/deployment/strings.py."""
from __future__ import annotations

import streamlit as st

from ...model.roles import Role
from ...services.deployment import PublicAddress, public_address
from .nav import page_path


def shown_url(url: str) -> str:
    """An address as inline code: copied as is (no link, no invisible marks). set_public_url
    refuses backticks; any that got in another way are dropped rather than break out."""
    return f"`{url.replace('`', '')}`"


def address_problem_text(ctx, address: PublicAddress) -> str | None:
    """The warning in the reader's language, demo mode named first; None when the address is fine."""
    if address.problem is None:
        return None
    text = ctx.t("deploy.warn.unset" if not address.configured else "deploy.warn.local", url=shown_url(address.url))
    return (ctx.t("deploy.warn.demo") if address.demo else "") + text


def admin_address_warning(ctx) -> None:
    """On the admin's 工作台: the warning with a link to the 部署设置 page (admins only: they can fix it)."""
    if ctx.actor.role != Role.ADMIN:
        return
    text = address_problem_text(ctx, public_address(ctx.db))
    if text:
        st.warning(text, icon=":material/qr_code_2:")
        st.page_link(page_path("deployment"), label=ctx.t("deploy.warn.link"), icon=":material/settings:")
