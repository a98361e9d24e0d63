"""我要反映: a resident raises a concern from the public board.

Pressing 提交 first looks for similar open issues; if there are some, the resident either joins
one ("我也遇到") or confirms that theirs is new. The draft waits in session state meanwhile, so
nothing typed is lost. Limits are enforced by the service (services.concerns)."""
from __future__ import annotations

import streamlit as st

from ...services.concerns import (check_concern, concern_categories, concern_status, join_concern,
                                 similar_open_issues, submit_concern)
from ...services.privacy import retention_days
from ..common.context import attempt
from ..common.flash import flash
from ..common.ui import plain_strict, stage_label
from .board import Board
from .household import client_address, household_code

_FIELDS = ("public_concern_category", "public_concern_description", "public_concern_building",
           "public_concern_contact")


def concern_panel(b: Board, session_key: str) -> None:
    if st.session_state.pop("public_concern_clear", False):
        for key in _FIELDS:          # set (not deleted) before the widgets exist, so the browser clears too
            st.session_state[key] = None if key == "public_concern_category" else ""
    st.markdown(b.t("public.raise.intro"))
    my_concerns(b)
    categories = {c["id"]: c["name"] for c in concern_categories(b.db, b.compound.id)}
    with st.form("public_concern_form"):
        category = st.selectbox(b.t("public.raise.category"), list(categories), index=None,
                                format_func=categories.get, placeholder=b.t("public.raise.need_category"),
                                key="public_concern_category")
        description = st.text_area(b.t("public.raise.description"), max_chars=1000, height=120,
                                   key="public_concern_description")
        left, right = st.columns(2)
        building = left.text_input(b.t("public.raise.building"), max_chars=10, key="public_concern_building")
        contact = right.text_input(b.t("public.raise.contact"), max_chars=40, key="public_concern_contact")
        st.caption(b.t("public.raise.privacy"))
        st.caption(b.t("public.raise.retention", period=_retention_period(b)))
        sent = st.form_submit_button(b.t("public.raise.submit"), type="primary")
    if sent:
        draft = {"category_id": category, "description": description, "building": building, "contact": contact}
        st.session_state.pop("public_concern_draft", None)
        ok, similar = attempt(b.lang, check_concern, b.db, b.compound.id, **draft)
        if not ok:
            return
        if not similar:
            _send(b, draft, session_key)
            return
        st.session_state["public_concern_draft"] = {**draft, "compound_id": b.compound.id,
                                                    "similar": [s.id for s in similar]}
    draft = st.session_state.get("public_concern_draft")
    if draft and draft["compound_id"] == b.compound.id:
        similar_choice(b, draft, session_key)


def similar_choice(b: Board, draft: dict, session_key: str) -> None:
    """The open issues that look the same, each with 我也遇到, and a button to send anyway."""
    similar = [s for s in similar_open_issues(b.db, b.compound.id, draft["category_id"], draft["description"])
               if s.id in draft["similar"]]
    with st.container(border=True):
        st.info(b.t("public.raise.similar"), icon=":material/content_copy:")
        for issue in similar:
            left, right = st.columns([4, 1], vertical_alignment="center")
            status = b.t("public.waiting") if not issue.accepted else stage_label(issue.stage, b.lang)
            left.markdown(f"**#{issue.number} {plain_strict(issue.title)}**")
            left.caption(" · ".join([status, plain_strict(issue.category),
                                     b.t("public.households", n=issue.households)]))
            if issue.summary:
                left.text(issue.summary)
            if right.button(b.t("public.raise.me_too"), key=f"public_me_too_{issue.id}"):
                ok, _ = attempt(b.lang, join_concern, b.db, issue.id, session_key=session_key,
                                contact=draft["contact"], household_code=household_code(b),
                                client_address=client_address())
                if ok:
                    _done(b, issue.id, "joined", b.t("public.raise.joined", ref=issue.number))
        left, right = st.columns(2)
        if left.button(b.t("public.raise.anyway"), key="public_concern_anyway", type="primary"):
            _send(b, draft, session_key)
        if right.button(b.t("public.raise.edit"), key="public_concern_edit"):
            st.session_state.pop("public_concern_draft", None)
            st.rerun()


def _send(b: Board, draft: dict, session_key: str) -> None:
    ok, receipt = attempt(b.lang, submit_concern, b.db, b.compound.id, category_id=draft["category_id"],
                          description=draft["description"], building=draft["building"],
                          contact=draft["contact"], session_key=session_key,
                          household_code=household_code(b), client_address=client_address())
    if ok:
        _done(b, receipt.issue_id, "raised",
              b.t("public.raise.received", ref=receipt.number, secret=receipt.secret))


def _done(b: Board, issue_id: int, how: str, message: str) -> None:
    mine = st.session_state.setdefault("public_my_concerns", [])
    mine.append({"compound_id": b.compound.id, "issue_id": issue_id, "how": how})
    st.session_state.pop("public_concern_draft", None)
    st.session_state["public_concern_clear"] = True
    flash("public", message)
    st.rerun()


def my_concerns(b: Board) -> None:
    """The acknowledgment stays visible for the whole visit: reference numbers and where they stand."""
    mine = [m for m in st.session_state.get("public_my_concerns", []) if m["compound_id"] == b.compound.id]
    if not mine:
        return
    lines = []
    for entry in mine:
        status = concern_status(b.db, entry["issue_id"])
        if status is None:
            continue
        label = b.t("public.waiting") if status["waiting"] else stage_label(status["stage"], b.lang)
        lines.append(b.t("public.raise.mine_line", ref=status["number"], title=status["title"], status=label))
    with st.container(border=True):
        st.caption(b.t("public.raise.mine"))
        st.text("\n".join(lines))


def _retention_period(b) -> str:
    days = retention_days()
    return b.t("public.raise.retention.year") if days == 365 else b.t("public.raise.retention.days", n=days)
