"""议题详情, 隐私: the secretary redacts a stored text or erases one resident's personal fields on
request (services/privacy.py). Shown only to roles with the publish right; the service checks too."""
from __future__ import annotations

import streamlit as st

from ...model.roles import Action
from ...services.permissions import may
from ...services.privacy import erase_resident, redact
from ..common.context import attempt
from ..common.flash import flash
from ..common.ui import plain_strict

_ISSUE_FIELDS = ("title", "description", "location", "internal_note", "public_summary", "public_reply")


def privacy_tools(ctx, detail: dict) -> None:
    issue, t = detail["issue"], ctx.t
    if not may(ctx.actor, Action.PUBLISH, issue["compound_id"]):
        return
    with st.expander(t("issue.privacy"), icon=":material/shield_person:"):
        st.caption(t("issue.privacy.hint"))
        targets = [("issue", issue["id"], f) for f in _ISSUE_FIELDS if issue.get(f)]
        targets += [("escalation", e["id"], f) for e in detail["escalations"] for f in ("request", "answer")
                    if e.get(f)]
        targets += [("escalation_pass", p["id"], "note") for p in detail.get("escalation_passes", []) if p.get("note")]
        names = {target: t(f"issue.privacy.field.{target[0]}.{target[2]}") +
                 (f" #{target[1]}" if target[0] != "issue" else "") for target in targets}
        choice = st.selectbox(t("issue.privacy.field"), targets, index=None, format_func=names.get,
                              placeholder=t("issue.privacy.pick"), key=f"issue_redact_field_{issue['id']}")
        if st.button(t("issue.privacy.redact"), key=f"issue_redact_{issue['id']}", disabled=choice is None,
                     icon=":material/visibility_off:"):
            ok, _ = attempt(ctx.lang, redact, ctx.db, ctx.actor, *choice)
            if ok:
                _done(issue["id"], t("issue.privacy.redacted", field=names[choice]))
        people = [r for r in detail["reports"] if any(r.get(f) for f in ("reporter_name", "unit", "contact", "words"))]
        for n, report in enumerate(people, 1):
            who = " · ".join(v for v in (report.get("reporter_name"), report.get("unit"), report.get("contact"))
                             if v) or t("issue.privacy.words_only")
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.markdown(plain_strict(f"{n}. {who}"))
            if right.button(t("issue.privacy.erase"), key=f"issue_erase_{report['id']}",
                            icon=":material/person_remove:"):
                ok, _ = attempt(ctx.lang, erase_resident, ctx.db, ctx.actor, report["id"])
                if ok:
                    _done(issue["id"], t("issue.privacy.erased"))


def _done(issue_id: int, message: str) -> None:
    flash("issue", message)
    st.rerun()
