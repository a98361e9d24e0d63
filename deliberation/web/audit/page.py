"""审计日志: who did what, and every refused attempt. Secretaries see their compounds only; the
service enforces it (account events carry no compound and are for admins)."""
import pandas as pd
import streamlit as st

from deliberation.services.audit import AuditFilter, audit_events, audit_kinds
from deliberation.services.compounds import list_compounds
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.field_changes import changes_text
from deliberation.web.common.i18n import CATALOG
from deliberation.web.common.ui import pager, plain, stage_label

PAGE_SIZE = 50

ctx = page_context("audit")
st.title(ctx.t("audit.title"))
st.caption(ctx.t("audit.intro") + " " + ctx.t("audit.scope.admin" if ctx.actor.is_admin else "audit.scope.mine"))


def kind_label(kind: str) -> str:
    return ctx.t(f"audit.kind.{kind}") if f"audit.kind.{kind}" in CATALOG else kind


ok, kinds = attempt(ctx.lang, audit_kinds, ctx.db, ctx.actor)
if not ok:
    st.stop()
compounds = {c["id"]: c["name"] for c in list_compounds(ctx.db, ctx.actor)}
with st.form("audit_filter"):
    top = st.columns([2, 1])
    chosen_kinds = top[0].multiselect(ctx.t("audit.filter.kinds"), kinds, format_func=kind_label, key="audit_kinds",
                                       placeholder=ctx.t("audit.filter.all_kinds"))
    compound_id = top[1].selectbox(ctx.t("audit.filter.compound"), [None, *compounds], key="audit_compound",
                                   format_func=lambda c: compounds[c] if c else ctx.t("audit.filter.all"))
    row = st.columns([1, 1, 2])
    date_from = row[0].date_input(ctx.t("audit.filter.from"), value=None,
                                  key="audit_from", format="YYYY-MM-DD")
    date_to = row[1].date_input(ctx.t("audit.filter.to"), value=None, key="audit_to", format="YYYY-MM-DD")
    refusals_only = row[2].checkbox(ctx.t("audit.filter.refusals"), key="audit_refusals")
    if st.form_submit_button(ctx.t("audit.filter.submit")):
        st.session_state["audit_page"] = 1

wanted = AuditFilter(kinds=tuple(chosen_kinds), compound_id=compound_id, date_from=date_from, date_to=date_to,
                     refusals_only=refusals_only)
ok, found = attempt(ctx.lang, audit_events, ctx.db, ctx.actor, wanted,
                    page=st.session_state.get("audit_page", 1), page_size=PAGE_SIZE)
if not ok:
    st.stop()
if not found.total:
    st.info(ctx.t("audit.none"))
else:
    st.dataframe(pd.DataFrame([{
        ctx.t("audit.col.time"): e["created_at"], ctx.t("audit.col.kind"): kind_label(e["kind"]),
        ctx.t("audit.col.actor"): e["actor_label"], ctx.t("audit.col.compound"): e["compound"] or "",
        ctx.t("audit.col.issue"): f"#{e['issue_number']}" if e["issue_number"] else "",
        ctx.t("audit.col.changes"): changes_text(ctx, e["changes"], sep="；"),
        ctx.t("audit.col.stage"): (f"{stage_label(e['from_stage'], ctx.lang)} → " if e["from_stage"] else "")
        + (stage_label(e["to_stage"], ctx.lang) if e["to_stage"] else ""),
        ctx.t("audit.col.note"): e["note"],
    } for e in found.rows]), hide_index=True, width="stretch",
        column_config={ctx.t("audit.col.changes"): st.column_config.TextColumn(width="large")})
    # A cell shows one line: each change in full below, as text (values are user text).
    changed = [e for e in found.rows if e["changes"]]
    if changed:
        st.markdown(f"#### {ctx.t('audit.changes.title')}")
        for e in changed:
            with st.container(border=True):
                st.caption(plain(ctx.t("audit.changes.head", time=e["created_at"], actor=e["actor_label"],
                                       kind=kind_label(e["kind"]), compound=e["compound"] or "",
                                       issue=f"#{e['issue_number']}" if e["issue_number"] else "")))
                st.text(changes_text(ctx, e["changes"]))
if pager("audit_page", found.total, PAGE_SIZE, ctx.lang) != found.page:
    st.rerun()
