"""Keeping a browser signed in across a reload: the cookie side of services/sessions.py.

A Streamlit script cannot send a Set-Cookie header, so the cookie is written by a one-line script
in the page (st.html with JavaScript, on the run after sign-in) and read back from the websocket's
request (st.context.cookies) when a new Streamlit session starts. It is SameSite=Strict (another
site's page never sends it) and Secure on https. It cannot be HttpOnly from a script; that is one
more reason every user text is escaped before it reaches a page (tests/test_xss.py).

Every run of a signed-in session asks the database whether its token still holds (`ended`), so a
password change, reset, deactivation or sign-out elsewhere ends an open tab on its next click.
"""
from __future__ import annotations

import time

import streamlit as st

from ...services.sessions import (
    MAX,
    TOUCH_EVERY,
    end_session,
    resume_session,
    session_held,
    start_session,
    touch_session,
    why_ended,
)
from .cookies import read_cookie, set_cookie

COOKIE = "xsyz_session"
TOKEN = "_session_token"          # session_state: this browser's token, while signed in
PENDING = "_cookie_pending"       # session_state: the token to write, or "" to clear the cookie
CHECKED = "_cookie_checked"       # session_state: the cookie was looked at once in this session
TOUCHED = "_session_touched"      # session_state: when last_seen_at was last brought up to date
HELD = "_session_held"            # session_state: services.sessions.Held, checked on every run


def remember(db, user_id: int) -> None:
    """After a sign-in with the password: a new token for this browser."""
    token = start_session(db, user_id)
    st.session_state.update({TOKEN: token, PENDING: token, TOUCHED: time.time(), HELD: session_held(db, token)})


def forget(db, token: str | None, *, clear_cookie: bool = True) -> None:
    """At sign-out, after the session state was cleared: the session's token (or the one the
    browser sent) ends in the database, and the cookie is cleared on the next run. A tab whose
    session ended elsewhere leaves the cookie alone: it may already hold the browser's newer
    token (another tab changed the password and signed in again)."""
    end_session(db, token or _cookie())
    st.session_state[CHECKED] = True
    if clear_cookie:
        st.session_state[PENDING] = ""


def ended(db) -> str | None:
    """None while this session's token is still valid, else why it ended (services.sessions).
    A session without a token was signed in by a test harness (AppTest sets user_id directly):
    sign_in and restore always keep one."""
    token = st.session_state.get(TOKEN)
    if token is None:
        return None
    return why_ended(db, token, st.session_state.get(HELD))


def restore(db) -> int | None:
    """A new Streamlit session (a reload, a second tab): the user its cookie still signs in."""
    if st.session_state.get(CHECKED):
        return None
    st.session_state[CHECKED] = True
    token = _cookie()
    user_id = resume_session(db, token)
    if user_id is not None:
        st.session_state.update({TOKEN: token, TOUCHED: time.time(), HELD: session_held(db, token)})
    elif token:
        st.session_state[PENDING] = ""          # an ended token: clear it from the browser
    return user_id


def touch(db) -> None:
    """Keep the stored session alive while the page is in use (one small write per few minutes)."""
    token = st.session_state.get(TOKEN)
    if token and time.time() - st.session_state.get(TOUCHED, 0) > TOUCH_EVERY.total_seconds():
        touch_session(db, token)
        st.session_state[TOUCHED] = time.time()


def write_cookie() -> None:
    """Emit the pending cookie change, once. Call on every run, before the page runs."""
    token = st.session_state.pop(PENDING, None)
    if token is None:
        return
    set_cookie(COOKIE, token, int(MAX.total_seconds()) if token else 0)


def _cookie() -> str | None:
    return read_cookie(COOKIE)
