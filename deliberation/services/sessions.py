"""Browser sessions that survive a reload of the page.

Streamlit's own session is the websocket: a reload or a second tab starts a new one. At sign-in
the browser gets a random token in a cookie (web/common/browser_session.py); a new Streamlit session presents it
and is signed in again while the token is valid. The database keeps only the token's SHA-256, so a
leaked backup signs nobody in. A token ends at sign-out, after IDLE without use, after MAX in any
case, and for every browser of a user whose password is changed or reset or who is deactivated.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from ..store import sessions as session_store
from ..store import write
from .clock import now
from .markers import for_sign_in

IDLE = timedelta(minutes=30)        # the same idle limit as an open page (web/common/context.py)
MAX = timedelta(hours=12)           # a working day, then sign in again
TOUCH_EVERY = timedelta(minutes=5)  # how stale last_seen_at may get: one small write per 5 minutes


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stamp(moment) -> str:
    return moment.isoformat(sep=" ")


@for_sign_in
def start_session(db, user_id: int) -> str:
    """A new token for a user who has just signed in (with their password). Returns the token."""
    token = secrets.token_urlsafe(32)
    moment = now()
    with write(db):
        session_store.delete_ended_sessions(db, _stamp(moment), _stamp(moment - IDLE))
        session_store.insert_session(db, {"token_hash": _hash(token), "user_id": user_id,
                                          "created_at": _stamp(moment), "last_seen_at": _stamp(moment),
                                          "ends_at": _stamp(moment + MAX)})
    return token


@for_sign_in
def resume_session(db, token: str | None) -> int | None:
    """The user a still-valid token belongs to, else None (an ended token is deleted)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    row = session_store.session_with_user(db, _hash(token))
    if row is None:
        return None
    moment = now()
    if not row["active"] or row["ends_at"] <= _stamp(moment) or row["last_seen_at"] <= _stamp(moment - IDLE):
        end_session(db, token)
        return None
    touch_session(db, token, row["last_seen_at"])
    return row["user_id"]


@for_sign_in
def touch_session(db, token: str | None, last_seen_at: str | None = None) -> None:
    """Record that the browser is in use, at most once per TOUCH_EVERY."""
    if not token:
        return
    moment = now()
    if last_seen_at is not None and last_seen_at > _stamp(moment - TOUCH_EVERY):
        return
    with write(db):
        session_store.mark_session_seen(db, _hash(token), _stamp(moment), _stamp(moment - TOUCH_EVERY))


@for_sign_in
def end_session(db, token: str | None) -> None:
    if token:
        with write(db):
            session_store.delete_session(db, _hash(token))
