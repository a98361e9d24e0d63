"""The documents of one meeting: before it, the papers for the room (议程 and 签到表, DOCX and
PDF); after it, the minutes as DOCX, PDF and Markdown."""
from __future__ import annotations

import streamlit as st

from ...exports import minutes_docx, minutes_markdown, minutes_pdf
from ...exports.agenda import agenda_docx, agenda_pdf
from ...exports.sign_in_sheet import sign_in_docx, sign_in_pdf
from ...services.documents import minutes_state, minutes_view
from ...services.meeting_papers import agenda_view, sign_in_view
from ..common.context import attempt
from ..common.downloads import File, download_panel, file_of


@st.fragment
def render_paper_downloads(ctx, meeting_id: int, signature: tuple) -> None:
    """议程 and 签到表 as DOCX and PDF. `signature` changes when what they print does (the
    meeting's time, place, agenda), so a prepared file is never an older version."""
    st.markdown(f"**{ctx.t('downloads.papers.title')}**")
    st.caption(ctx.t("downloads.papers.hint"))

    def build() -> list[File]:
        agenda, sheet = agenda_view(ctx.db, ctx.actor, meeting_id), sign_in_view(ctx.db, ctx.actor, meeting_id)
        a, s = ctx.t("downloads.papers.agenda"), ctx.t("downloads.papers.sign_in")
        return [file_of(agenda.title, "docx", agenda_docx(agenda), f"{a} Word"),
                file_of(agenda.title, "pdf", agenda_pdf(agenda), f"{a} PDF"),
                file_of(sheet.title, "docx", sign_in_docx(sheet), f"{s} Word"),
                file_of(sheet.title, "pdf", sign_in_pdf(sheet), f"{s} PDF")]

    download_panel(ctx, f"papers_{meeting_id}", signature, build, ctx.t("downloads.papers.what"))


@st.fragment
def render_minutes_downloads(ctx, meeting_id: int) -> None:
    """Minutes as DOCX, PDF and Markdown; internal version, and the public one once published."""
    ok, state = attempt(ctx.lang, minutes_state, ctx.db, ctx.actor, meeting_id)
    if not ok:
        return
    st.markdown(f"**{ctx.t('downloads.minutes.title')}**")
    options = ["internal", "public"] if state["published"] else ["internal"]
    version = st.radio(ctx.t("downloads.minutes.version"), options, horizontal=True,
                       format_func=lambda v: ctx.t(f"downloads.minutes.{v}"),
                       key=f"downloads_minutes_version_{meeting_id}")
    if not state["published"]:
        st.caption(ctx.t("downloads.minutes.public_later"))
    public = version == "public"

    def build() -> list[File]:
        view = minutes_view(ctx.db, ctx.actor, meeting_id, public=public)
        stem = f"{view.compound}第{view.number}次会议纪要" + ("(公开版)" if public else "")
        return [file_of(stem, "docx", minutes_docx(view)), file_of(stem, "pdf", minutes_pdf(view)),
                file_of(stem, "md", minutes_markdown(view))]

    download_panel(ctx, f"minutes_{meeting_id}", (meeting_id, state["version"], public), build,
                   ctx.t("downloads.minutes.what"))
