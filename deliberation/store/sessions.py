"""Signed-in browsers: one row per cookie token, kept as its hash only."""
from __future__ import annotations

from .db import one


def insert_session(db, values: dict) -> None:
    db["sessions"].insert(values)


def session_with_user(db, token_hash: str) -> dict | None:
    """The session's user_id, last_seen_at and ends_at, and whether the user is still `active`
    (with the password hash, to see a change). One lookup by the sessions primary key
    (sqlite_autoindex_sessions_1) joined to users by its rowid: it runs on every click."""
    return one(db, """SELECT s.token_hash, s.user_id, s.last_seen_at, s.ends_at, u.active, u.password_hash,
                             u.must_change_password
                      FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?""", [token_hash])


def user_sign_in_state(db, user_id: int) -> dict | None:
    """Whether the user is active, and their password hash: why a session that is gone ended."""
    return one(db, "SELECT active, password_hash, must_change_password FROM users WHERE id = ?", [user_id])


def mark_session_seen(db, token_hash: str, at: str, seen_before: str) -> None:
    """Set last_seen_at to `at`, unless it was already set after `seen_before`."""
    db.execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at <= ?",
               [at, token_hash, seen_before])


def delete_ended_sessions(db, ended_by: str, idle_since: str) -> None:
    """Sessions past their end, or not seen since `idle_since`."""
    db.execute("DELETE FROM sessions WHERE ends_at <= ? OR last_seen_at <= ?", [ended_by, idle_since])


def delete_session(db, token_hash: str) -> None:
    db.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash])


def delete_user_sessions(db, user_id: int) -> None:
    db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])
