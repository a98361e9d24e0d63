"""议事码 on the board: the resident types the code from the branch's slip once; it is remembered
in this browser and sent with 我也遇到, objections and ratings (the services count one voice per
household). "换一个议事码" forgets it.

Remembered in a cookie (one per compound, `xsyz_household_<id>`), written by a one-line script
like web/common/browser_session.py does and read back from the request (st.context.cookies) when a
new Streamlit session starts, so a reload or a new tab keeps it. A cookie rather than localStorage:
it reaches the server with the page's request, with no round trip through a component. It is
SameSite=Strict, Secure on https, and kept for a year; the code is the household's own, and the
board shows it masked (****-AB12).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from ...model.errors import DomainError
from ...services.households import check_household_code, masked
from ..common.cookies import read_cookie, set_cookie
from ..common.ui import plain

if TYPE_CHECKING:
    from .board import Board

COOKIE = "xsyz_household_{}"
MAX_AGE_DAYS = 365
_PENDING = "_household_cookie_pending"      # session_state: {compound_id: code to write, or "" to clear}


def _state_key(compound_id: int) -> str:
    return f"public_household_{compound_id}"


def client_address() -> str | None:
    """The client's address as the server saw it (None for a direct local connection and under
    AppTest: the services then count the browser session instead)."""
    try:
        address = st.context.ip_address
    except Exception:               # noqa: BLE001 - no request behind this session
        return None
    return address if isinstance(address, str) and address else None


def household_code(b: Board) -> str:
    """The code remembered for this compound in this browser ('' when none). A remembered code
    that no longer works (revoked) is forgotten, with the reason shown once."""
    key = _state_key(b.compound.id)
    if key not in st.session_state:
        remembered = _cookie(b.compound.id)
        st.session_state[key] = ""
        if remembered:
            try:
                st.session_state[key] = check_household_code(b.db, b.compound.id, remembered)
            except DomainError as exc:
                st.session_state[f"{key}_dropped"] = exc.message
                _write_later(b.compound.id, "")
    return st.session_state[key]


def household_panel(b: Board) -> str:
    """The code line above the tabs: "已以议事码 ****-AB12 参与" with 换一个议事码, or the entry form."""
    _write_cookie()
    key = _state_key(b.compound.id)
    code = household_code(b)
    dropped = st.session_state.pop(f"{key}_dropped", None)
    with st.container(border=True, key="public_household_panel"):
        if dropped:
            st.warning(plain(dropped))
        if code:
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(b.t("public.household.using", code=masked(code)))
            if right.button(b.t("public.household.change"), key="public_household_forget"):
                st.session_state[key] = ""
                _write_later(b.compound.id, "")
                st.rerun()
            return code
        with st.form("public_household_form", border=False):
            left, right = st.columns([3, 1], vertical_alignment="bottom")
            typed = left.text_input(b.t("public.household.label"), max_chars=20, key="public_household_typed",
                                    placeholder="ABCD-EF23")
            sent = right.form_submit_button(b.t("public.household.use"))
        st.caption(b.t("public.household.hint"))
        if sent and typed.strip():
            try:
                code = check_household_code(b.db, b.compound.id, typed)
            except DomainError as exc:
                st.error(plain(exc.message))
                return ""
            st.session_state[key] = code
            _write_later(b.compound.id, code)
            st.rerun()
    return ""


def _write_later(compound_id: int, code: str) -> None:
    st.session_state.setdefault(_PENDING, {})[compound_id] = code


def _write_cookie() -> None:
    """Emit pending cookie changes, once (a Streamlit script cannot send Set-Cookie)."""
    pending = st.session_state.pop(_PENDING, None)
    for compound_id, code in (pending or {}).items():
        set_cookie(COOKIE.format(int(compound_id)), code, MAX_AGE_DAYS * 86400 if code else 0)


def _cookie(compound_id: int) -> str | None:
    return read_cookie(COOKIE.format(int(compound_id)))
