"""Browser sessions that survive a reload of the page.

Streamlit's own session is the websocket: a reload or a second tab starts a new one. At sign-in
the browser gets a random token in a cookie (web/common/browser_session.py); a new Streamlit session presents it
and is signed in again while the token is valid. The database keeps only the token's SHA-256, so a
leaked backup signs nobody in. A token ends at sign-out, after IDLE without use, after MAX in any
case, and for every browser of a user whose password is changed or reset or who is deactivated.

An open tab keeps its token and a `Held` note (session_held) and asks `why_ended` on every
script run: one lookup by the sessions primary key, so a change made anywhere reaches every open
tab on its next click. A password change ends every session of the user, the changing tab's too
(the page that changed it starts a new one for itself, browser_session.remember): other tabs of
the same browser end like other browsers.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..store import sessions as session_store
from ..store import write
from ..store.db import DiskFull
from .clock import now
from .markers import for_sign_in

IDLE = timedelta(minutes=30)        # the same idle limit as an open page (web/common/context.py)
MAX = timedelta(hours=12)           # a working day, then sign in again
TOUCH_EVERY = timedelta(minutes=5)  # how stale last_seen_at may get: one small write per 5 minutes
# An open tab's own idle clock (web/common/context.py) counts from its last click, and its row's
# last_seen_at may lag that by TOUCH_EVERY: a row seen within this may still be an open tab's.
SEEN_WITHIN = IDLE + TOUCH_EVERY


# Why an open tab's session ended (why_ended); the sign-in page says it (strings "signin.ended.*").
EXPIRED = "expired"                    # past MAX since the password was typed
IDLE_ENDED = "idle"                    # its browser was not seen for SEEN_WITHIN
PASSWORD_CHANGED = "password_changed"  # changed by the user, in another browser or tab
PASSWORD_RESET = "password_reset"      # reset by an admin (a one-time password)
DEACTIVATED = "deactivated"            # the account was deactivated (or removed)
SIGNED_OUT = "signed_out"              # sign-out in another tab of the browser


@dataclass(frozen=True)
class Held:
    """What an open tab keeps beside its token: whose it is, when it ends at the latest, and a
    mark of the password it was signed in with (a short hash of the hash: a change shows)."""
    user_id: int
    ends_at: str
    password_mark: str


def _mark(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


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
        session_store.delete_ended_sessions(db, _stamp(moment), _stamp(moment - SEEN_WITHIN))
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
    try:
        with write(db):
            session_store.mark_session_seen(db, _hash(token), _stamp(moment), _stamp(moment - TOUCH_EVERY))
    except DiskFull:            # reading must go on while the disk is full; last_seen_at catches up later
        pass


@for_sign_in
def end_session(db, token: str | None) -> None:
    if token:
        with write(db):
            session_store.delete_session(db, _hash(token))


@for_sign_in
def session_held(db, token: str | None) -> Held | None:
    """At sign-in or restore: the note an open tab keeps for `why_ended`; None for no live token."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    row = session_store.session_with_user(db, _hash(token))
    if row is None:
        return None
    return Held(user_id=row["user_id"], ends_at=row["ends_at"], password_mark=_mark(row["password_hash"]))


@for_sign_in
def why_ended(db, token: str | None, held: Held | None) -> str | None:
    """None while the tab's session is valid, else why it ended (EXPIRED, PASSWORD_CHANGED, ...).
    Runs on every click: a valid session costs one primary-key lookup and no write."""
    if not isinstance(token, str) or not token or len(token) > 200 or held is None:
        return SIGNED_OUT
    row = session_store.session_with_user(db, _hash(token))
    if row is not None and row["user_id"] != held.user_id:        # not this tab's: never end it
        return SIGNED_OUT
    moment = now()
    if (row is not None and row["active"] and _mark(row["password_hash"]) == held.password_mark
            and row["ends_at"] > _stamp(moment) and row["last_seen_at"] > _stamp(moment - SEEN_WITHIN)):
        return None
    if row is not None:
        end_session(db, token)
    return _reason(db, row, held, _stamp(moment))


def _reason(db, row: dict | None, held: Held, moment: str) -> str:
    """The plainest true cause, the account's state first: a deactivated account or a new
    password says more than "signed out", which is what a deleted session alone would show."""
    user = row if row is not None else session_store.user_sign_in_state(db, held.user_id)
    if user is None or not user["active"]:
        return DEACTIVATED
    if _mark(user["password_hash"]) != held.password_mark:
        return PASSWORD_RESET if user["must_change_password"] else PASSWORD_CHANGED
    if (row["ends_at"] if row is not None else held.ends_at) <= moment:
        return EXPIRED
    return IDLE_ENDED if row is not None else SIGNED_OUT
