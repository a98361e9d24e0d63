"""The service layer's clock: real time, or a moment frozen while history is replayed."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

_frozen_clock: ContextVar[datetime | None] = ContextVar("frozen_clock", default=None)


def now() -> datetime:
    return _frozen_clock.get() or datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


def stamp() -> str:
    """`now()` as stored in the database's TEXT timestamps."""
    return now().isoformat(sep=" ")


@contextmanager
def clock_at(moment: datetime):
    """Replay history (the demo cases, imports) with events dated when they happened."""
    token = _frozen_clock.set(moment)
    try:
        yield
    finally:
        _frozen_clock.reset(token)
