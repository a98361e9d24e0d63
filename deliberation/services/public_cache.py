"""A process-wide cache for the residents' board, keyed on the store's write token.

The board is read far more than it changes, and at district scale each read walks deeper B-trees
(benchmarks/: public_scaling). An entry is keyed on (function, arguments, the token of the last
committed write). Every write transaction replaces the token (store.write), so a change by any
session or process makes the entry unreachable: the board is never stale, only cheaper while
nothing changes. It holds public rows only (the public_* views), so sharing it across sessions
shares nothing personal.
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from ..store import store_token
from .clock import today

MAX_ENTRIES = 4096          # a page's worth of answers for a few hundred compounds; old ones drop out
_entries: OrderedDict = OrderedDict()
_guard = threading.Lock()


def _copy(value):
    """A copy of the lists, tuples and dicts an answer is made of (their leaves are immutable:
    str, int, None, frozen dataclasses). Several times cheaper than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy(v) for v in value)
    return value


def cached_public_read(fn=None, *, shared: bool = False):
    """Decorate a read `fn(db, *args, **kwargs)` of public data. Callers get their own copy, so one
    caller's edits to a returned list never reach another caller; `shared=True` is for answers that
    are immutable all the way down (tuples of frozen dataclasses), handed out as they are."""
    if fn is None:
        return lambda f: cached_public_read(f, shared=shared)
    give = (lambda value: value) if shared else _copy

    @functools.wraps(fn)
    def read(db, *args, **kwargs):
        # today(): an answer may count days left in an objection window.
        key = (fn.__qualname__, store_token(db), today(), args, tuple(sorted(kwargs.items())))
        with _guard:
            if key in _entries:
                _entries.move_to_end(key)
                return give(_entries[key])
        value = fn(db, *args, **kwargs)
        with _guard:
            _entries[key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        return give(value)

    read.uncached = fn          # for the benchmark's cold figure
    return read
