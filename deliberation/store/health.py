"""Probing the database file for /healthz (services/health.py). The file is opened read-only and
never created or migrated: a probe must not turn a missing file into a new empty database, nor
write to a disk that may be full. It reads only SQLite's catalogue and the migrations' record,
never a row of the app's tables."""
from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from .db import scalar
from .migrations import migrations

PROBE_TIMEOUT_S = 1.0        # a load balancer waits a few seconds at most: a lock held longer is an answer


@contextmanager
def read_only(path: Path) -> Iterator[sqlite_utils.Database]:
    """A read-only connection to an existing file (mode=ro: a missing file is an error)."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=PROBE_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    try:
        yield sqlite_utils.Database(conn)
    finally:
        conn.close()


def catalogue_size(db: sqlite_utils.Database) -> int:
    """A trivial read that makes SQLite open the file, its WAL and its shared memory (-shm)."""
    return scalar(db, "SELECT count(*) FROM sqlite_master")


@dataclass(frozen=True)
class MigrationState:
    current: str | None          # the last migration applied to the file
    expected: str                # the last one this code knows
    pending: list[str]           # known to the code, not applied to the file
    unknown: list[str]           # applied to the file, unknown to the code (a newer release migrated it)


@functools.cache
def _known() -> tuple[str, ...]:
    """Every migration this code registers, in order (all of them are pending on an empty database)."""
    return tuple(m.name for m in migrations.pending(sqlite_utils.Database(memory=True)))


def migration_state(db: sqlite_utils.Database) -> MigrationState:
    """Read-only (sqlite-utils' pending/applied never write)."""
    known = _known()
    applied = [m.name for m in migrations.applied(db)]
    return MigrationState(current=applied[-1] if applied else None, expected=known[-1],
                          pending=[n for n in known if n not in set(applied)],
                          unknown=[n for n in applied if n not in set(known)])


def failure_kind(exc: BaseException) -> str:
    """A short fixed name for why the file could not be read: SQLite's messages are not sent out
    as they are (some name the file)."""
    text = str(exc).lower()
    for needle, kind in (("not a database", "not_a_database"), ("malformed", "corrupt"),
                         ("unable to open", "cannot_open"), ("disk i/o", "io_error"), ("full", "disk_full"),
                         ("locked", "busy"), ("busy", "busy"), ("readonly", "read_only"),
                         ("no such table", "not_this_app")):
        if needle in text:
            return kind
    return "error"
