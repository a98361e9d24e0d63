"""议事码 on the board: the resident types the code from the branch's slip once; it is remembered
in this browser and sent with 我也遇到, objections and ratings (the services count one voice per
household). "换一个议事码" forgets it.

Remembered in a cookie (one per compound, `xsyz_household_<id>`) that the server sets: the form
here is plain HTML posting to /household (web/resident/household.py), which checks the code and sets the
cookie HttpOnly, SameSite=Strict, Secure on https, for a year, then comes back to the board. A new
Streamlit session reads it from its request (st.context.cookies), so a reload or a new tab keeps it.
The code is the household's own, and the board shows it masked (****-AB12).
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import streamlit as st

from ...model.errors import DomainError
from ...services.database import DiskFull
from ...services.households import check_household_code, masked
from ..common.cookies import read_cookie
from ..common.form_tokens import HOUSEHOLD, HOUSEHOLD_COOKIE, form_token
from ..common.ui import plain

if TYPE_CHECKING:
    from .board import Board



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
            except DomainError as exc:          # revoked since: said once; the cookie signs nothing in
                st.session_state[f"{key}_dropped"] = exc.message
    return st.session_state[key]


def household_panel(b: Board) -> str:
    """The code line above the tabs: "已以议事码 ****-AB12 参与" with 换一个议事码, or the entry form.
    Both are plain forms posting to /household, where the server sets or clears the cookie."""
    key = _state_key(b.compound.id)
    code = household_code(b)
    dropped = st.session_state.pop(f"{key}_dropped", None)
    try:
        token = form_token(b.db, HOUSEHOLD)
    except DiskFull:                    # its secret cannot be made on a full disk: the board still reads
        st.caption(b.t("public.household.unavailable"))
        return code
    with st.container(border=True, key="public_household_panel"):
        if dropped:
            st.warning(plain(dropped))
        if code:
            st.markdown(b.t("public.household.using", code=masked(code)))
            st.html(_form(b.compound.id, token, button=b.t("public.household.change"), forget=True))
            return code
        st.html(_form(b.compound.id, token, button=b.t("public.household.use"), label=b.t("public.household.label")))
        st.caption(b.t("public.household.hint"))
    return ""


def _form(compound_id: int, token: str, *, button: str, label: str = "", forget: bool = False) -> str:
    field = ("<input type='hidden' name='forget' value='1'>" if forget else
             f"<label for='xsyz-household-code'>{escape(label)}</label>"
             "<input type='text' id='xsyz-household-code' name='code' maxlength='20' autocomplete='off' "
             "autocapitalize='characters' spellcheck='false' required placeholder='ABCD-EF23'>")
    return (f"{FORM_STYLE}<form class='xsyz-household' method='post' action='/household'>"
            f"<input type='hidden' name='csrf_token' value='{escape(token)}'>"
            f"<input type='hidden' name='compound_id' value='{int(compound_id)}'>{field}"
            f"<button type='submit'>{escape(button)}</button></form>")


FORM_STYLE = """<style>
.xsyz-household{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.5rem}
.xsyz-household label{flex-basis:100%;font-size:.875rem}
.xsyz-household input[type=text]{font:inherit;padding:.5rem .65rem;min-height:44px;flex:1 1 12rem;max-width:20rem;
 border:1px solid #8c8c8c;border-radius:.5rem;background:#fff;color:#1b1b1b}
.xsyz-household button{font:inherit;padding:.45rem .9rem;min-height:44px;border-radius:.5rem;cursor:pointer;
 border:1px solid rgba(49,51,63,.2);background:#fff;color:inherit}
.xsyz-household button:hover{border-color:#8f1d1d;color:#8f1d1d}
.xsyz-household :focus-visible{outline:3px solid #0b4fb3;outline-offset:2px}
</style>"""


def _cookie(compound_id: int) -> str | None:
    return read_cookie(HOUSEHOLD_COOKIE.format(int(compound_id)))
