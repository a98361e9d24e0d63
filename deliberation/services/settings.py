"""Deployment settings kept in the database (store/settings.py). Here: the server's secrets,
created on first use, so a fresh install needs no configuration and a restore keeps them."""
from __future__ import annotations

import secrets

from ..store import settings as settings_store
from ..store import write
from .clock import stamp
from .markers import for_sign_in


@for_sign_in
def server_secret(db, name: str) -> bytes:
    """The secret `name` (e.g. "csrf": the key of the board forms' tokens), made on first use.
    Marked for_sign_in: like a sign-in step it protects a form before there is an actor, and it
    is never shown to anyone."""
    key = f"secret:{name}"
    value = settings_store.get_setting(db, key)
    if value is None:
        with write(db):                               # two first requests at once: one secret wins
            value = settings_store.get_setting(db, key)
            if value is None:
                value = secrets.token_hex(32)
                settings_store.put_setting(db, key, value, stamp())
    return bytes.fromhex(value)
