"""Reading and writing a cookie from a Streamlit script. A script cannot send Set-Cookie, so a
write is a one-line script in the page; every value is JSON-encoded with "<" escaped, so nothing in
it can close the script element."""
from __future__ import annotations

import json

import streamlit as st


def set_cookie(name: str, value: str, max_age_seconds: int) -> None:
    """SameSite=Strict, Secure on https; `max_age_seconds=0` deletes it."""
    text = json.dumps(f"{name}={value}; Path=/; Max-Age={max_age_seconds}; SameSite=Strict").replace("<", "\\u003c")
    st.html(f'<script>document.cookie = {text} + (location.protocol === "https:" ? "; Secure" : "");</script>',
            unsafe_allow_javascript=True)


def read_cookie(name: str) -> str | None:
    """The cookie sent with this session's page request; None if absent or empty."""
    try:
        value = st.context.cookies.get(name)
    except Exception:               # noqa: BLE001 - no request behind this session (AppTest, bare mode)
        return None
    return value if isinstance(value, str) and value else None
