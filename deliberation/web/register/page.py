"""议题台账: every issue of the compound, filtered and paginated in SQL; put issues on the next
agenda; register a new one."""
import streamlit as st

from deliberation.model.roles import Action
from deliberation.services.permissions import may
from deliberation.services.register import list_issues
from deliberation.services.roster import list_categories, list_seats
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.flash import DONE_ICON, show_flash
from deliberation.web.common.ui import lazy_expander, pager, plain_strict
from deliberation.web.register.documents import render_register_downloads, render_register_import
from deliberation.web.register.widgets import (filter_form, issue_table, just_raised, new_issue_form, selected,
                                               stage_counts, toolbar)

PAGE_SIZE = 50

ctx = page_context("register", needs_compound=True)
compound = ctx.compound()
st.title(ctx.t("register.title", compound=plain_strict(compound.name)))
show_flash("register", icon=DONE_ICON, toast=True)
just_raised(ctx)

categories = list_categories(ctx.db, ctx.compound_id, include_retired=True)
seats = list_seats(ctx.db, ctx.compound_id, include_retired=True)
if may(ctx.actor, Action.RAISE_ISSUE, ctx.compound_id) and (
        box := lazy_expander(ctx.t("register.new"), "register_new_open", icon=":material/add_circle:")):
    with box:
        new_issue_form(ctx, ctx.compound_id, [c for c in categories if not c["retired_at"]],
                       [s for s in seats if not s["retired_at"]])

issue_filter = filter_form(ctx, categories, seats)


def fetch():
    return attempt(ctx.lang, list_issues, ctx.db, ctx.actor, ctx.compound_id, issue_filter,
                   page=st.session_state.get("register_page", 1), page_size=PAGE_SIZE)


ok, found = fetch()
if not ok:
    st.stop()
counts = st.container()            # filled last: the toolbar may move issues between stages
if toolbar(ctx, ctx.compound_id, selected(found.rows)):
    ok, found = fetch()
    if not ok:
        st.stop()
with counts:
    stage_counts(ctx, found.by_stage, found.total)
issue_table(ctx, found.rows)
if pager("register_page", found.total, PAGE_SIZE, ctx.lang) != found.page:
    st.rerun()

# Documents: the register under this filter as XLSX/CSV (+ import template), and importing a file.
if box := lazy_expander(ctx.t("downloads.register.section"), "register_documents_open",
                        icon=":material/import_export:"):
    export_col, import_col = box.columns(2, gap="large")
    with export_col:
        render_register_downloads(ctx, issue_filter, total=found.total)
    with import_col:
        render_register_import(ctx)
