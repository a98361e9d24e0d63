"""Photos on the residents' board: the JPEG and its thumbnail, only while marked public.

A photo can be made private again (or removed), so it is not cached as immutable: browsers and
proxies keep it five minutes, then revalidate with its ETag (the SHA-256 of the bytes served)
and get a 304 while it is unchanged and still public. A private, removed or foreign photo is the
same 404 as one that never existed."""
from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deliberation.model.errors import NotFound
from deliberation.services.photos import public_photo_bytes

from .render import db, parse_id, resident_endpoint

CACHE_PHOTO = "public, max-age=300"


def _matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    return header.strip() == "*" or etag in {tag.strip().removeprefix("W/") for tag in header.split(",")}


def _serve(request: Request, *, thumb: bool) -> Response:
    compound_id = parse_id(request.path_params["compound_id"])
    photo_id = parse_id(request.path_params["photo_id"])
    data = public_photo_bytes(db(), compound_id, photo_id, thumb=thumb)
    if data is None:
        raise NotFound("找不到该照片:它可能尚未公开或已被删除。")
    etag = f'"{hashlib.sha256(data).hexdigest()}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_PHOTO, "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "same-origin"}
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="image/jpeg", headers=headers)


@resident_endpoint
def photo(request: Request) -> Response:
    return _serve(request, thumb=False)


@resident_endpoint
def photo_thumb(request: Request) -> Response:
    return _serve(request, thumb=True)


# Mounted by the resident package (web/resident/__init__.py) beside the board's own routes.
routes = [
    Route("/board/{compound_id}/photos/{photo_id}.jpg", photo, methods=["GET"]),
    Route("/board/{compound_id}/photos/{photo_id}/thumb.jpg", photo_thumb, methods=["GET"]),
]


def photo_url(compound_id: int, photo_id: int, *, thumb: bool = False) -> str:
    """The URL of a public photo (for templates)."""
    return f"/board/{compound_id}/photos/{photo_id}" + ("/thumb.jpg" if thumb else ".jpg")
