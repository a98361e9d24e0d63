"""The onboarding page's pieces: the template, the upload form, the checked report, the apply
button with its progress bar, and the one-time passwords shown once."""
from __future__ import annotations

import streamlit as st

from ...exports.account_sheet import AccountSheetRow, account_sheet_pdf
from ...exports.onboarding_template import onboarding_template
from ...imports.register_file import MAX_UPLOAD_BYTES
from ...services.accounts import sign_in_url
from ...services.onboarding import OnboardingReport, onboard
from ..common.context import PageContext, attempt
from ..common.downloads import XLSX

CHECKED = "onboarding_checked"       # {"file_id", "report"} of the last dry run
ROUND = "onboarding_round"           # bumped after applying, so the uploader starts empty
SHOWN = "onboarding_new_accounts"    # the AccountSheetRows of the last run, until 清除


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    return onboarding_template()      # the same blank workbook for everyone


def template_download(ctx: PageContext) -> None:
    st.download_button(ctx.t("onboarding.template"), _template(), file_name=f"{ctx.t('onboarding.template_file')}.xlsx",
                       mime=XLSX, icon=":material/download:", on_click="ignore", key="onboarding_template")


def upload_form(ctx: PageContext):
    round_ = st.session_state.get(ROUND, 0)
    with st.form(f"onboarding_form_{round_}"):
        upload = st.file_uploader(ctx.t("onboarding.file"), type=["xlsx"],
                                  max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024), key=f"onboarding_file_{round_}")
        checked = st.form_submit_button(ctx.t("onboarding.check"), icon=":material/rule:")
    if checked:
        st.session_state.pop(CHECKED, None)
        if upload is None:
            st.warning(ctx.t("onboarding.no_file"))
        else:
            ok, report = attempt(ctx.lang, onboard, ctx.db, ctx.actor, upload.getvalue(), dry_run=True)
            if ok:
                st.session_state[CHECKED] = {"file_id": upload.file_id, "report": report}
    return upload


def _counts(ctx: PageContext, report: OnboardingReport) -> None:
    st.dataframe([{ctx.t("onboarding.col.sheet"): sheet, ctx.t("onboarding.col.created"): c["created"],
                   ctx.t("onboarding.col.updated"): c["updated"], ctx.t("onboarding.col.unchanged"): c["unchanged"]}
                  for sheet, c in report.counts.items()], hide_index=True)


def checked_report(ctx: PageContext, upload) -> None:
    held = st.session_state.get(CHECKED)
    if not held or upload is None or held["file_id"] != upload.file_id:
        return
    report: OnboardingReport = held["report"]
    if not report.ok:
        st.error(ctx.t("onboarding.problems"))
        st.code("\n".join(str(p) for p in report.problems), language=None, wrap_lines=True)  # literal text
        return
    if not any(c["created"] or c["updated"] for c in report.counts.values()):
        st.info(ctx.t("onboarding.nothing"))
        return
    st.success(ctx.t("onboarding.ready"))
    _counts(ctx, report)
    if st.button(ctx.t("onboarding.apply"), type="primary", icon=":material/rocket_launch:", key="onboarding_apply"):
        _apply(ctx, upload)


def _apply(ctx: PageContext, upload) -> None:
    bar = st.progress(0.0, text=ctx.t("onboarding.progress"))
    ok, report = attempt(ctx.lang, onboard, ctx.db, ctx.actor, upload.getvalue(), dry_run=False,
                         progress=lambda f: bar.progress(min(max(f, 0.0), 1.0), text=ctx.t("onboarding.progress")))
    if not ok:
        bar.empty()
        return
    if not report.ok:                    # the database changed since the check: show the new report
        bar.empty()
        st.session_state[CHECKED] = {"file_id": upload.file_id, "report": report}
        st.rerun()
    url = sign_in_url(ctx.db)
    st.session_state[SHOWN] = {"report": report, "rows": [
        AccountSheetRow(a.display_name, a.username, a.role_label, a.scope, a.one_time_password, url)
        for a in report.accounts]}
    st.session_state.pop(CHECKED, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.rerun()


def new_accounts(ctx: PageContext) -> bool:
    """What the last run did, and its new accounts' passwords with the sheet, until 清除."""
    shown = st.session_state.get(SHOWN)
    if shown is None:
        return False
    st.success(ctx.t("onboarding.done"), icon=":material/check_circle:")
    _counts(ctx, shown["report"])
    rows: list[AccountSheetRow] = shown["rows"]
    if rows:
        st.warning(ctx.t("onboarding.accounts", n=len(rows)), icon=":material/key:")
        if "pdf" not in shown:             # built once: a district's sheet is hundreds of pages
            shown["pdf"] = account_sheet_pdf(rows)
        st.download_button(ctx.t("onboarding.sheet"), shown["pdf"], file_name="账号通知单.pdf",
                           mime="application/pdf", icon=":material/print:", on_click="ignore",
                           key="onboarding_sheet", type="primary")
        table = [{ctx.t("onboarding.col.name"): r.display_name, ctx.t("onboarding.col.username"): r.username,
                  ctx.t("onboarding.col.role"): r.role_label, ctx.t("onboarding.col.scope"): r.scope,
                  ctx.t("onboarding.col.password"): r.one_time_password} for r in rows]
        # A few dozen as a plain table (readable, printable from the browser); a district's in a grid.
        if len(table) <= 100:
            st.table(table)
        else:
            st.dataframe(table, hide_index=True)
    if st.button(ctx.t("onboarding.finish"), key="onboarding_finish", icon=":material/done_all:"):
        st.session_state.pop(SHOWN, None)
        st.rerun()
    return True
