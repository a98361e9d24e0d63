"""The minutes of one meeting as DOCX, PDF and Markdown (the after-meeting panel)."""
from __future__ import annotations

import streamlit as st

from ...exports import minutes_docx, minutes_markdown, minutes_pdf
from ...services.documents import minutes_state, minutes_view
from ..common.context import attempt
from ..common.downloads import File, download_panel, file_of


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
