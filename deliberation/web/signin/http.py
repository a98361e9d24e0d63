"""Staff sign-in and sign-out over HTTP, so that the server sets the session cookie: HttpOnly (no
script can read it), SameSite=Strict (another site's page never sends it), Secure on https.

GET  /signin    the light sign-in page (no JavaScript). `?next=` is where to go after, `?note=` a
                reason to show (why a session ended), `?lang=en` English.
POST /signin    the form's origin and token are checked (common/form_tokens.py), then
                services.users.authenticate with the browser's address; a good password starts a
                session (services/sessions.py), sets the cookie and goes on to `next` (303). A
                refused attempt gets the page again with the reason and the name as typed.
POST /signout   ends this browser's session and clears the cookie, then the light page says so.

The Streamlit pages show the same forms (web/common/sign_in_form.py, through st.html) posting here;
a new Streamlit session then reads the cookie (web/common/browser_session.restore)."""
from __future__ import annotations

import logging
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.model.errors import DomainError
from deliberation.services.database import DiskFull
from deliberation.services.sessions import MAX, end_session, start_session
from deliberation.services.users import USERNAME_MAX, authenticate

from ..common.browser_session import COOKIE
from ..common.form_tokens import read_small_form, same_origin, sign_in_token_ok, sign_out_token_ok, strict_cookie
from ..common.i18n import translate
from ..common.sign_in_form import environment, form_context, safe_next, strings
from ..common.thread_db import db

log = logging.getLogger(__name__)

ENV = environment(Path(__file__).resolve().parent / "templates")
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                      "frame-ancestors 'none'; base-uri 'none'"}
NOTES = ("signin.session_expired", "signin.signed_out", "signin.password_changed_here", "signin.first_password_set",
         *(f"signin.ended.{why}" for why in ("password_changed", "password_reset", "deactivated", "signed_out",
                                            "expired", "idle")))
STALE_FORM = "signin.form_stale"


# --- the page ------------------------------------------------------------------------------------

def _page(lang: str, *, next_path: str, username: str = "", error: str = "", note: str = "",
          status: int = 200) -> Response:
    try:
        html = ENV.get_template("page.html").render(note=note, **form_context(db(), lang, next_path, username,
                                                                              error))
    except DiskFull:                        # the form's secret cannot be made on a full disk: say so
        html = ENV.get_template("page.html").render(note="", t=strings(lang), lang=lang, next=next_path,
                                                    error=translate("signin.disk_full", lang), unavailable=True)
        return Response(html, status_code=503, headers={**HEADERS, "Retry-After": "60"},
                        media_type="text/html; charset=utf-8")
    return Response(html, status_code=status, headers=HEADERS, media_type="text/html; charset=utf-8")


def _lang(value: object) -> str:
    return "en" if value == "en" else "zh"


def client_address(request: Request) -> str:
    """The browser's address for the sign-in limits. Behind nginx on the same machine the peer is
    loopback and nginx's X-Real-IP names the browser; it is trusted from loopback only."""
    peer = request.client.host if request.client else ""
    if peer in ("127.0.0.1", "::1"):
        forwarded = (request.headers.get("x-real-ip") or "").strip()
        if forwarded:
            return forwarded[:64]
    return peer or "unknown"


# --- the routes ------------------------------------------------------------------------------------

async def sign_in_page(request: Request) -> Response:
    lang = _lang(request.query_params.get("lang"))
    next_path = safe_next(request.query_params.get("next"))
    if request.method != "POST":
        note = request.query_params.get("note")
        return await run_in_threadpool(_page, lang, next_path=next_path,
                                       note=translate(note, lang) if note in NOTES else "")
    fields = await read_small_form(request)
    if fields is None:
        return await run_in_threadpool(_page, lang, next_path=next_path, error=translate(STALE_FORM, lang),
                                       status=400)
    return await run_in_threadpool(_sign_in, request, fields)


def _sign_in(request: Request, fields: dict[str, str]) -> Response:
    lang = _lang(fields.get("lang"))
    next_path = safe_next(fields.get("next"))
    username = fields.get("username", "")[:4 * USERNAME_MAX]
    try:
        conn = db()
        if not same_origin(request.headers) or not sign_in_token_ok(conn, fields.get("csrf_token")):
            return _page(lang, next_path=next_path, username=username, error=translate(STALE_FORM, lang), status=403)
        user_id = authenticate(conn, username, fields.get("password", ""), client=client_address(request))
        token = start_session(conn, user_id)
        end_session(conn, request.cookies.get(COOKIE))          # this browser's earlier sign-in, if any
    except DomainError as exc:
        return _page(lang, next_path=next_path, username=username, error=exc.message, status=400)
    except Exception:                       # noqa: BLE001 - logged; the user gets a sentence, never a traceback
        log.exception("sign-in failed unexpectedly")
        return _page(lang, next_path=next_path, username=username, error=translate("error.unexpected", lang),
                     status=500)
    response = RedirectResponse(next_path, status_code=303, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE, token, max_age=int(MAX.total_seconds()), **strict_cookie(request))
    return response


async def sign_out(request: Request) -> Response:
    fields = await read_small_form(request) or {}
    return await run_in_threadpool(_sign_out, request, fields)


def _sign_out(request: Request, fields: dict[str, str]) -> Response:
    """A sign-out button works for the session it was shown to. A stale one (the browser has signed
    in again since, in another tab) ends nothing: it only brings the tab up to date."""
    lang = _lang(fields.get("lang"))
    token = request.cookies.get(COOKIE)
    home = "/?lang=en" if lang == "en" else "/"
    if not same_origin(request.headers):
        return _page(lang, next_path="/", error=translate("signin.signout_refused", lang), status=403)
    conn = db()
    if not sign_out_token_ok(conn, token, fields.get("csrf_token")):
        return RedirectResponse(home, status_code=303, headers={"Cache-Control": "no-store"})
    end_session(conn, token)
    response = RedirectResponse(f"/signin?note=signin.signed_out{'&lang=en' if lang == 'en' else ''}",
                                status_code=303, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, **strict_cookie(request))
    return response


def routes() -> list[Route]:
    return [Route("/signin", sign_in_page, methods=["GET", "HEAD", "POST"]),
            Route("/signout", sign_out, methods=["POST"])]
