"""What makes a sign-in or sign-out POST trustworthy without JavaScript or a second cookie.

- The request must come from a page of this site: `Sec-Fetch-Site: same-origin` where the browser
  sends it (every current one does), else an Origin (or Referer) naming this host. Another site's
  page can make a browser post a form, but not lie about these headers.
- The form carries a token signed with the server's secret (services.settings.server_secret):
  a form shown before there is a session (sign-in, the board's 议事码) names the moment it was made
  (valid for FORM_MAX_AGE); the sign-out form's is bound to the session it ends, so a sign-out
  button works only for its own session.
The session cookie itself is SameSite=Strict, so a cross-site POST never carries it anyway.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import parse_qsl, urlsplit

from deliberation.services.settings import server_secret

FORM_MAX_AGE = 12 * 3600        # a sign-in page left open over a working day still signs in
MAX_BODY = 16 * 1024            # a small form (a name, a password ≤ 128 characters, a token): far below
CLOCK_SLACK = 60                # a token "from the future" by less than this is a clock step, not forgery


def _mac(db, purpose: str, value: str) -> str:
    return hmac.new(server_secret(db, "staff-forms"), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def form_token(db, purpose: str, at: float | None = None) -> str:
    """A token for a form shown to anyone (no session yet): when it was made, signed for `purpose`."""
    issued = str(int(at if at is not None else time.time()))
    return f"{issued}.{_mac(db, purpose, issued)}"


def form_token_ok(db, purpose: str, sent: object, at: float | None = None) -> bool:
    if not isinstance(sent, str) or len(sent) > 100:
        return False
    issued, _, mac = sent.partition(".")
    if not issued.isascii() or not issued.isdigit() or len(issued) > 12:
        return False
    age = (at if at is not None else time.time()) - int(issued)
    return -CLOCK_SLACK <= age <= FORM_MAX_AGE and hmac.compare_digest(_mac(db, purpose, issued), mac)


HOUSEHOLD = "household"                 # the board's 议事码 form (web/resident/household.py)
HOUSEHOLD_COOKIE = "xsyz_household_{}"  # one per compound, set only by that route


def strict_cookie(request) -> dict:
    """Options of a cookie only the server reads: the staff's session, a compound's 议事码."""
    return {"path": "/", "httponly": True, "samesite": "strict", "secure": request.url.scheme == "https"}


def sign_in_token(db, at: float | None = None) -> str:
    return form_token(db, "sign-in", at)


def sign_in_token_ok(db, sent: object, at: float | None = None) -> bool:
    return form_token_ok(db, "sign-in", sent, at)


def sign_out_token(db, session_token: str) -> str:
    return _mac(db, "sign-out", session_token)


def sign_out_token_ok(db, session_token: str | None, sent: object) -> bool:
    if not session_token or not isinstance(sent, str) or len(sent) != 64:
        return False
    return hmac.compare_digest(sign_out_token(db, session_token), sent)


def same_origin(headers) -> bool:
    """True when the browser says the POST came from a page of this site (see the module note).
    Hosts are compared without the port: a proxy may rewrite the port, never the host name."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    source = headers.get("origin") or headers.get("referer") or ""
    host = _host(headers.get("host", ""))
    return bool(source) and source != "null" and bool(host) and _host(urlsplit(source).netloc) == host


def _host(netloc: str) -> str:
    netloc = netloc.rpartition("@")[2].lower()
    if netloc.startswith("["):                              # [::1]:8501
        return netloc.partition("]")[0] + "]"
    return netloc.partition(":")[0]


async def read_small_form(request) -> dict[str, str] | None:
    """The urlencoded form, or None when it is too large or not a form (read within MAX_BODY)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return None
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields
