"""Sign-in page of the Streamlit app: a plain HTML form posting to /signin (web/signin/http.py),
where the server checks the password and sets the HttpOnly session cookie; the public board one
click away."""
import streamlit as st

from deliberation.web.common.context import current_lang, get_db
from deliberation.web.common.i18n import translate
from deliberation.web.common.nav import page_path
from deliberation.web.common.sign_in_form import show_sign_in_form

db = get_db()
lang = current_lang()
t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731

st.title(t("app.title"))
st.caption(t("app.subtitle"))
show_sign_in_form(db, lang)
st.page_link(page_path("public"), label=t("signin.public_link"), icon=":material/campaign:")
st.caption(t("signin.demo_hint"))
