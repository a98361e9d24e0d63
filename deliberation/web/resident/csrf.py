"""CSRF protection of the residents' forms without JavaScript: double submit, signed.

Each browser gets a random cookie (HttpOnly, SameSite=Lax, Secure on https, path /board). Every
form carries a hidden field holding the HMAC of that cookie under a server secret kept in the
database (services/settings.server_secret). A POST is accepted only when the field matches the
cookie it arrived with: another site can make a browser send the cookie, but cannot read it nor
compute the field without the secret. The cookie also stands for the browser's session towards
the services' limits (once per browser without a household code): they get a hash of it, never
the cookie itself, so the stored key cannot be replayed as a token.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from deliberation.services.settings import server_secret

from .render import db, error_page, resident_endpoint

COOKIE = "xsyz_form"
FIELD = "csrf_token"
MAX_AGE = 180 * 86400               # "once per browser" should outlive a closed tab
REFUSED = "页面已过期或来源不明,本次提交未保存。请返回上一页,刷新后重新提交(需允许本站使用 Cookie)。"


@dataclass(frozen=True)
class FormKey:
    """What a page with a form needs: the token for its hidden field, and the cookie to set
    when the browser had none (None when it had one)."""
    token: str
    cookie: dict | None
    session_key: str

    @property
    def cookies(self) -> list[dict]:
        return [self.cookie] if self.cookie else []


def _valid_cookie(value: str | None) -> bool:
    return bool(value) and 20 <= len(value) <= 64 and value.isascii() and value.replace("-", "").replace("_", "").isalnum()


def sign(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` for one purpose, under the server's secret (hex, 64 characters)."""
    return hmac.new(server_secret(db(), "csrf"), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _sign(value: str) -> str:
    return sign("form", value)


def session_key_of(value: str) -> str:
    return hashlib.sha256(f"board-session:{value}".encode()).hexdigest()[:32]


def form_key(request: Request) -> FormKey:
    """The token for this browser's forms (a new cookie when it has none or a malformed one)."""
    value = request.cookies.get(COOKIE)
    cookie = None
    if not _valid_cookie(value):
        value = secrets.token_urlsafe(24)
        cookie = {"key": COOKIE, "value": value, "max_age": MAX_AGE, "path": "/board",
                  "secure": request.url.scheme == "https", "httponly": True, "samesite": "lax"}
    return FormKey(token=_sign(value), cookie=cookie, session_key=session_key_of(value))


def checked_session(request: Request, form) -> str | None:
    """The browser's session key when the form's token matches its cookie; None otherwise
    (no cookie, no field, a field from another browser or another server)."""
    value, sent = request.cookies.get(COOKIE), form.get(FIELD)
    if not _valid_cookie(value) or not isinstance(sent, str) or len(sent) != 64:
        return None
    return session_key_of(value) if hmac.compare_digest(_sign(value), sent) else None


# --- reading a posted form, within limits ---------------------------------------------------------

MAX_BODY = 64 * 1024 * 1024         # three 10 MB photos, with room for a too-large one to be named
MAX_TEXT_PART = 64 * 1024           # any text field: far above what the services accept
MAX_FIELDS, MAX_FILE_PARTS = 30, 10
TOO_LARGE = "提交的内容太大(照片每张不超过 10 MB,最多 3 张),本次提交未保存。请返回上一页重新选择。"
BAD_FORM = "提交的内容无法识别或某一项过长,本次提交未保存。请返回上一页重新填写。"


class FormRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


async def read_form(request: Request) -> tuple[dict[str, str], list[tuple[str, int, object]]]:
    """({field: text}, [(file name, size, UploadFile)] of the files chosen) of a posted form, or
    FormRefused: a body over MAX_BODY is cut off while it streams, a text field over
    MAX_TEXT_PART stops the parser (a 5 MB "description" never reaches a service)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise FormRefused(413, TOO_LARGE)
    received = 0

    async def receive():
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > MAX_BODY:
                raise FormRefused(413, TOO_LARGE)
        return message

    capped = Request(request.scope, receive)
    try:
        form = await capped.form(max_files=MAX_FILE_PARTS, max_fields=MAX_FIELDS, max_part_size=MAX_TEXT_PART)
    except HTTPException:
        raise FormRefused(400, BAD_FORM) from None
    fields, files = {}, []
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, value)
        elif value.filename or value.size:           # a file input left empty sends an empty part
            files.append((value.filename or "", value.size or 0, value))
    return fields, files


def form_endpoint(handler):
    """An endpoint with a form: a POST's body is read here (async, within the limits above) into
    request.state.fields / request.state.files, then `handler(request)` runs in the thread pool
    (the services are synchronous; each pool thread has its own connection), with the Chinese
    error pages of render.resident_endpoint."""
    sync = resident_endpoint(handler)

    @functools.wraps(handler)
    async def endpoint(request: Request):
        request.state.fields, request.state.files = {}, []
        try:
            if request.method == "POST":
                try:
                    request.state.fields, request.state.files = await read_form(request)
                except FormRefused as exc:
                    return error_page(request, exc.status, exc.message, board_id=_board_id(request))
            return await run_in_threadpool(sync, request)
        finally:
            for _, _, upload in request.state.files:
                upload.file.close()
    return endpoint


def _board_id(request: Request) -> int | None:
    raw = request.path_params.get("compound_id", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
