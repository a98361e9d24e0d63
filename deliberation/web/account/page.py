"""我的账号: who I am and what I may touch, change my password, sign out."""
import streamlit as st

from deliberation.model.defaults import DEFAULT_SEATS
from deliberation.services.compounds import list_areas, list_compounds
from deliberation.services.users import change_password
from deliberation.web.common import browser_session
from deliberation.web.common.context import attempt, page_context, sign_out
from deliberation.web.common.ui import plain_strict

ctx = page_context("account")
actor = ctx.actor
st.title(ctx.t("account.title"))

with st.container(border=True):
    st.markdown(ctx.t("account.who", name=plain_strict(actor.label), role=ctx.t(f"users.role.{actor.role.value}")))
    if actor.is_admin:
        st.caption(ctx.t("account.scope.all"))
    elif actor.area_id:
        area = next((a["name"] for a in list_areas(ctx.db) if a["id"] == actor.area_id), "")
        st.caption(ctx.t("account.scope.area", name=plain_strict(area)))
    else:
        names = "、".join(c["name"] for c in list_compounds(ctx.db, actor)) or "—"
        st.caption(ctx.t("account.scope.compounds", names=plain_strict(names)))
    if actor.seat_code:
        st.caption(ctx.t("account.scope.seat", seat=dict(DEFAULT_SEATS).get(actor.seat_code, actor.seat_code)))

st.subheader(ctx.t("account.password"))
with st.form("account_password_form"):
    old = st.text_input(ctx.t("account.password.old"), type="password", key="account_old_password")
    new = st.text_input(ctx.t("account.password.new"), type="password", key="account_new_password")
    repeat = st.text_input(ctx.t("account.password.repeat"), type="password", key="account_repeat_password")
    submitted = st.form_submit_button(ctx.t("account.password.submit"), type="primary")
if submitted:
    if new != repeat:
        st.error(ctx.t("account.password.mismatch"))
    else:
        ok, _ = attempt(ctx.lang, change_password, ctx.db, actor, old, new)
        if ok:
            # The change ended every session of the account, this one too: sign in again with it.
            sign_out(ctx.db, "signin.password_changed_here", ended_elsewhere=True)
            st.rerun()

st.subheader(ctx.t("account.session"))
st.caption(ctx.t("account.session.note"))
browser_session.sign_out_button(ctx.db, ctx.lang)
