"""Deployment settings kept in the database (table `settings`, migration m018): key → text value.
Kept in the database so that backup and restore carry them with the data they belong to."""
from __future__ import annotations

from .db import scalar


def get_setting(db, key: str) -> str | None:
    """The value stored under `key`, or None when it was never set."""
    return scalar(db, "SELECT value FROM settings WHERE key = ?", [key])


def put_setting(db, key: str, value: str, updated_at: str) -> None:
    """Set `key` (inside the caller's write transaction), replacing any earlier value."""
    db["settings"].upsert({"key": key, "value": value, "updated_at": updated_at}, pk="key")


# The settings any visitor may read: no secret and nothing personal (the residents' board and
# every printed QR code show them). The server's secrets ("secret:…") are never among them.
PUBLIC_KEYS = frozenset({"public_url"})


def get_public_setting(db, key: str) -> str | None:
    """`get_setting` for the keys in PUBLIC_KEYS only: what a public read (no actor) may use."""
    if key not in PUBLIC_KEYS:
        raise ValueError(f"{key!r} is not a public setting")
    return get_setting(db, key)
