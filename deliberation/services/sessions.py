"""Browser sessions that survive a reload of the page.

Streamlit's own session is the websocket: a reload or a second tab starts a new one. At sign-in
the browser gets a random token in a cookie (web/browser_session.py); a new Streamlit session presents it
and is signed in again while the token is valid. The database keeps only the token's SHA-256, so a
leaked backup signs nobody in. A token ends at sign-out, after IDLE without use, after MAX in any
case, and for every browser of a user whose password is changed or reset or who is deactivated.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from ..store import one, write
from .clock import now

IDLE = timedelta(minutes=30)        # the same idle limit as an open page (web/context.py)
MAX = timedelta(hours=12)           # a working day, then sign in again
TOUCH_EVERY = timedelta(minutes=5)  # how stale last_seen_at may get: one small write per 5 minutes


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stamp(moment) -> str:
    return moment.isoformat(sep=" ")


def start_session(db, user_id: int) -> str:
    """A new token for a user who has just signed in (with their password). Returns the token."""
    token = secrets.token_urlsafe(32)
    moment = now()
    with write(db):
        db.execute("DELETE FROM sessions WHERE ends_at <= ? OR last_seen_at <= ?",
                   [_stamp(moment), _stamp(moment - IDLE)])
        db["sessions"].insert({"token_hash": _hash(token), "user_id": user_id, "created_at": _stamp(moment),
                               "last_seen_at": _stamp(moment), "ends_at": _stamp(moment + MAX)})
    return token


def resume_session(db, token: str | None) -> int | None:
    """The user a still-valid token belongs to, else None (an ended token is deleted)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    row = one(db, """SELECT s.token_hash, s.user_id, s.last_seen_at, s.ends_at, u.active FROM sessions s
                     JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?""", [_hash(token)])
    if row is None:
        return None
    moment = now()
    if not row["active"] or row["ends_at"] <= _stamp(moment) or row["last_seen_at"] <= _stamp(moment - IDLE):
        end_session(db, token)
        return None
    touch_session(db, token, row["last_seen_at"])
    return row["user_id"]


def touch_session(db, token: str | None, last_seen_at: str | None = None) -> None:
    """Record that the browser is in use, at most once per TOUCH_EVERY."""
    if not token:
        return
    moment = now()
    if last_seen_at is not None and last_seen_at > _stamp(moment - TOUCH_EVERY):
        return
    with write(db):
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at <= ?",
                   [_stamp(moment), _hash(token), _stamp(moment - TOUCH_EVERY)])


def end_session(db, token: str | None) -> None:
    if token:
        with write(db):
            db.execute("DELETE FROM sessions WHERE token_hash = ?", [_hash(token)])


def end_user_sessions(db, user_id: int) -> None:
    """Inside the caller's write transaction: sign the user out of every browser."""
    db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])
