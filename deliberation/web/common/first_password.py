"""The first sign-in: an account still on its one-time (or admin-set) password sees this form, and
only this form, on every page (web/common/context.page_context calls it before the page runs).
The services refuse everything else for such an account anyway (services/permissions.may).
Its strings are the account page's (web/account/strings.py: account.first.*)."""
from __future__ import annotations

import streamlit as st

from ...services.actors import Actor
from ...services.users import PASSWORD_MAX, change_password
from .i18n import translate
from .ui import plain


def first_password_form(db, actor: Actor, lang: str) -> None:
    """The change form; after a good change, the sign-in page (the change ended this session too,
    services/sessions.py), where the new password is typed once more. Stops the page run."""
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
                # The change ended every session of the account, this one too: sign in with the new one.
                from .context import sign_out
                sign_out(db, "signin.first_password_set", ended_elsewhere=True)
                st.rerun()
    st.stop()
