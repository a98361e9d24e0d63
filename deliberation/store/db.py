"""Opening the SQLite file and running write transactions. The only place pragmas live."""
from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from ..model.errors import StoreBusy

DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "deliberation.db"
BUSY_TIMEOUT_MS = 5000
# One write lock per database file per process. Writers in one process (the Streamlit server's
# sessions are threads) queue on it in turn instead of polling SQLite's lock with the busy
# handler's growing sleeps, which starved some writers for seconds under load (benchmarks/).
# Writers in other processes still meet at SQLite's own lock, within busy_timeout.
_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())


# Every committed write replaces the store's token (migration m012), so caches keyed on it never
# serve an answer from before a change.
TICK = "UPDATE store_clock SET token = lower(hex(randomblob(8))) WHERE id = 1"


def store_token(db: sqlite_utils.Database) -> str:
    """The token of the last committed write (one row: the same cost on any size of file)."""
    return db.execute("SELECT token FROM store_clock WHERE id = 1").fetchone()[0]


# A token per compound (migration m023), replaced by every use case that changes that compound,
# and one shared token (compound_id 0) for changes that belong to no compound (areas, settings).
# A page of one compound keyed on the pair stays valid while other compounds change: at district
# scale the global token above changes every few seconds, these rarely.
SHARED = 0


def tick_compound(db: sqlite_utils.Database, compound_id: int | None) -> None:
    """Inside a write transaction: the compound's token (the shared one for None) is new."""
    db.execute("""INSERT INTO compound_clock (compound_id, token) VALUES (?, lower(hex(randomblob(8))))
                  ON CONFLICT (compound_id) DO UPDATE SET token = excluded.token""",
               [SHARED if compound_id is None else compound_id])


def compound_token(db: sqlite_utils.Database, compound_id: int) -> str:
    """The compound's token and the shared one: changes when anything a compound page shows may have."""
    found = dict(db.execute("SELECT compound_id, token FROM compound_clock WHERE compound_id IN (?, ?)",
                            [SHARED, compound_id]).fetchall())
    return f"{found.get(SHARED, '-')}.{found.get(compound_id, '-')}"


def default_db_path() -> Path:
    return Path(os.environ.get("DELIBERATION_DB") or DEFAULT_DB)


def open_db(path: str | Path | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """A new connection with the store's settings. One per script run / thread, never shared."""
    path = Path(path) if path else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves; sqlite-utils nests as savepoints.
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db = sqlite_utils.Database(conn)
    db.write_lock = _write_lock(path)
    if migrate:
        from .migrations import migrate as run_migrations
        run_migrations(db)
    return db


def _translate(exc: sqlite3.OperationalError) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy("数据库正忙,请稍后重试(您填写的内容已保留)")
    if "full" in text:
        return StoreBusy("磁盘空间不足,保存失败;请联系管理员腾出空间后重试(您填写的内容已保留)")
    return exc


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, retried every few milliseconds (with jitter) until BUSY_TIMEOUT_MS.

    SQLite's own busy handler sleeps 1, 2, 5 … then 100 ms between tries, so with writers in several
    processes a waiter keeps missing a lock that is free most of the time (p99 of seconds, and
    "database is locked" past the timeout, in benchmarks/). Polling finely keeps the wait close
    to the queue's real length. The connection's busy_timeout is set back for everything else."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.0005
    conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() >= deadline:
                    raise _translate(exc) from exc
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.004)
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction, begun IMMEDIATE so the write lock is taken before any read."""
    conn = db.conn
    lock = getattr(db, "write_lock", None)
    if lock is not None and not lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        raise _translate(sqlite3.OperationalError("database is locked"))
    try:
        _begin_immediate(conn)
        try:
            yield db
            conn.execute(TICK)
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _translate(exc) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        if lock is not None:
            lock.release()


def rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    """Parameterised read, as dicts. Straight on the connection: sqlite-utils' query() parses the
    SQL's first keyword and de-duplicates column names on every call (a fifth of a register
    page's read time, benchmarks/)."""
    try:
        cursor = db.conn.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        return [dict(zip(keys, row)) for row in cursor.fetchall()]
    except sqlite3.OperationalError as exc:
        raise _translate(exc) from exc


def one(db: sqlite_utils.Database, sql: str, params=()) -> dict | None:
    found = rows(db, sql, params)
    return found[0] if found else None


def scalar(db: sqlite_utils.Database, sql: str, params=()):
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


@contextmanager
def bulk_loading(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """`synchronous=NORMAL` for the duration: for a bulk load that can simply be re-run after a
    crash (the demo data), not for users' writes. FULL again afterwards, whatever happens."""
    db.conn.execute("PRAGMA synchronous=NORMAL")
    try:
        yield db
    finally:
        db.conn.execute("PRAGMA synchronous=FULL")
