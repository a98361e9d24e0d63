"""The message that says a write succeeded. The page reruns after a write (to re-read everything),
so the message is kept in the session under the page's name and shown once, on the next run."""
from __future__ import annotations

import streamlit as st

DONE_ICON = ":material/check_circle:"


def flash(page: str, message: str) -> None:
    """Keep `message` for the next run of `page` (call just before st.rerun)."""
    st.session_state[f"flash_{page}"] = message


def show_flash(page: str, *, icon: str | None = None, toast: bool = False) -> bool:
    """The kept message of `page` as st.success, once; with `toast` also as a toast (seen even when
    the page is scrolled down). Returns whether there was one."""
    message = st.session_state.pop(f"flash_{page}", None)
    if not message:
        return False
    st.success(message, icon=icon)
    if toast:
        st.toast(message, icon=icon)
    return True
