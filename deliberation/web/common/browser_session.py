"""Keeping a browser signed in across a reload: the cookie side of services/sessions.py.

A Streamlit script cannot send a Set-Cookie header, so the cookie is written by a one-line script
in the page (st.html with JavaScript, on the run after sign-in) and read back from the websocket's
request (st.context.cookies) when a new Streamlit session starts. It is SameSite=Strict (another
site's page never sends it) and Secure on https. It cannot be HttpOnly from a script; that is one
more reason every user text is escaped before it reaches a page (tests/test_xss.py).
"""
from __future__ import annotations

import time

import streamlit as st

from ...services.sessions import (
    MAX,
    TOUCH_EVERY,
    end_session,
    resume_session,
    start_session,
    touch_session,
)
from .cookies import read_cookie, set_cookie

COOKIE = "xsyz_session"
TOKEN = "_session_token"          # session_state: this browser's token, while signed in
PENDING = "_cookie_pending"       # session_state: the token to write, or "" to clear the cookie
CHECKED = "_cookie_checked"       # session_state: the cookie was looked at once in this session
TOUCHED = "_session_touched"      # session_state: when last_seen_at was last brought up to date


def remember(db, user_id: int) -> None:
    """After a sign-in with the password: a new token for this browser."""
    token = start_session(db, user_id)
    st.session_state.update({TOKEN: token, PENDING: token, TOUCHED: time.time()})


def forget(db, token: str | None) -> None:
    """At sign-out, after the session state was cleared: the session's token (or the one the
    browser sent) ends in the database, and the cookie is cleared on the next run."""
    end_session(db, token or _cookie())
    st.session_state.update({PENDING: "", CHECKED: True})


def restore(db) -> int | None:
    """A new Streamlit session (a reload, a second tab): the user its cookie still signs in."""
    if st.session_state.get(CHECKED):
        return None
    st.session_state[CHECKED] = True
    token = _cookie()
    user_id = resume_session(db, token)
    if user_id is not None:
        st.session_state.update({TOKEN: token, TOUCHED: time.time()})
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
