"""Rendering the residents' light pages: one Jinja2 environment (autoescape on), the database
connection of the serving thread, HTTP caching (ETag from the store's write token, 304), gzip,
and the Chinese error pages. Every resident route answers through `page()` or `error_page()`.

Sync Starlette endpoints run in a thread pool, so each worker thread opens its own connection
lazily and keeps it (a sqlite3 connection is never shared between threads here)."""
from __future__ import annotations

import functools
import gzip
import hashlib
import logging
from pathlib import Path
from typing import Callable, Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import Response

from deliberation.model.errors import DomainError, NotFound
from deliberation.services.database import DISK_FULL_READ, DiskFull, out_of_space

from ..common.thread_db import db  # noqa: F401 - the resident routes' connection (`from .render import db`)
from . import page_cache
from .page_cache import clear_page_cache  # noqa: F401 - tests and the benchmark empty it from here

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
GZIP_MIN_BYTES = 512            # below this, gzip's header costs more than it saves
MAX_ID = 2**63 - 1              # SQLite's INTEGER: a larger id cannot exist (and would overflow)

ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True,
                  default_for_string=True), trim_blocks=True, lstrip_blocks=True, auto_reload=False)

# The templates' own version: a deploy that changes a page must not be answered 304 from the old copy.
TEMPLATES_VERSION = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(TEMPLATES.iterdir())
                                            if p.is_file())).hexdigest()[:12]

CACHE_PUBLIC = "public, max-age=0, must-revalidate"     # shared boards: always revalidate, cheap 304
CACHE_PRIVATE = "private, no-store"                     # pages with a form token or a resident's data
RETRY_AFTER_S = 60                                      # a full disk: ask again in a minute
MAINTENANCE = "系统维护中"                               # the title of a page the full disk stopped

def parse_id(text: str) -> int:
    """A positive id from a URL segment; anything else (letters, sign, 0, too large) is NotFound,
    so a tampered URL gets the same Chinese 404 as an id that does not exist."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        raise NotFound("找不到该页面")
    value = int(text)
    if not 0 < value <= MAX_ID:
        raise NotFound("找不到该页面")
    return value


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _etag(template: str, parts: Iterable, gzipped: bool) -> str:
    digest = hashlib.sha256(repr((TEMPLATES_VERSION, template, tuple(parts))).encode()).hexdigest()[:24]
    return f'"{digest}{"-gz" if gzipped else ""}"'


def etag_of(request: Request, template: str, parts: Iterable) -> str:
    """The ETag page() gives `template` selected by `parts`, for this request's encoding."""
    return _etag(template, parts, _accepts_gzip(request))


def not_modified_response(request: Request, etag: str) -> Response | None:
    """304 when the client already holds `etag`, else None."""
    if not _not_modified(request, etag):
        return None
    return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE_PUBLIC, "Vary": "Accept-Encoding"})


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in wanted


def render(template: str, context: dict) -> str:
    return ENV.get_template(template).render(**context)


def _respond(request: Request, html: str, *, status: int, cache_control: str, etag: str | None,
             cookies: list[dict] | None) -> Response:
    body = html.encode("utf-8")
    headers = {**({"Retry-After": str(RETRY_AFTER_S)} if status == 503 else {}),
               "Cache-Control": cache_control, "Vary": "Accept-Encoding",
               "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
               # No script and no outside resource on these pages: say so to the browser.
               "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                                          "form-action 'self'; frame-ancestors 'self'; base-uri 'none'"}
    if etag:
        headers["ETag"] = etag
    if _accepts_gzip(request) and len(body) >= GZIP_MIN_BYTES:
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    response = Response(body, status_code=status, headers=headers, media_type="text/html; charset=utf-8")
    for cookie in cookies or ():
        response.set_cookie(**{"httponly": True, "samesite": "lax", **cookie})
    return response


def page(request: Request, template: str, context: dict | Callable[[], dict], *, etag_parts: Iterable = (),
         cache: str = "public", cookies: list[dict] | None = None, status: int = 200) -> Response:
    """Render `template` with `context` into an HTML response.

    cache="public": the page is the same for every reader; its ETag is built from `etag_parts`
    (give services.public.board_version(db, compound_id) plus what selects the page: ids, page number,
    filter) and a matching If-None-Match gets 304 without rendering. `context` may be a
    callable so a 304 skips building it too.
    cache="private": a page carrying a form token or a resident's own data: no ETag, no-store.
    `cookies`: keyword dicts for Response.set_cookie (httponly and samesite=lax by default).
    """
    if cache not in ("public", "private"):
        raise ValueError(cache)
    etag = None
    shared = cache == "public" and status == 200 and not cookies
    if cache == "public":
        etag = etag_of(request, template, etag_parts)
        unchanged = not_modified_response(request, etag) if status == 200 else None
        if unchanged is not None:
            return unchanged
        kept = page_cache.recall(etag) if shared else None
        if kept is not None:
            return kept
    ctx = context() if callable(context) else context
    html = render(template, {"request": request, **ctx})
    response = _respond(request, html, status=status, etag=etag, cookies=cookies,
                        cache_control=CACHE_PUBLIC if cache == "public" else CACHE_PRIVATE)
    if shared:
        page_cache.remember(etag, response)
    return response


def error_page(request: Request, status: int, message: str, *, board_id: int | None = None) -> Response:
    """A short page in Chinese: never a traceback."""
    titles = {404: "找不到该页面", 400: "无法处理该请求", 403: "请求未通过校验", 413: "上传的内容太大",
              500: "抱歉,服务出了点问题", 503: MAINTENANCE}
    html = render("error.html", {"status": status, "title": titles.get(status, "无法处理该请求"),
                                 "message": message, "board_id": board_id})
    return _respond(request, html, status=status, cache_control=CACHE_PRIVATE, etag=None, cookies=None)


def _maintenance(request: Request, board_id: int | None) -> Response:
    return error_page(request, 503, DISK_FULL_READ.removeprefix(MAINTENANCE + ":"), board_id=board_id)


def resident_endpoint(fn):
    """Wrap a sync endpoint: NotFound -> 404, a full disk the page could not get past -> 503 with
    the maintenance message, another DomainError -> 400 with its Chinese message, anything
    unexpected -> logged, and a short apology (500). (A form's own write refused for a full disk
    is answered by the form itself, with what was typed.)"""
    @functools.wraps(fn)
    def endpoint(request: Request) -> Response:
        board_id = None
        try:
            raw = request.path_params.get("compound_id")
            if raw is not None and raw.isascii() and raw.isdigit() and len(raw) <= 19:
                board_id = int(raw)
            return fn(request)
        except NotFound as exc:
            return error_page(request, 404, exc.message or "找不到该页面", board_id=None)
        except DiskFull:
            # Whatever stopped here (a page that must write to open, a read past the -shm's room), the
            # page as a whole is unavailable: "under maintenance", not "your text was kept".
            log.warning("resident page %s: the disk is full", request.url.path)
            return _maintenance(request, board_id)
        except DomainError as exc:
            return error_page(request, 400, exc.message, board_id=board_id)
        except Exception as exc:
            if out_of_space(exc):
                log.warning("resident page %s: the disk is full (%s)", request.url.path, exc)
                return _maintenance(request, board_id)
            log.exception("resident page %s failed", request.url.path)
            return error_page(request, 500, "页面暂时无法显示,请稍后再试。如果一直这样,请联系小区党支部。")
    return endpoint


@resident_endpoint
def not_found(request: Request) -> Response:
    """Any other address under /board/: the same Chinese 404."""
    raise NotFound("找不到该页面,请检查地址或扫描小区公示栏上的二维码。")
