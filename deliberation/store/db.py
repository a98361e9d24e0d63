"""Opening the SQLite file and running write transactions. The only place pragmas live."""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from ..model.errors import StoreBusy

DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "deliberation.db"
BUSY_TIMEOUT_MS = 5000


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


@contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction, begun IMMEDIATE so the write lock is taken before any read."""
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _translate(exc) from exc
    try:
        yield db
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise _translate(exc) from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    """Parameterised read, as dicts."""
    try:
        return list(db.query(sql, params))
    except sqlite3.OperationalError as exc:
        raise _translate(exc) from exc


def one(db: sqlite_utils.Database, sql: str, params=()) -> dict | None:
    found = rows(db, sql, params)
    return found[0] if found else None


def scalar(db: sqlite_utils.Database, sql: str, params=()):
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None
