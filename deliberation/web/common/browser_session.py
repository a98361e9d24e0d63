"""Keeping a browser signed in across a reload: the Streamlit side of services/sessions.py.

The session cookie is set and cleared only by the server's HTTP routes (web/signin/http.py:
POST /signin, POST /signout): HttpOnly, so no script in the page can read it, SameSite=Strict and
Secure on https. A new Streamlit session (a reload, a second tab) reads it from the websocket's
request (st.context.cookies) and is signed in while its token is valid. No script writes a cookie.

Every run of a signed-in session asks the database whether its token still holds (`ended`), so a
password change, reset, deactivation or sign-out elsewhere ends an open tab on its next click.
"""
from __future__ import annotations

import time

import streamlit as st

from ...services.sessions import TOUCH_EVERY, end_session, resume_session, session_held, touch_session, why_ended
from .cookies import read_cookie
from .sign_in_form import show_sign_out_button

COOKIE = "xsyz_session"           # set and cleared only by web/signin/http.py
TOKEN = "_session_token"          # session_state: this browser's token, while signed in
CHECKED = "_cookie_checked"       # session_state: the cookie was looked at once in this session
TOUCHED = "_session_touched"      # session_state: when last_seen_at was last brought up to date
HELD = "_session_held"            # session_state: services.sessions.Held, checked on every run


def forget(db, token: str | None) -> None:
    """At sign-out from within a page (idle too long, password changed here): the session's token
    ends in the database. The cookie stays until the next sign-in replaces it: it holds an ended
    token, which signs nobody in."""
    end_session(db, token)
    st.session_state[CHECKED] = True


def ended(db) -> str | None:
    """None while this session's token is still valid, else why it ended (services.sessions).
    A session without a token was signed in by a test harness (AppTest sets user_id directly):
    restore always keeps one."""
    token = st.session_state.get(TOKEN)
    if token is None:
        return None
    return why_ended(db, token, st.session_state.get(HELD))


def restore(db) -> int | None:
    """A new Streamlit session (after signing in, a reload, a second tab): the user its cookie signs in."""
    if st.session_state.get(CHECKED):
        return None
    st.session_state[CHECKED] = True
    token = read_cookie(COOKIE)
    user_id = resume_session(db, token)
    if user_id is not None:
        st.session_state.update({TOKEN: token, TOUCHED: time.time(), HELD: session_held(db, token)})
    return user_id


def touch(db) -> None:
    """Keep the stored session alive while the page is in use (one small write per few minutes)."""
    token = st.session_state.get(TOKEN)
    if token and time.time() - st.session_state.get(TOUCHED, 0) > TOUCH_EVERY.total_seconds():
        touch_session(db, token)
        st.session_state[TOUCHED] = time.time()



def sign_out_button(db, lang: str) -> None:
    """退出登录: a form posting to /signout, which ends the session and clears the HttpOnly cookie."""
    show_sign_out_button(db, st.session_state.get(TOKEN), lang)
