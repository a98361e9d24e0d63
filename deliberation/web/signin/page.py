"""Sign-in form against the users table; the public board is one click away."""
import streamlit as st

from deliberation.services.users import authenticate
from deliberation.web.common.context import attempt, current_lang, get_db, sign_in
from deliberation.web.common.i18n import translate
from deliberation.web.common.nav import page_path

db = get_db()
lang = current_lang()
t = lambda key, **kw: translate(key, lang, **kw)


def client_address() -> str:
    """Who the sign-in limits count: the browser's address. Behind nginx on the same machine the
    peer is loopback, so the address nginx forwards (X-Real-IP) is used; it is trusted from
    loopback only. The service keeps a hash of it, never the address."""
    peer = st.context.ip_address
    peer = peer if isinstance(peer, str) else ""        # None when unknown (a mock under AppTest)
    if peer in ("127.0.0.1", "::1"):
        forwarded = (st.context.headers.get("X-Real-IP") or "").strip()
        if forwarded:
            return forwarded[:64]
    return peer or "unknown"


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
    ok, user_id = attempt(lang, authenticate, db, username, password, client=client_address())
    if ok:
        sign_in(db, user_id)
        st.rerun()

st.page_link(page_path("public"), label=t("signin.public_link"), icon=":material/campaign:")
st.caption(t("signin.demo_hint"))
