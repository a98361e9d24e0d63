"""Opening the database for a caller above the services (the web): which file, and a connection to
it. Thin wrappers over store.db, so the web never imports the store."""
from __future__ import annotations

from pathlib import Path

from ..store.db import DISK_FULL_READ, DISK_FULL_WRITE, DiskFull, default_db_path, open_db, out_of_space, revived

__all__ = ["DISK_FULL_READ", "DISK_FULL_WRITE", "DiskFull", "database_path", "fresh", "open_database",
           "out_of_space"]


def database_path() -> Path:
    """The database file: $DELIBERATION_DB, else data/deliberation.db."""
    return default_db_path()


def open_database(path: str | Path | None = None, *, migrate: bool = True):
    """A new connection with the store's settings (one per script run, never shared); `migrate`
    brings the schema up to date first. On a full disk: a read-only snapshot while the file
    allows one (writes on it raise DiskFull), else DiskFull with the maintenance message."""
    return open_db(path, migrate=migrate)


def fresh(connection):
    """A kept connection, ready for this use: a full disk's read-only snapshot becomes a real
    connection again once there is room (store.db.revived). Pass a kept connection through it
    each time it is taken up. (No actor: it acts on no record, only on the connection.)"""
    return revived(connection)
