"""区域汇总's poster download: one PDF with a page per live compound under the area picked, to print
and hand to each compound's branch (services/posters.area_posters checks the officer's scope)."""
from __future__ import annotations

import streamlit as st

from ...services.deployment import public_address
from ...services.posters import area_posters
from ..common.downloads import download_panel, file_of
from ..common.ui import plain


@st.fragment
def render_area_posters(ctx, area_id: int, area_name: str) -> None:
    st.subheader(ctx.t("rollup.posters.title"))
    address = public_address(ctx.db)
    st.caption(ctx.t("rollup.posters.hint", url=plain(address.url)))
    if address.warning:
        st.warning(plain(address.warning), icon=":material/warning:")
    download_panel(ctx, f"posters_a{area_id}", (area_id, address.url, address.warning),
                   lambda: [file_of(ctx.t("rollup.posters.file", area=area_name), "pdf",
                                    area_posters(ctx.db, ctx.actor, area_id))],
                   ctx.t("rollup.posters.what"))
