"""Shared bits for the issue pages (工作台, 议题台账, 议题详情): safe text, links, labels, flashes.

User-entered text must render literally: every label or caption that carries it goes through
`plain`, which backslash-escapes Markdown so `[x](javascript:…)` stays text."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from ..model.roles import Role
from .i18n import translate
from .nav import pages_for
from .ui import plain_strict as plain      # the issue pages escape every punctuation mark

ISSUE_PAGE = "deliberation/web/pages/issue.py"
REGISTER_PAGE = "deliberation/web/pages/register.py"
MEETINGS_PAGE = "deliberation/web/pages/meetings.py"

def label(lang: str, group: str, code: str | None) -> str:
    """A coded value (stage, outcome, status…) in the user's language; unknown codes show as is."""
    if not code:
        return ""
    try:
        return translate(f"issue.{group}.{code}", lang)
    except KeyError:
        return str(code)


def short_time(stamp: str | None) -> str:
    """'2024-03-09 19:00:00' -> '2024-03-09 19:00'."""
    return (stamp or "")[:16]


def page_exists(role: Role, file_name: str) -> bool:
    """A page another engineer may not have built yet: link to it only once the router has it."""
    return any(spec.file == file_name for spec in pages_for(role))


def link(page: str, label: str, *, icon: str, query_params: dict | None = None) -> None:
    """st.page_link that also works when the page script runs on its own (AppTest.from_file of one
    page): outside the router no page is registered, so the label is shown as plain text instead."""
    try:
        st.page_link(page, label=label, icon=icon, query_params=query_params)
    except StreamlitPageNotFoundError:
        st.caption(label)


def issue_link(issue_id: int, text: str, *, icon: str = ":material/description:") -> None:
    """A link to 议题详情 for one issue; `text` is user data and is escaped."""
    link(ISSUE_PAGE, plain(text), icon=icon, query_params={"issue": str(issue_id)})


def flash(key: str, message: str) -> None:
    """A success message that survives the st.rerun that refreshes the page after a write."""
    st.session_state[f"flash_{key}"] = message


def show_flash(key: str) -> None:
    message = st.session_state.pop(f"flash_{key}", None)
    if message:
        st.success(message, icon=":material/check_circle:")
        st.toast(message, icon=":material/check_circle:")     # seen even when the page is scrolled down
