"""Small shared widgets: labels, badges, pagination. Plain Streamlit elements only (no raw HTML)."""
from __future__ import annotations

import html
import re

import streamlit as st

from .i18n import translate


# The marks that can start Markdown/HTML/LaTeX syntax: links and images need [ ], autolinks and
# HTML need < >, emphasis * _ ~, code `, headings #, tables |, math $, Streamlit directives { }.
# Plain punctuation such as ( ) . : - / stays as typed, so messages read naturally everywhere and a
# widget label built from a seat name like 社区居委会/工作站 keeps its accessible name.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>#|~$!{}])")


# Streamlit's Markdown (GFM) turns bare `http://…`, `www.…` and `a@b.c` into links even when every
# mark around them is backslash-escaped (the autolink is found in the text after escapes are undone).
# An invisible word joiner (U+2060) inside the trigger (http·://, www·., a@·b) keeps the text as typed.
_AUTOLINK_TRIGGER = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")
WORD_JOINER = "\u2060"


def no_autolink(text: str) -> str:
    return _AUTOLINK_TRIGGER.sub(lambda m: m.group(1) + WORD_JOINER, text)


def chart_text(text) -> str:
    """User text as a plotly label, tick or hover value: plotly renders <a href>, <b>, <br> in them,
    and decodes entities back, so escaping shows the name exactly as typed."""
    return html.escape("" if text is None else str(text), quote=False)


def plain(text) -> str:
    """User text inside anything Streamlit renders as Markdown (labels, captions, alerts, st.error)
    shows literally: `[x](javascript:…)` stays text, `<img …>` stays text, `**` stays two stars, a
    bare URL is no link. Line breaks are kept."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", no_autolink("" if text is None else str(text)))
    return escaped.replace("\n", "  \n")


# Every ASCII punctuation mark that means anything to Markdown, HTML or Streamlit's directives
# (:red[…], :material/…:, $…$), including ( ) . : - + = that only matter next to others; only
# , ; / ? % stay as typed.
_ANY_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~:$&=\"'^@])")


def plain_strict(text) -> str:
    """User text with every markup-capable punctuation mark escaped, on one line (titles, cards and
    links of the issue and public pages, the account card). Renders exactly as typed; a line break
    becomes a space, so a title never spills out of its heading."""
    return _ANY_MARKUP.sub(r"\\\1", no_autolink("" if text is None else str(text))).replace("\n", " ")


def stage_label(stage: str, lang: str) -> str:
    return translate(f"stage.{stage}", lang)


def level_label(level: str | None, lang: str) -> str:
    return translate(f"level.{level}", lang) if level else ""


def schedule_rule_text(ctx, rule) -> str:
    """The standing "3 fixed" rule in the reader's language, e.g. 每月第二个周二 19:00."""
    return ctx.t("meetings.rule_fmt", nth=ctx.t(f"meetings.nth.{rule.nth}"),
                 weekday=ctx.t(f"meetings.weekday.{rule.weekday}"), at=f"{rule.at:%H:%M}")


def demo_badge(is_demo, lang: str) -> str:
    """A 示例 marker for demo records, as text so it can sit in titles and tables."""
    return f" 〔{translate('demo.badge', lang)}〕" if is_demo else ""


def pager(key: str, total: int, page_size: int, lang: str) -> int:
    """Previous/next buttons; returns the 1-based page to show."""
    pages = max(1, -(-total // page_size))
    page = min(st.session_state.get(key, 1), pages)
    left, middle, right = st.columns([1, 3, 1])
    if left.button(translate("common.prev", lang), key=f"{key}_prev", disabled=page <= 1):
        page -= 1
    if right.button(translate("common.next", lang), key=f"{key}_next", disabled=page >= pages):
        page += 1
    st.session_state[key] = page
    middle.caption(translate("common.page", lang, page=page, pages=pages, total=total))
    return page


def lazy_expander(label: str, key: str, icon: str | None = None):
    """An expander whose body the page builds only while it is open: a collapsed form or upload
    panel then costs neither the server nor the browser anything. Returns the container, or None
    when collapsed. Opening it reruns the page; its open state lives under `key`."""
    box = st.expander(label, key=key, icon=icon, on_change="rerun")
    return box if box.open else None
