"""Download buttons for the documents: minutes, register (+ import), 公示 notice, monthly report,
meeting calendar.

Documents are built only when the user asks ("生成…"): one click runs one service call through
`attempt` (so a refusal shows its Chinese message), the bytes are kept in the session for that
panel, and the download buttons replace the prepare button. Each panel is a fragment, so preparing
a file reruns only the panel, not the page. The calendar is public and tiny: its view is read on
render and the .ics built on click by Streamlit's deferred download (no database in that thread).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import streamlit as st

from ..exports import (minutes_docx, minutes_markdown, minutes_pdf, notice_docx, notice_pdf, report_docx,
                       report_xlsx, schedule_ics)
from ..exports.register import register_csv, register_template_xlsx, register_xlsx
from ..model.roles import Action, role_may
from ..services.documents import (minutes_state, minutes_view, notice_view, register_rows, register_vocabulary,
                                  schedule_view)
from ..services.register import IssueFilter
from ..services.reports import recent_months, report_view
from .context import attempt
from .ui import plain

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {"docx": DOCX, "xlsx": XLSX, "pdf": "application/pdf", "md": "text/markdown",
        "csv": "text/csv", "ics": "text/calendar"}
LABELS = {"docx": "Word", "pdf": "PDF", "md": "Markdown", "xlsx": "Excel", "csv": "CSV"}


@dataclass(frozen=True)
class File:
    label: str
    data: bytes
    name: str
    mime: str


def _file(stem: str, ext: str, data: bytes | str, label: str | None = None) -> File:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return File(label or LABELS[ext], raw, f"{_safe_name(stem)}.{ext}", MIME[ext])


def _safe_name(stem: str) -> str:
    # A compound or area name becomes part of a file name: keep it to characters every OS accepts.
    return "".join("_" if ch in '\\/:*?"<>|\n\r\t' else ch for ch in stem).strip() or "document"


def _panel(ctx, panel: str, signature: tuple, build: Callable[[], list[File]], what: str) -> None:
    """The prepare button, or — once prepared for this `signature` — one download button per file."""
    state = f"downloads_{panel}_files"
    held = st.session_state.get(state)
    files = held["files"] if held and held["signature"] == signature else None
    slot = st.empty()
    if files is None and slot.button(ctx.t("downloads.prepare", what=what), key=f"downloads_{panel}_prepare",
                                     icon=":material/description:"):
        ok, built = attempt(ctx.lang, build)
        if ok:
            files = built
            st.session_state[state] = {"signature": signature, "files": built, "at": datetime.now()}
    if files is None:
        return
    with slot.container():
        # A horizontal container wraps the buttons onto a new line in a narrow column.
        with st.container(horizontal=True, key=f"downloads_{panel}_buttons"):
            for f in files:
                st.download_button(f.label, f.data, file_name=f.name, mime=f.mime, on_click="ignore",
                                   key=f"downloads_{panel}_{f.name.rsplit('.', 1)[-1]}_{f.label}",
                                   icon=":material/download:")
        with st.container(horizontal=True, vertical_alignment="center", key=f"downloads_{panel}_note"):
            st.caption(ctx.t("downloads.prepared_at", at=f"{st.session_state[state]['at']:%H:%M}"))
            if st.button(ctx.t("downloads.again"), key=f"downloads_{panel}_again", type="tertiary",
                         icon=":material/refresh:"):
                del st.session_state[state]
                st.rerun(scope="fragment")


@st.fragment
def render_minutes_downloads(ctx, meeting_id: int) -> None:
    """Minutes as DOCX, PDF and Markdown; internal version, and the public one once published."""
    ok, state = attempt(ctx.lang, minutes_state, ctx.db, ctx.actor, meeting_id)
    if not ok:
        return
    st.markdown(f"**{ctx.t('downloads.minutes.title')}**")
    options = ["internal", "public"] if state["published"] else ["internal"]
    version = st.radio(ctx.t("downloads.minutes.version"), options, horizontal=True,
                       format_func=lambda v: ctx.t(f"downloads.minutes.{v}"), key=f"downloads_minutes_version_{meeting_id}")
    if not state["published"]:
        st.caption(ctx.t("downloads.minutes.public_later"))
    public = version == "public"

    def build() -> list[File]:
        view = minutes_view(ctx.db, ctx.actor, meeting_id, public=public)
        stem = f"{view.compound}第{view.number}次会议纪要" + ("(公开版)" if public else "")
        return [_file(stem, "docx", minutes_docx(view)), _file(stem, "pdf", minutes_pdf(view)),
                _file(stem, "md", minutes_markdown(view))]

    _panel(ctx, f"minutes_{meeting_id}", (meeting_id, state["version"], public), build,
           ctx.t("downloads.minutes.what"))


@st.fragment
def render_register_downloads(ctx, issue_filter: IssueFilter = IssueFilter(), total: int | None = None) -> None:
    """The register under the page's current filter as XLSX and CSV, plus the import template."""
    st.markdown(f"**{ctx.t('downloads.register.title')}**")
    if total is not None:
        st.caption(ctx.t("downloads.register.hint", n=total))
    compound_id = ctx.compound_id

    def build() -> list[File]:
        found = register_rows(ctx.db, ctx.actor, compound_id, issue_filter)
        categories, seats = register_vocabulary(ctx.db, ctx.actor, compound_id)
        stem = f"{ctx.compound().name}议题台账_{datetime.now():%Y%m%d}"
        return [_file(stem, "xlsx", register_xlsx(found)), _file(stem, "csv", register_csv(found)),
                _file(f"{ctx.compound().name}议题台账导入模板", "xlsx", register_template_xlsx(categories, seats),
                      label=ctx.t("downloads.register.template"))]

    _panel(ctx, "register", (compound_id, issue_filter), build, ctx.t("downloads.register.what"))


@st.fragment
def render_notice_downloads(ctx) -> None:
    """The 公示 notice for the notice board (A4, with the QR code to the public board). Shown to the
    people who post notices (secretary, recorder, admin); the service checks read access again."""
    if not (role_may(ctx.actor.role, Action.PUBLISH) or role_may(ctx.actor.role, Action.RUN_MEETING)):
        return
    st.markdown(f"**{ctx.t('downloads.notice.title')}**")
    ok, view = attempt(ctx.lang, notice_view, ctx.db, ctx.actor, ctx.compound_id)
    if not ok:
        return
    if view.items:
        st.caption(ctx.t("downloads.notice.count", n=len(view.items), opens=view.window_opens,
                         closes=view.window_closes))
    else:
        st.caption(ctx.t("downloads.notice.empty"))
    _panel(ctx, "notice", (ctx.compound_id, view),
           lambda: [_file(view.title, "docx", notice_docx(view)), _file(view.title, "pdf", notice_pdf(view))],
           ctx.t("downloads.notice.what"))


@st.fragment
def render_report_downloads(ctx, compound_id: int | None = None, area_id: int | None = None, *,
                            title: bool = True) -> None:
    """The 月报 of a compound or an area for a chosen month, as DOCX and XLSX. Hidden from roles
    without reports (recorder, seat representative); the service checks again."""
    if not role_may(ctx.actor.role, Action.REPORTS):
        return
    if compound_id is None and area_id is None:
        compound_id = ctx.compound_id
    scope = f"c{compound_id}" if compound_id is not None else f"a{area_id}"
    if title:
        st.subheader(ctx.t("downloads.report.title"))
    # Plain YYYY-MM in both languages: a keyed selectbox keeps showing the label it was first given.
    month = st.selectbox(ctx.t("downloads.report.month"), recent_months(24), key=f"downloads_report_month_{scope}",
                         width=220)

    def build() -> list[File]:
        view = report_view(ctx.db, ctx.actor, compound_id=compound_id, area_id=area_id, month=month)
        return [_file(view.title, "docx", report_docx(view)), _file(view.title, "xlsx", report_xlsx(view))]

    _panel(ctx, f"report_{scope}", (scope, month), build, ctx.t("downloads.report.what"))


def render_calendar_download(ctx) -> None:
    """The standing meeting rule as an .ics file (next 12 months). Public facts only."""
    if ctx.compound_id is None:
        return
    view = schedule_view(ctx.db, ctx.compound_id)      # one small read; the file is built on click
    st.markdown(f"**{ctx.t('downloads.calendar.title')}**")
    st.caption(ctx.t("downloads.calendar.hint", rule=view.rule_label, place=plain(view.place or "—")))
    st.download_button(ctx.t("downloads.calendar.button"), lambda: schedule_ics(view),
                       file_name=f"{_safe_name(view.compound)}例会日历.ics", mime=MIME["ics"], on_click="ignore",
                       key="downloads_calendar", icon=":material/event:")
