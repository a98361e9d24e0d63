"""What the pages that show issues share (工作台, 议题台账, 议题详情, 会议, 我的任务, 区域汇总): links
to a page or to one issue, the labels of coded values, short times.

User-entered text must render literally: a link's text goes through `plain_strict`, which
backslash-escapes Markdown so `[x](javascript:…)` stays text."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from .i18n import translate
from .nav import page_exists, page_path
from .ui import plain_strict


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


def link(page: str, label: str, *, icon: str, query_params: dict | None = None) -> None:
    """A link to the page named `page` in the registry (nav.py). Also works when the page script runs
    on its own (AppTest.from_file of one page): outside the router no page is registered, so the
    label is shown as plain text instead."""
    try:
        st.page_link(page_path(page), label=label, icon=icon, query_params=query_params)
    except StreamlitPageNotFoundError:
        st.caption(label)


def issue_link(issue_id: int, text: str, *, icon: str = ":material/description:") -> None:
    """A link to 议题详情 for one issue; `text` is user data and is escaped."""
    link("issue", plain_strict(text), icon=icon, query_params={"issue": str(issue_id)})


def link_to_issue(ctx, issue_id: int, number: int, title: str | None = None) -> None:
    """A link to 议题详情 (the issue's timeline and actions), for a role whose menu has that page.
    Shown by the compound's issue number (what residents quote), linked by the id."""
    if not page_exists(ctx.actor.role, "issue"):
        return
    text = f"#{number} {title}" if title else ctx.t("meetings.open_issue", id=number)
    issue_link(issue_id, text, icon=":material/open_in_new:")       # escapes the (user) title


# Titles as links inside a grid (st.dataframe): a cell holds "issue?issue=<id>#<title>" and the
# column shows what follows the first "#". The address is relative to the page, so it works under
# any path prefix a proxy adds; the grid opens it in a new tab, signed in by the session cookie.
TITLE_IN_LINK = r"^[^#]*#(.*)$"


def issue_href(issue_id: int, lang: str = "zh") -> str:
    """The 议题详情 address of one issue, in English when the page is (?lang=en)."""
    return f"issue?issue={int(issue_id)}" + ("&lang=en" if lang == "en" else "")


def title_cell(issue_id: int, text: str, lang: str = "zh") -> str:
    """A grid cell that shows `text` (one line) and links to the issue."""
    return f"{issue_href(issue_id, lang)}#{' '.join(str(text).split())}"


def title_column(label: str | None = None, *, width="medium"):
    return st.column_config.LinkColumn(label, display_text=TITLE_IN_LINK, width=width, alignment="left")
