"""GET/POST /board/{compound_id}/report: raise a concern with a plain HTML form (no JavaScript).

First send ("提交"): the services check the form and look for similar open issues; when there are
some, the page lists them, each with a 我也遇到 button, above the same form filled in again with a
"仍然提交新反映" button (photos cannot be put back into a file input: the page says so). Without
similar issues, or on "仍然提交新反映", the concern is raised with its photos and the browser is sent
(303) to the receipt page, which shows its number and secret from a short-lived cookie: a reload
or the back button never sends the concern twice, and the secret never sits in a URL. A refused form comes back with the Chinese message and
everything typed. Every POST needs the form token (csrf.py)."""
from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from deliberation.model.errors import DomainError
from deliberation.services.compounds import get_compound
from deliberation.services.concerns import (BUILDING_MAX, CONTACT_MAX, DESCRIPTION_MAX, PHOTOS_MAX, check_concern,
                                            concern_categories, submit_concern)
from deliberation.services.photos import MAX_BYTES

from .csrf import FIELD, REFUSED, checked_session, form_endpoint, form_key, sign
from .labels import stage_label
from .render import CACHE_PRIVATE, db, error_page, page, parse_id

RECEIPT_COOKIE = "xsyz_receipt"
RECEIPT_MINUTES = 30
TEXT_FIELDS = ("category_id", "description", "building", "contact", "household_code")


def typed_fields(fields: dict) -> dict[str, str]:
    """What the resident typed, as typed (cut to a sane length), to put back into the form."""
    return {name: (fields.get(name) or "")[:DESCRIPTION_MAX + 200] for name in TEXT_FIELDS}


def _category(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def client_address(request: Request) -> str | None:
    """The address the limits count by: the connection's own (no proxy header is trusted)."""
    return request.client.host if request.client else None


def _form_page(request, compound, key, *, typed=None, error="", similar=(), status=200):
    return page(request, "report.html", {
        "photos_dropped": bool(error or similar) and bool(request.state.files),
        "compound": compound, "categories": concern_categories(db(), compound.id), "typed": typed or {},
        "error": error, "similar": similar, "token": key.token, "token_field": FIELD,
        "limits": {"description": DESCRIPTION_MAX, "building": BUILDING_MAX, "contact": CONTACT_MAX,
                   "photos": PHOTOS_MAX, "photo_mb": MAX_BYTES // 1024 // 1024},
        "stage_label": stage_label,
    }, cache="private", cookies=key.cookies, status=status)


def _photos(request: Request) -> list[bytes]:
    """The chosen photos' bytes. Sizes are checked before reading: a 50 MB file is refused by its
    size, naming it, and never read into memory."""
    files = request.state.files
    if len(files) > PHOTOS_MAX:
        raise DomainError(f"最多可上传 {PHOTOS_MAX} 张照片(您选了 {len(files)} 张)")
    for number, (name, size, _) in enumerate(files, start=1):
        if size > MAX_BYTES:
            raise DomainError(f"第 {number} 张照片「{name[:40]}」太大({size / 1024 / 1024:.1f} MB):"
                              f"每张不能超过 {MAX_BYTES // 1024 // 1024} MB")
    return [upload.file.read() for _, _, upload in files]


@form_endpoint
def report_page(request: Request):
    compound = get_compound(db(), parse_id(request.path_params["compound_id"]))     # NotFound: 404
    key = form_key(request)
    if request.method != "POST":
        return _form_page(request, compound, key)
    fields = request.state.fields
    session = checked_session(request, fields)
    if session is None:
        return error_page(request, 403, REFUSED, board_id=compound.id)
    typed = typed_fields(fields)
    values = dict(category_id=_category(typed["category_id"]), description=typed["description"],
                  building=typed["building"], contact=typed["contact"])
    try:
        if fields.get("intent") != "send":
            similar = check_concern(db(), compound.id, **values)
            if similar:
                return _form_page(request, compound, key, typed=typed, similar=similar)
        receipt = submit_concern(db(), compound.id, **values, household_code=typed["household_code"],
                                 session_key=session, client_address=client_address(request),
                                 photos=_photos(request))
    except DomainError as exc:
        return _form_page(request, compound, key, typed=typed, error=exc.message, status=400)
    value = f"{receipt.number}.{receipt.secret}"
    answer = RedirectResponse(f"/board/{compound.id}/receipt", status_code=303,
                              headers={"Cache-Control": CACHE_PRIVATE})
    for cookie in [*key.cookies, {"key": RECEIPT_COOKIE, "value": f"{value}.{sign('receipt', value)}",
                                  "max_age": RECEIPT_MINUTES * 60, "path": f"/board/{compound.id}/receipt",
                                  "secure": request.url.scheme == "https", "httponly": True, "samesite": "strict"}]:
        answer.set_cookie(**cookie)
    return answer


@form_endpoint
def receipt_page(request: Request):
    """The receipt just given, from its cookie (for RECEIPT_MINUTES after sending): reloading it
    shows it again; without the cookie, the way to the track page."""
    compound = get_compound(db(), parse_id(request.path_params["compound_id"]))
    number, _, rest = (request.cookies.get(RECEIPT_COOKIE) or "").partition(".")
    secret, _, signature = rest.partition(".")
    valid = number.isdigit() and signature and hmac.compare_digest(sign("receipt", f"{number}.{secret}"), signature)
    receipt = {"number": int(number), "secret": secret} if valid else None
    return page(request, "receipt.html", {"compound": compound, "receipt": receipt, "minutes": RECEIPT_MINUTES},
                cache="private")


routes = [Route("/board/{compound_id}/report", report_page, methods=["GET", "HEAD", "POST"]),
          Route("/board/{compound_id}/receipt", receipt_page, methods=["GET", "HEAD"])]
