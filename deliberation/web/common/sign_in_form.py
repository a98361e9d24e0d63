"""The staff's sign-in and sign-out forms as plain HTML: web/signin/http.py serves them on its
light page and handles what they post; the Streamlit pages show them through st.html (the sign-in
page, any staff page opened signed out, the sidebar's 退出登录). The server, not a script, then sets
or clears the HttpOnly session cookie."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ...services.database import DiskFull
from ...services.users import PASSWORD_MAX, USERNAME_MAX
from .form_tokens import sign_in_token, sign_out_token
from .i18n import translate
from .maintenance import stop_for_disk_full

TEMPLATES = Path(__file__).resolve().parent / "templates"
_SIGN_OUT_HTML = "_sign_out_html"       # session_state: ((token, lang), the button's HTML)


def environment(*folders: Path) -> Environment:
    """Jinja2 with autoescape, loading from `folders` and then these common templates."""
    return Environment(loader=FileSystemLoader([str(f) for f in (*folders, TEMPLATES)]),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True, auto_reload=False)


ENV = environment()


def safe_next(value: object) -> str:
    """Where to go after signing in: a path of this site only ("/register?issue=5"), never another
    site ("//evil.example", "https://…", "/\\evil") nor the sign-in routes themselves."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 500:
        return "/"
    if value.startswith(("//", "/\\")) or any(ch in value for ch in "\\\r\n\t") or not value.isprintable():
        return "/"
    if value.split("?")[0].rstrip("/") in ("/signin", "/signout"):
        return "/"
    return value


def strings(lang: str) -> dict[str, str]:
    return {key: translate(f"signin.{key}", lang) for key in ("title", "username", "password", "submit",
                                                              "public_link", "app", "other_language")}


def form_context(db, lang: str, next_path: str, username: str = "", error: str = "") -> dict:
    """What sign_in_form.html needs (a fresh token each time: the secret may be made, a write)."""
    return {"t": strings(lang), "lang": lang, "next": next_path, "username": username, "error": error,
            "token": sign_in_token(db), "username_max": USERNAME_MAX, "password_max": PASSWORD_MAX}


def sign_out_html(db, session_token: str, lang: str) -> str:
    """The 退出登录 button as a form bound to this session (form_tokens.sign_out_token)."""
    return ENV.get_template("sign_out_form.html").render(token=sign_out_token(db, session_token), lang=lang,
                                                         label=translate("signout", lang))


# --- on a Streamlit page --------------------------------------------------------------------------

def here() -> str:
    """This page's path and query: after signing in, the browser comes back to it."""
    try:
        url = urlsplit(st.context.url or "")
    except Exception:                   # noqa: BLE001 - no request behind this session (AppTest)
        return "/"
    return safe_next(url.path + (f"?{url.query}" if url.query else ""))


def show_sign_in_form(db, lang: str) -> None:
    """登录, with the reason a session ended if one did; it comes back to this page after."""
    reason = st.session_state.pop("signout_reason", None)
    if reason:
        st.info(translate(reason, lang))
    st.subheader(translate("signin.title", lang))
    try:
        st.html(ENV.get_template("sign_in_form.html").render(form_context(db, lang, here())))
    except DiskFull as exc:             # the form's secret cannot be made on a full disk
        stop_for_disk_full(exc)


def show_sign_out_button(db, session_token: str | None, lang: str) -> None:
    """A session without a token (a test harness) has nothing to end and shows no button. The
    sidebar shows it on every rerun: it is made once per session token and language."""
    if not session_token:
        return
    made_for, html = st.session_state.get(_SIGN_OUT_HTML, (None, ""))
    if made_for != (session_token, lang):
        html = sign_out_html(db, session_token, lang)
        st.session_state[_SIGN_OUT_HTML] = ((session_token, lang), html)
    st.html(html)
