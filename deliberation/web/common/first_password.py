"""The first sign-in: an account still on its one-time (or admin-set) password sees this form, and
only this form, on every page (web/common/context.page_context calls it before the page runs).
The services refuse everything else for such an account anyway (services/permissions.may).
Its strings are the account page's (web/account/strings.py: account.first.*)."""
from __future__ import annotations

import streamlit as st

from ...services.actors import Actor
from ...services.users import PASSWORD_MAX, change_password
from . import browser_session
from .i18n import translate
from .nav import pages_for
from .ui import plain

DONE = "_first_password_done"       # session_state: say "set" once on the start page


def first_password_form(db, actor: Actor, lang: str) -> None:
    """The change form; after a good change, the account's start page. Stops the page run."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    st.title(t("account.first.title"))
    st.info(t("account.first.why", name=plain(actor.label)), icon=":material/key:")
    with st.form("first_password_form"):
        old = st.text_input(t("account.first.old"), type="password", max_chars=PASSWORD_MAX, key="first_old")
        new = st.text_input(t("account.password.new"), type="password", max_chars=PASSWORD_MAX, key="first_new")
        repeat = st.text_input(t("account.password.repeat"), type="password", max_chars=PASSWORD_MAX,
                               key="first_repeat")
        submitted = st.form_submit_button(t("account.first.submit"), type="primary")
    if submitted:
        # Imported here: context.py imports this module, and attempt lives in context.py.
        from .context import attempt
        if new != repeat:
            st.error(t("account.password.mismatch"))
        else:
            ok, _ = attempt(lang, change_password, db, actor, old, new)
            if ok:
                browser_session.remember(db, actor.user_id)    # the change ended every remembered sign-in
                st.session_state[DONE] = True
                st.switch_page(pages_for(actor.role)[0].script)
    st.stop()


def say_done_once(lang: str) -> None:
    """On the first page after the change: a toast that the new password is set."""
    if st.session_state.pop(DONE, None):
        st.toast(translate("account.first.done", lang), icon=":material/check_circle:")
