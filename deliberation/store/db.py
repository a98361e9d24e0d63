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
from urllib.parse import quote

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


# --- a full disk ----------------------------------------------------------------------------------
# In WAL mode every reader maps the -shm file, 32 KB that SQLite must write when it creates it. Once
# every connection to the file has closed (a restart, a quiet night), SQLite has removed the -shm,
# and on a full disk a fresh open fails with a disk I/O error: even the public board went down
# (issue 14). Then, if the -wal holds nothing, the main file alone is the whole database, and it is
# read "immutable" (no -shm, no -wal, no lock): a snapshot. Writes on it are refused with the
# Chinese message; it is swapped for a real connection as soon as one can be opened again.

DISK_FULL_WRITE = "磁盘空间不足,保存失败;请联系管理员腾出空间后重试(您填写的内容已保留)"
DISK_FULL_READ = ("系统维护中:服务器磁盘空间不足,此页暂时无法打开。管理员腾出空间后即自动恢复,"
                  "请稍后再试;急事请直接联系小区党支部或社区工作站。")
# SQLite's names for "a file could not be written or grown": ENOSPC, or EFBIG past a size limit.
_NO_SPACE = frozenset({"SQLITE_FULL", "SQLITE_IOERR_SHMSIZE"})
SNAPSHOT_RETRY_S = 2.0          # how often a snapshot tries to become a real connection again
SHM_SIZE = 32 * 1024            # the -shm's first region: any live WAL connection has at least this


class DiskFull(StoreBusy):
    """The disk under the database is full: a write is refused (DISK_FULL_WRITE), or, when the file
    cannot even be read safely, the page (DISK_FULL_READ). A StoreBusy, so every place that
    already shows StoreBusy's message shows this one."""


def out_of_space(exc: BaseException) -> bool:
    """Did `exc` come from the database's disk being full?"""
    if isinstance(exc, DiskFull):
        return True
    return isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorname", "") in _NO_SPACE
                                               or "database or disk is full" in str(exc))


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves; sqlite-utils nests as savepoints.
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def _snapshot(path: Path, cause: sqlite3.Error) -> sqlite3.Connection:
    """A read-only view of the main file alone, when that is the whole database: a -wal with
    frames may hold committed writes the main file lacks (after a crash), and without a -shm
    they cannot be read; then nothing is shown rather than something old."""
    wal = path.with_name(f"{path.name}-wal")
    if not path.is_file() or (wal.exists() and wal.stat().st_size > 0):
        raise DiskFull(DISK_FULL_READ) from cause
    # No -shm exists that another connection maps (it could not be grown), so no writer is live.
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True,
                           isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise DiskFull(DISK_FULL_READ) from exc
    return conn


def _shm_mapped(path: Path) -> bool:
    """A -shm of full size: another connection (maybe this process's own writer) reads through it
    now, so a real connection can be had, and the main file may be changing under the snapshot."""
    try:
        return os.stat(path.with_name(f"{path.name}-shm")).st_size >= SHM_SIZE
    except OSError:
        return False


def is_snapshot(db: sqlite_utils.Database) -> bool:
    return getattr(db, "snapshot_of", None) is not None


def revived(db: sqlite_utils.Database, *, now: bool = False) -> sqlite_utils.Database:
    """`db`, its snapshot replaced in place by a real connection when the disk has room again
    (tried every SNAPSHOT_RETRY_S, or `now`). A real connection is returned as it is. Callers
    that keep a connection (a web thread's, a Streamlit session's) pass it through here on each
    use, so reads see new writes again within seconds of the space coming back, and at once when
    another connection is reading through a -shm again. (An immutable read is only sound while the
    file does not change: the snapshot is given up as soon as it may.)"""
    path = getattr(db, "snapshot_of", None)
    if path is None or not (now or time.monotonic() >= db.snapshot_retry_at or _shm_mapped(path)):
        return db
    try:
        conn = _connect(path)
    except sqlite3.OperationalError as exc:
        if not out_of_space(exc):
            raise
        db.snapshot_retry_at = time.monotonic() + SNAPSHOT_RETRY_S
        return db
    old, db.conn, db.snapshot_of = db.conn, conn, None
    old.close()
    return db


def open_db(path: str | Path | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """A new connection with the store's settings. One per script run / thread, never shared.
    On a full disk it may be a read-only snapshot (see above); DiskFull when not even that."""
    path = Path(path) if path else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn, snapshot = _connect(path), False
    except sqlite3.OperationalError as exc:
        if not out_of_space(exc):
            raise
        conn, snapshot = _snapshot(path, exc), True
    db = sqlite_utils.Database(conn)
    db.write_lock = _write_lock(path)
    db.snapshot_of = path if snapshot else None
    db.snapshot_retry_at = time.monotonic() + SNAPSHOT_RETRY_S
    if migrate:
        from .migrations import migrate as run_migrations
        from .migrations import migrations
        if snapshot:
            if migrations.pending(db):               # an upgrade must write: nothing to show meanwhile
                conn.close()
                raise DiskFull(DISK_FULL_READ)
        else:
            try:
                run_migrations(db)
            except sqlite3.OperationalError as exc:
                if out_of_space(exc):
                    conn.close()
                    raise DiskFull(DISK_FULL_READ) from exc
                raise
    return db


def _translate(exc: sqlite3.OperationalError, *, reading: bool = False) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy("数据库正忙,请稍后重试(您填写的内容已保留)")
    if out_of_space(exc):
        return DiskFull(DISK_FULL_READ if reading else DISK_FULL_WRITE)
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
    if is_snapshot(db) and is_snapshot(revived(db, now=True)):
        raise DiskFull(DISK_FULL_WRITE)
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
        raise _translate(exc, reading=True) from exc


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
