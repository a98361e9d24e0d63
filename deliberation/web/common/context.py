"""What every page starts with: the database, the signed-in actor, the language, the compound."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

import streamlit as st

from ...model.errors import DomainError, NotFound
from ...services.actors import Actor, load_actor
from ...services.compounds import get_compound, list_compounds
from ...services.database import DiskFull, database_path, fresh, open_database
from . import browser_session, first_password
from .error_messages import message_in
from .i18n import translate
from .maintenance import stop_for_disk_full
from .nav import page_spec
from .query import query_given, query_id
from .sign_in_form import show_sign_in_form
from .ui import plain

log = logging.getLogger("deliberation.web")
IDLE_SECONDS = 30 * 60


@st.cache_resource
def _migrated(path: str) -> bool:
    open_database(path, migrate=True).conn.close()       # once per server process
    return True


def get_db():
    """A connection for this script run: opened per run, never shared across sessions. On a full
    disk a read-only snapshot (writes refused with 磁盘空间不足), or, when not even that can be
    read, the maintenance message instead of the page."""
    path = str(database_path())
    try:
        _migrated(path)
        if "_db" not in st.session_state or st.session_state.get("_db_path") != path:
            st.session_state["_db"] = open_database(path, migrate=False)
            st.session_state["_db_path"] = path
        return fresh(st.session_state["_db"])
    except DiskFull as exc:
        stop_for_disk_full(exc)


def current_lang() -> str:
    """?lang=en switches; the choice is kept in the session and put back into the URL on every page."""
    asked = st.query_params.get("lang")
    if asked in ("zh", "en"):
        st.session_state["lang"] = asked
    lang = st.session_state.get("lang", "zh")
    if lang == "en" and st.query_params.get("lang") != "en":
        st.query_params["lang"] = "en"
    return lang


def sign_out(db, reason: str | None = None, *, ended_elsewhere: bool = False) -> None:
    """Everything of the session goes; its token ends too, unless it already ended elsewhere.
    (退出登录 itself is a form posting to /signout, which also clears the cookie: web/signin/http.py.)"""
    token = None if ended_elsewhere else st.session_state.get(browser_session.TOKEN)
    lang = st.session_state.get("lang", "zh")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state["lang"] = lang
    browser_session.forget(db, token)
    if reason:
        st.session_state["signout_reason"] = reason


def signed_in_actor(db) -> Actor | None:
    """The role is re-read from the database on every run; idle sessions expire. A new session
    (a reload, a second tab) is signed in again by the browser's still-valid cookie. Every run
    checks that the session's token still holds: a password change, reset, deactivation,
    sign-out in another tab or the 12-hour cap ends the tab here, with the reason on sign-in."""
    user_id = st.session_state.get("user_id")
    if user_id is None:
        user_id = browser_session.restore(db)
        if user_id is None:
            return None
        st.session_state.update(user_id=user_id, last_seen=time.time())
    if time.time() - st.session_state.get("last_seen", 0) > IDLE_SECONDS:
        sign_out(db, "signin.session_expired")
        return None
    reason = browser_session.ended(db)
    if reason is not None:
        sign_out(db, f"signin.ended.{reason}", ended_elsewhere=True)
        return None
    try:
        actor = load_actor(db, user_id)
    except NotFound:
        sign_out(db)
        return None
    st.session_state["last_seen"] = time.time()
    browser_session.touch(db)
    return actor


@dataclass
class PageContext:
    db: object
    actor: Actor
    lang: str
    compound_id: int | None

    def t(self, key: str, **values) -> str:
        return translate(key, self.lang, **values)

    def compound(self):
        return get_compound(self.db, self.compound_id) if self.compound_id else None


def pick_compound(db, actor: Actor) -> int | None:
    """The compound the user works in now: from ?compound=, else the last choice, else the first."""
    mine = list_compounds(db, actor)
    if not mine:
        return None
    ids = [c["id"] for c in mine]
    asked = query_id("compound")
    if asked in ids:
        st.session_state["compound_id"] = asked
    elif query_given("compound"):
        # Malformed, unknown or not this user's: say so (without telling which) and show their own.
        st.warning(translate("notfound.compound_default", current_lang()))
        st.query_params.pop("compound", None)           # said once; the compound picker is the way on
    chosen = st.session_state.get("compound_id")
    if chosen not in ids:
        chosen = ids[0]
    if len(ids) > 1:
        names = {c["id"]: c["name"] for c in mine}
        chosen = st.sidebar.selectbox(translate("compound.pick", current_lang()), ids, index=ids.index(chosen),
                                      format_func=names.get, key="compound_picker")
    st.session_state["compound_id"] = chosen
    return chosen


def page_context(page: str, *, needs_compound: bool = False) -> PageContext:
    """Call first on every signed-in page, with its name in the registry (nav.py). Stops the page
    for a visitor who is not signed in, or whose role the registry does not list for it, and —
    for a page about one compound (`needs_compound`) — for an account linked to none yet."""
    db = get_db()
    lang = current_lang()
    actor = signed_in_actor(db)
    if actor is None:                       # a staff page opened signed out: sign in here, come back here
        st.warning(translate("signin.required", lang))
        show_sign_in_form(db, lang)
        st.stop()
    if actor.must_change_password:          # a one-time password: this form on every page, nothing else
        first_password.first_password_form(db, actor, lang)
    if actor.role not in page_spec(page).roles:
        st.error(translate("page.forbidden", lang))
        st.stop()
    ctx = PageContext(db=db, actor=actor, lang=lang, compound_id=pick_compound(db, actor))
    if needs_compound and ctx.compound_id is None:
        st.info(ctx.t("compound.none"))
        st.stop()
    return ctx


def attempt(ctx_lang: str, fn: Callable, *args, **kwargs):
    """Run one service call for a submitted form. A DomainError shows its message; anything else
    is logged and shown as a short apology. Returns (ok, result)."""
    try:
        return True, fn(*args, **kwargs)
    except DomainError as exc:
        st.error(plain(message_in(exc.message, ctx_lang)))    # may quote what the user typed; English on request
    except Exception:                       # noqa: BLE001 - a bug: log it, never show a traceback
        log.exception("unexpected error in %s", getattr(fn, "__name__", fn))
        st.error(translate("error.unexpected", ctx_lang))
    return False, None
