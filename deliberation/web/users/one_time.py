"""A one-time password on the admin's user page: shown once, with its printable account sheet.

The password lives only in this browser session, from the click that made it until the admin
presses 完成 (or makes another): the database keeps its hash, so it cannot be shown again —
a lost one is replaced with 重置为一次性密码.
"""
from __future__ import annotations

import streamlit as st

from ...exports.account_sheet import AccountSheetRow, account_sheet_pdf
from ...services.accounts import sign_in_url
from ..common.context import PageContext
from ..common.downloads import safe_name
from ..common.ui import plain

SHOWN = "users_one_time"         # session_state: the AccountSheetRow on display
FRESH = "users_one_time_fresh"   # session_state: just made: empty the new-account names once
NEW_FORM_NAMES = ("users_new_username", "users_new_name")


def keep(ctx: PageContext, *, username: str, display_name: str, role: str, scope: str, password: str) -> None:
    """Remember the new password for the next run of the page (called just before st.rerun)."""
    st.session_state[SHOWN] = AccountSheetRow(
        display_name=display_name.strip(), username=username.strip(), role_label=ctx.t(f"users.role.{role}"),
        scope=scope, one_time_password=password, sign_in_url=sign_in_url(ctx.db))
    st.session_state[FRESH] = True


def scope_text(ctx: PageContext, compound_ids, area_id, compounds: dict, areas: dict) -> str:
    if area_id:
        return areas.get(area_id, "")
    names = "、".join(compounds.get(int(c), "") for c in compound_ids if int(c) in compounds)
    return names or ctx.t("users.scope.all")


def show_once(ctx: PageContext) -> None:
    """The password and the sheet download, until 完成."""
    if st.session_state.pop(FRESH, None):
        for key in NEW_FORM_NAMES:      # before the form exists: the next account starts blank
            st.session_state[key] = ""
    row: AccountSheetRow | None = st.session_state.get(SHOWN)
    if row is None:
        return
    with st.container(border=True, key="users_one_time_box"):
        st.success(ctx.t("users.onetime.title", username=plain(row.username)), icon=":material/key:")
        st.code(row.one_time_password, language=None)
        st.caption(ctx.t("users.onetime.note"))
        left, right = st.columns(2)
        left.download_button(ctx.t("users.onetime.sheet"), account_sheet_pdf([row]),
                             file_name=f"账号通知单_{safe_name(row.username)}.pdf", mime="application/pdf",
                             icon=":material/print:", on_click="ignore", key="users_one_time_sheet")
        if right.button(ctx.t("users.onetime.done"), key="users_one_time_done"):
            st.session_state.pop(SHOWN, None)
            st.rerun()
