"""Sign-in form against the users table; the public board is one click away."""
import streamlit as st

from deliberation.services.users import authenticate
from deliberation.web.common.context import attempt, current_lang, get_db, sign_in
from deliberation.web.common.i18n import translate
from deliberation.web.common.nav import page_path

db = get_db()
lang = current_lang()
t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731

st.title(t("app.title"))
st.caption(t("app.subtitle"))
reason = st.session_state.pop("signout_reason", None)
if reason:
    st.info(t(reason))

with st.form("signin_form"):
    st.subheader(t("signin.title"))
    username = st.text_input(t("signin.username"), key="signin_username")
    password = st.text_input(t("signin.password"), type="password", key="signin_password")
    submitted = st.form_submit_button(t("signin.submit"), type="primary")
if submitted:
    ok, user_id = attempt(lang, authenticate, db, username, password)
    if ok:
        sign_in(db, user_id)
        st.rerun()

st.page_link(page_path("public"), label=t("signin.public_link"), icon=":material/campaign:")
st.caption(t("signin.demo_hint"))
