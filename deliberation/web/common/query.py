"""Ids read from the URL (?issue=, ?compound=, ?meeting=): one parser for every page, and one
"not found" message with a way back.

A URL is typed, shared and tampered with, so its ids are parsed strictly: ASCII digits only
("²".isdigit() is True in Python, yet int("²") fails), positive, and within SQLite's INTEGER
range (a 20-digit id would overflow the driver). Anything else is "not found", never a crash."""
from __future__ import annotations

import re

import streamlit as st

from .i18n import translate
from .issue_links import link

MAX_ID = 2 ** 63 - 1                 # SQLite's largest INTEGER
_ASCII_ID = re.compile(r"[0-9]{1,19}")


def parse_id(raw) -> int | None:
    """'12' -> 12; '²', '-1', '1e3', '', ' 1', '99999999999999999999' -> None."""
    if not isinstance(raw, str) or not _ASCII_ID.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def query_given(name: str) -> bool:
    """The URL names this parameter at all (even empty: `?issue=`)."""
    return name in st.query_params


def query_id(name: str) -> int | None:
    """The id in ?<name>=, or None when it is absent or malformed (see query_given to tell apart)."""
    return parse_id(st.query_params.get(name)) if query_given(name) else None


def not_found(lang: str, what: str, *, back: str | None = None) -> None:
    """找不到该议题/小区/会议 as an error, and a link back to the page named `back` (nav.py)."""
    st.error(translate(f"notfound.{what}", lang))
    if back:
        link(back, translate(f"notfound.back.{back}", lang), icon=":material/arrow_back:")
