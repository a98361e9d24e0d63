"""Importing a 台账 file on the register page: upload → check (dry run, row-by-row report) → confirm,
with a progress bar. Nothing is written unless every row passes."""
from __future__ import annotations

import streamlit as st

from ..imports.register_file import MAX_UPLOAD_BYTES
from ..model.roles import Action, role_may
from ..services.register_import import import_register
from .context import attempt

_CHECKED = "downloads_import_checked"
_RESET = "downloads_import_round"      # bumped after an import, so the uploader starts empty
_FLASH = "downloads_import_flash"


def render_register_import(ctx) -> None:
    """Only for the roles that may import (the service checks again)."""
    if not (role_may(ctx.actor.role, Action.RAISE_ISSUE) and role_may(ctx.actor.role, Action.EDIT_ISSUE)):
        return
    st.markdown(f"**{ctx.t('downloads.import.title')}**")
    st.caption(ctx.t("downloads.import.hint"))
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash)
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
    if not held["ok"]:
        st.error(ctx.t("downloads.import.problems"))
        st.code(held["report"], language=None, wrap_lines=True)   # literal text: values from the file
        return
    st.success(ctx.t("downloads.import.ready", n=held["rows"], compound=ctx.compound().name))
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
    st.session_state[_FLASH] = ctx.t("downloads.import.done", n=result.written)
    st.rerun()
