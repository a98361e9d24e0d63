"""Router: page config, sign-in gate, navigation by role. No logic lives here."""
import streamlit as st

from deliberation.web.common import browser_session
from deliberation.web.common.context import current_lang, get_db, sign_out, signed_in_actor
from deliberation.web.common.i18n import translate
from deliberation.web.common.nav import pages_for
from deliberation.web.common.ui import plain

st.set_page_config(page_title="小区协商议事", page_icon=":material/forum:", layout="wide")

db = get_db()
lang = current_lang()
actor = signed_in_actor(db)
specs = pages_for(actor.role if actor else None)

sections: dict[str, list] = {}
for spec in specs:
    sections.setdefault(translate(spec.section, lang), []).append(
        st.Page(spec.script, title=translate(spec.title_key, lang), url_path=spec.url_path,
                icon=spec.icon, default=spec is specs[0]))

with st.sidebar:
    browser_session.write_cookie()          # after sign-in / sign-out: remember or forget this browser
    st.caption(translate("app.title", lang))
    if st.button(translate("lang.toggle", lang), key="lang_toggle"):
        st.session_state["lang"] = "en" if lang == "zh" else "zh"
        st.query_params["lang"] = st.session_state["lang"]
        st.rerun()
    if actor is not None:
        # The display name is typed by people: an image or link in it must stay text (st.caption is Markdown).
        st.caption(translate("signed_in_as", lang, name=plain(actor.label), role=actor.role.label))
        if st.button(translate("signout", lang), key="signout"):
            sign_out(db)
            st.rerun()

st.navigation(sections).run()
