"""Reading a cookie from a Streamlit script. Cookies are set only by the server's HTTP routes
(web/signin/http.py, web/resident/household.py): a script never writes one."""
from __future__ import annotations

import streamlit as st


def read_cookie(name: str) -> str | None:
    """The cookie sent with this session's page request; None if absent or empty."""
    try:
        value = st.context.cookies.get(name)
    except Exception:               # noqa: BLE001 - no request behind this session (AppTest, bare mode)
        return None
    return value if isinstance(value, str) and value else None
