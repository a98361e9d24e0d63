"""The database connection of a thread serving plain HTTP routes (the residents' light pages, the
staff's sign-in, /household): Starlette runs sync endpoints in a thread pool, so each worker thread
opens its own connection lazily and keeps it (a sqlite3 connection is never shared between
threads here). Streamlit pages have theirs in the session (context.get_db)."""
from __future__ import annotations

import threading

from deliberation.services.database import database_path, fresh, open_database

_local = threading.local()
_migrated: set[str] = set()         # files brought up to date by this process (once each)
_migrating = threading.Lock()


def db():
    """This thread's connection to $DELIBERATION_DB (read at each call, so a test may point it
    elsewhere), opened on first use. The first connection of the process to a file migrates it
    (a resident may arrive before any staff page has run); the others open it as it is. On a full
    disk it may be a read-only snapshot, made a real connection again once there is room."""
    path = str(database_path())
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    if path not in conns:
        with _migrating:
            first = path not in _migrated
            conns[path] = open_database(path, migrate=first)
            _migrated.add(path)
    return fresh(conns[path])
