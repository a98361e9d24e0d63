"""Router: page config, sign-in gate, navigation by role. No logic lives here."""
import streamlit as st

from deliberation.web.common import browser_session
from deliberation.web.common.context import current_lang, get_db, signed_in_actor
from deliberation.web.common.i18n import translate
from deliberation.web.common.nav import PAGES, pages_for
from deliberation.web.common.signed_in import signed_in_caption

# An emoji, not a :material/ icon: that one is fetched from Google's font server (blocked in China,
# and refused by the Content-Security-Policy of deploy/nginx).
st.set_page_config(page_title="小区协商议事", page_icon="🏘️", layout="wide")

db = get_db()
lang = current_lang()
actor = signed_in_actor(db)
specs = pages_for(actor.role if actor else None)


def page(spec):
    return st.Page(spec.script, title=translate(spec.title_key, lang), url_path=spec.url_path, icon=spec.icon,
                   default=spec is specs[0])


sections: dict[str, list] = {}
for spec in specs:
    sections.setdefault(translate(spec.section, lang), []).append(page(spec))
if actor is None:
    # Signed out, a staff page's address still opens: its page shows the sign-in form and comes
    # back there after (context.page_context). The menu lists only the sign-in page and the board.
    sections[""] = [page(spec) for spec in PAGES]

with st.sidebar:
    st.caption(translate("app.title", lang))
    if st.button(translate("lang.toggle", lang), key="lang_toggle"):
        st.session_state["lang"] = "en" if lang == "zh" else "zh"
        st.query_params["lang"] = st.session_state["lang"]
        st.rerun()
    if actor is not None:
        st.caption(signed_in_caption(db, actor, lang))    # names typed by people stay text (signed_in.py)
        browser_session.sign_out_button(db, lang)

navigation = st.navigation(sections, position="sidebar" if actor else "hidden")
if actor is None:
    with st.sidebar:
        for spec in specs:
            st.page_link(spec.script, label=translate(spec.title_key, lang), icon=spec.icon)
navigation.run()
