"""Download panels for the documents, shared by the pages that offer one (minutes on 会议, the
register on 议题台账, the 公示 notice and the calendar on 工作台), and the monthly report (概览 and
区域汇总), which two pages offer.

Documents are built only when the user asks ("生成…"): one click runs one service call through
`attempt` (so a refusal shows its Chinese message), the bytes are kept in the session for that
panel, and the download buttons replace the prepare button. Each panel is a fragment, so preparing
a file reruns only the panel, not the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import streamlit as st

from ...exports import report_docx, report_xlsx
from ...model.roles import Action
from ...services.permissions import may
from ...services.reports import recent_months, report_view
from .context import attempt

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


def file_of(stem: str, ext: str, data: bytes | str, label: str | None = None) -> File:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return File(label or LABELS[ext], raw, f"{safe_name(stem)}.{ext}", MIME[ext])


def safe_name(stem: str) -> str:
    # A compound or area name becomes part of a file name: keep it to characters every OS accepts.
    return "".join("_" if ch in '\\/:*?"<>|\n\r\t' else ch for ch in stem).strip() or "document"


def download_panel(ctx, panel: str, signature: tuple, build: Callable[[], list[File]], what: str) -> None:
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
def render_report_downloads(ctx, compound_id: int | None = None, area_id: int | None = None, *,
                            title: bool = True) -> None:
    """The 月报 of a compound or an area for a chosen month, as DOCX and XLSX. Hidden from roles
    without reports (recorder, seat representative); the service checks again."""
    if compound_id is None and area_id is None:
        compound_id = ctx.compound_id
    if not may(ctx.actor, Action.REPORTS, compound_id):
        return
    scope = f"c{compound_id}" if compound_id is not None else f"a{area_id}"
    if title:
        st.subheader(ctx.t("downloads.report.title"))
    # Plain YYYY-MM in both languages: a keyed selectbox keeps showing the label it was first given.
    month = st.selectbox(ctx.t("downloads.report.month"), recent_months(24), key=f"downloads_report_month_{scope}",
                         width=220)

    def build() -> list[File]:
        view = report_view(ctx.db, ctx.actor, compound_id=compound_id, area_id=area_id, month=month)
        return [file_of(view.title, "docx", report_docx(view)), file_of(view.title, "xlsx", report_xlsx(view))]

    download_panel(ctx, f"report_{scope}", (scope, month), build, ctx.t("downloads.report.what"))
