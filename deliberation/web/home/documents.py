"""工作台's documents: the 公示 notice and the compound's poster to post on the board, and the meeting
calendar (.ics). The calendar is public and tiny: its view is read on render and the .ics built on
click by Streamlit's deferred download (no database in that thread)."""
from __future__ import annotations

import streamlit as st

from ...exports import notice_docx, notice_pdf, schedule_ics
from ...model.roles import Action
from ...services.deployment import public_address
from ...services.documents import board_url, notice_view, schedule_view
from ...services.permissions import may
from ...services.posters import compound_poster
from ..common.context import attempt
from ..common.downloads import MIME, download_panel, file_of, safe_name
from ..common.ui import plain, schedule_rule_text


@st.fragment
def render_notice_downloads(ctx) -> None:
    """The 公示 notice for the notice board (A4, with the QR code to the public board). Shown to the
    people who post notices (secretary, recorder, admin); the service checks read access again."""
    if not any(may(ctx.actor, action, ctx.compound_id) for action in (Action.PUBLISH, Action.RUN_MEETING)):
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
    download_panel(ctx, "notice", (ctx.compound_id, view),
                   lambda: [file_of(view.title, "docx", notice_docx(view)),
                            file_of(view.title, "pdf", notice_pdf(view))],
                   ctx.t("downloads.notice.what"))
    render_poster_download(ctx)


def render_poster_download(ctx) -> None:
    """The compound's A4 poster "扫码查看本小区公示栏" (services/posters.py), under the notice: the same
    people post it. Says where its QR code goes, and in red when phones cannot open that."""
    st.markdown(f"**{ctx.t('downloads.poster.title')}**")
    address = public_address(ctx.db)
    st.caption(ctx.t("downloads.poster.hint", url=plain(board_url(ctx.compound_id, address.url))))
    if address.warning:
        st.warning(plain(address.warning), icon=":material/warning:")
    download_panel(ctx, "poster", (ctx.compound_id, address.url, address.warning),
                   lambda: [file_of(ctx.t("downloads.poster.file", compound=ctx.compound().name), "pdf",
                                    compound_poster(ctx.db, ctx.actor, ctx.compound_id))],
                   ctx.t("downloads.poster.what"))


def render_calendar_download(ctx) -> None:
    """The standing meeting rule as an .ics file (next 12 months). Public facts only."""
    if ctx.compound_id is None:
        return
    view = schedule_view(ctx.db, ctx.compound_id)      # one small read; the file is built on click
    st.markdown(f"**{ctx.t('downloads.calendar.title')}**")
    st.caption(ctx.t("downloads.calendar.hint", rule=schedule_rule_text(ctx, ctx.compound().schedule),
                     place=plain(view.place or "—")))
    st.download_button(ctx.t("downloads.calendar.button"), lambda: schedule_ics(view),
                       file_name=f"{safe_name(view.compound)}例会日历.ics", mime=MIME["ics"], on_click="ignore",
                       key="downloads_calendar", icon=":material/event:")
