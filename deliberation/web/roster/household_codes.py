"""议事码 panel of 协商成员 (the secretary only): print slips for a list of units, re-issue or stop one
household's code, and see which units hold a live code. The plain codes exist only in the PDF
offered right after it is made (kept in this session until the page is left); they are never
shown again."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...services.households import code_slips, household_codes, revoke_code
from ..common.context import attempt
from ..common.flash import flash

_SLIPS = "roster_household_slips"          # session_state: (count, pdf bytes) just made


def render_household_codes(ctx) -> None:
    st.caption(ctx.t("roster.codes.intro"))
    made = st.session_state.get(_SLIPS)
    if made and made[0] == ctx.compound_id:
        _, count, pdf = made
        st.warning(ctx.t("roster.codes.once", n=count), icon=":material/key:")
        st.download_button(ctx.t("roster.codes.download", n=count), pdf, file_name="household-codes.pdf",
                           mime="application/pdf", icon=":material/download:", key="roster_codes_download")
    if st.session_state.pop("roster_codes_clear", False):
        st.session_state["roster_codes_units"] = ""          # before the widget exists, so the browser clears too
    with st.form("roster_codes_new"):
        units = st.text_area(ctx.t("roster.codes.units"), height=90, key="roster_codes_units",
                             placeholder="1栋101,1栋102\n2栋301-318")
        if st.form_submit_button(ctx.t("roster.codes.make"), icon=":material/print:"):
            _make(ctx, units, reissue=False)
    codes = household_codes(ctx.db, ctx.actor, ctx.compound_id)
    live = [c["unit"] for c in codes if not c["revoked_at"]]
    if not codes:
        st.info(ctx.t("roster.codes.none"))
        return
    st.dataframe(pd.DataFrame([{
        ctx.t("roster.codes.unit"): c["unit"], ctx.t("roster.codes.created"): c["created_at"][:10],
        ctx.t("roster.codes.state"): ctx.t("roster.codes.revoked", day=c["revoked_at"][:10]) if c["revoked_at"]
        else ctx.t("roster.codes.live")} for c in codes]), hide_index=True, width="stretch")
    if not live:
        return
    with st.form("roster_codes_change"):
        unit = st.selectbox(ctx.t("roster.codes.pick"), live, index=None, key="roster_codes_unit",
                            placeholder=ctx.t("roster.pick"))
        left, right = st.columns(2)
        reissue = left.form_submit_button(ctx.t("roster.codes.reissue"), icon=":material/autorenew:")
        stop = right.form_submit_button(ctx.t("roster.codes.revoke"), icon=":material/block:")
    if (reissue or stop) and unit is None:
        st.warning(ctx.t("roster.pick_first"))
    elif reissue:
        _make(ctx, unit, reissue=True)
    elif stop:
        ok, _ = attempt(ctx.lang, revoke_code, ctx.db, ctx.actor, ctx.compound_id, unit)
        if ok:
            flash("roster", ctx.t("roster.codes.revoked_done"))
            st.rerun()


def _make(ctx, units: str, *, reissue: bool) -> None:
    ok, result = attempt(ctx.lang, code_slips, ctx.db, ctx.actor, ctx.compound_id, units, reissue=reissue)
    if ok:
        st.session_state[_SLIPS] = (ctx.compound_id, *result)
        st.session_state["roster_codes_clear"] = True
        st.rerun()
