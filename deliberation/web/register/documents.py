"""The register's documents: exporting it under the page's filter (XLSX, CSV, the import template),
and importing a 台账 file: upload → check (dry run, row-by-row report) → confirm, with a progress
bar. Nothing is written unless every row passes."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from ...exports.register import register_csv, register_template_xlsx, register_xlsx
from ...imports.register_file import MAX_UPLOAD_BYTES
from ...model.roles import Action
from ...services.documents import register_rows, register_vocabulary
from ...services.permissions import may
from ...services.register import IssueFilter
from ...services.register_import import import_register
from ..common.context import attempt
from ..common.downloads import File, download_panel, file_of
from ..common.error_messages import report_in
from ..common.flash import flash, show_flash
from ..common.ui import plain

_CHECKED = "downloads_import_checked"
_RESET = "downloads_import_round"      # bumped after an import, so the uploader starts empty
FLASH = "register_import"


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
        return [file_of(stem, "xlsx", register_xlsx(found)), file_of(stem, "csv", register_csv(found)),
                file_of(f"{ctx.compound().name}议题台账导入模板", "xlsx", register_template_xlsx(categories, seats),
                        label=ctx.t("downloads.register.template"))]

    download_panel(ctx, "register", (compound_id, issue_filter), build, ctx.t("downloads.register.what"))


def render_register_import(ctx) -> None:
    """Only for the roles that may import (the service checks again)."""
    if not all(may(ctx.actor, action, ctx.compound_id) for action in (Action.RAISE_ISSUE, Action.EDIT_ISSUE)):
        return
    st.markdown(f"**{ctx.t('downloads.import.title')}**")
    st.caption(ctx.t("downloads.import.hint"))
    show_flash(FLASH)
    round_ = st.session_state.get(_RESET, 0)
    with st.form(f"downloads_import_form_{round_}"):
        upload = st.file_uploader(ctx.t("downloads.import.file"), type=["xlsx", "csv"],
                                  max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
                                  key=f"downloads_import_file_{round_}")
        checked = st.form_submit_button(ctx.t("downloads.import.check"), icon=":material/rule:")
    if checked:
        if upload is None:
            st.warning(ctx.t("downloads.import.no_file"))
            st.session_state.pop(_CHECKED, None)
        else:
            ok, result = attempt(ctx.lang, import_register, ctx.db, ctx.actor, ctx.compound_id, upload.name,
                                 upload.getvalue(), dry_run=True)
            st.session_state[_CHECKED] = {"file_id": upload.file_id, "compound_id": ctx.compound_id,
                                          "ok": ok and result.ok, "report": result.report if ok else None,
                                          "rows": len(result.check.rows) if ok else 0}
    held = st.session_state.get(_CHECKED)
    if not held or upload is None or held["file_id"] != upload.file_id or held["compound_id"] != ctx.compound_id:
        return
    if held["report"] is None:          # refused outright: attempt has shown why
        return
    report = report_in(held["report"], ctx.lang)
    if not held["ok"]:
        st.error(ctx.t("downloads.import.problems"))
        st.code(report, language=None, wrap_lines=True)   # literal text: values from the file
        return
    if held["rows"] == 0:                    # every row is already in the register (a re-import)
        st.info(ctx.t("downloads.import.nothing_new"))
        st.code(report, language=None, wrap_lines=True)
        return
    st.success(ctx.t("downloads.import.ready", n=held["rows"], compound=plain(ctx.compound().name)))
    if report.strip():                       # e.g. rows skipped as already present
        st.code(report, language=None, wrap_lines=True)
    if st.button(ctx.t("downloads.import.confirm", n=held["rows"]), key="downloads_import_confirm", type="primary",
                 icon=":material/upload:"):
        _import(ctx, upload)


def _import(ctx, upload) -> None:
    bar = st.progress(0.0, text=ctx.t("downloads.import.progress", done=0, total=0))

    def progress(done: int, total: int) -> None:
        if done % max(1, total // 50) == 0 or done == total:     # ~50 updates whatever the size
            bar.progress(done / total, text=ctx.t("downloads.import.progress", done=done, total=total))

    ok, result = attempt(ctx.lang, import_register, ctx.db, ctx.actor, ctx.compound_id, upload.name,
                         upload.getvalue(), progress=progress)
    if not ok:
        bar.empty()
        return
    if not result.ok:                          # the file changed since the check, or the roster did
        bar.empty()
        st.session_state[_CHECKED] = {**st.session_state[_CHECKED], "ok": False, "report": result.report}
        st.rerun()
    st.session_state.pop(_CHECKED, None)
    st.session_state[_RESET] = st.session_state.get(_RESET, 0) + 1
    flash(FLASH, ctx.t("downloads.import.done", n=result.written))
    st.rerun()
