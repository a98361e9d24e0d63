"""Opening the database for a caller above the services (the web): which file, and a connection to
it. Thin wrappers over store.db, so the web never imports the store."""
from __future__ import annotations

from pathlib import Path

from ..store.db import default_db_path, open_db


def database_path() -> Path:
    """The database file: $DELIBERATION_DB, else data/deliberation.db."""
    return default_db_path()


def open_database(path: str | Path | None = None, *, migrate: bool = True):
    """A new connection with the store's settings (one per script run, never shared); `migrate`
    brings the schema up to date first."""
    return open_db(path, migrate=migrate)
