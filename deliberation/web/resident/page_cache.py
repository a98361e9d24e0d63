"""Rendered resident pages kept in memory, and a fast path that answers from them on the server's
event loop, without a trip through the thread pool.

An entry is keyed on the page's ETag, which holds the template, what selects the page (compound,
number, filter, page) and the compound's version (services.public.board_version: a token each change
of that compound replaces, plus today). So an entry is never stale: a change makes its key
unreachable. Only pages that are the same for every reader (cache="public") are kept: public rows
only, no form token, no cookie. 500 phones asking for boards at once then cost a dictionary lookup
each instead of a render (benchmarks/: board_load)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

MAX_ENTRIES = 4096          # a few pages each of 1,000 compounds: ~5 KB gzipped a page, ~20 MB at most

_entries: OrderedDict[str, tuple[bytes, int, dict]] = OrderedDict()
_guard = threading.Lock()


def remember(etag: str, response: Response) -> None:
    with _guard:
        _entries[etag] = (bytes(response.body), response.status_code, dict(response.headers))
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def recall(etag: str) -> Response | None:
    with _guard:
        found = _entries.get(etag)
        if found is not None:
            _entries.move_to_end(etag)
    if found is None:
        return None
    body, status, headers = found
    return Response(body, status_code=status, headers=headers)


def clear_page_cache() -> None:
    """Forget every rendered page (the benchmark's cold figure; tests)."""
    with _guard:
        _entries.clear()


def served_from_cache(key_of: Callable[[Request], tuple[str, tuple] | None]):
    """Decorate a sync resident endpoint: `key_of(request)` gives (template, etag parts) as the
    endpoint's own page() call would, from cheap reads only; when that page is in memory it is
    answered (or 304) right away, else the endpoint runs in the thread pool as usual. Whatever
    key_of cannot decide (a malformed id, an unknown compound) goes to the endpoint, which
    answers it properly."""
    from .render import etag_of, not_modified_response

    def wrap(endpoint):
        async def fast(request: Request) -> Response:
            try:
                key = key_of(request)
            except Exception:               # noqa: BLE001 - the endpoint gives the proper answer
                key = None
            if key is not None:
                etag = etag_of(request, *key)
                hit = recall(etag)
                if hit is not None:
                    return not_modified_response(request, etag) or hit
            return await run_in_threadpool(endpoint, request)
        fast.__name__ = getattr(endpoint, "__name__", "resident_page")
        fast.__doc__ = endpoint.__doc__
        return fast
    return wrap
