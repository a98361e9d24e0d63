"""Is this process fit to take requests? What /healthz (web/health.py) answers a load balancer or
a monitor: the database file is reachable, its migrations are current, its folder has free space
above a threshold, and its WAL and shared-memory files can be opened.

Nothing personal and no path goes out: check names, true/false, counts, megabytes, migration names
and short fixed failure names. Each check catches its own failure, so one broken check is named
and the others still report."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..store import health as health_store
from .database import database_path
from .markers import for_operators

MIN_FREE_ENV = "DELIBERATION_MIN_FREE_MB"
DEFAULT_MIN_FREE_MB = 200    # a day of writes and a backup's temporary file, with room to spare
MB = 1024 * 1024

OK, DEGRADED, FAIL = "ok", "degraded", "fail"
# Without these the app cannot serve at all; the others (space, WAL) threaten writes first.
VITAL = ("database", "migrations")


@dataclass(frozen=True)
class HealthReport:
    status: str                               # ok | degraded | fail
    checks: dict[str, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == OK


@for_operators
def health_report(path: str | Path | None = None) -> HealthReport:
    """Every check on the database file ($DELIBERATION_DB unless `path`)."""
    path = Path(path) if path else database_path()
    checks = {"database": _guarded(lambda: _database(path)),
              "migrations": _guarded(lambda: _migrations(path)),
              "disk": _guarded(lambda: _disk(path)),
              "wal": _guarded(lambda: _wal(path))}
    if all(check["ok"] for check in checks.values()):
        status = OK
    else:
        status = FAIL if not all(checks[name]["ok"] for name in VITAL) else DEGRADED
    return HealthReport(status, checks)


def _guarded(check: Callable[[], dict]) -> dict:
    try:
        return check()
    except Exception as exc:                  # noqa: BLE001 - a probe answers; it never raises
        return {"ok": False, "error": _kind(exc)}


def _kind(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "missing"
    if isinstance(exc, PermissionError):
        return "permission"
    if isinstance(exc, IsADirectoryError):
        return "not_a_file"
    return health_store.failure_kind(exc)


def _existing(path: Path) -> None:
    # Checked before SQLite opens it, for a clear name: mode=ro says only "unable to open".
    if not path.is_file():
        raise FileNotFoundError("database")


def _database(path: Path) -> dict:
    _existing(path)
    with health_store.read_only(path) as db:
        health_store.catalogue_size(db)
    return {"ok": True}


def _migrations(path: Path) -> dict:
    _existing(path)
    with health_store.read_only(path) as db:
        state = health_store.migration_state(db)
    return {"ok": not state.pending and not state.unknown, "current": state.current,
            "expected": state.expected, "pending": state.pending, "unknown": state.unknown}


def min_free_mb() -> int:
    """$DELIBERATION_MIN_FREE_MB (whole megabytes, ≥ 0), else the default. A value that is not one
    is an error, reported by the check rather than replaced quietly by the default."""
    raw = os.environ.get(MIN_FREE_ENV, "").strip()
    if not raw:
        return DEFAULT_MIN_FREE_MB
    if not raw.isascii() or not raw.isdigit():
        raise ValueError("bad_threshold")
    return int(raw)


def _disk(path: Path) -> dict:
    try:
        threshold = min_free_mb()
    except ValueError:
        return {"ok": False, "error": "bad_threshold"}
    free = shutil.disk_usage(path.parent).free // MB
    return {"ok": free >= threshold, "free_mb": free, "min_free_mb": threshold}


def _wal(path: Path) -> dict:
    """The -wal and -shm files that exist are files this process may read and write; where one does
    not exist yet, SQLite can create it (a writable folder). A full disk that cannot create the -shm
    takes down even the readers (issue 14), so the space check above matters for reads too.

    Permissions are asked with access(), never by opening the files: closing any descriptor of a
    file drops every POSIX lock this process holds on it, and SQLite's WAL locks live in the -shm."""
    folder = path.parent
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return {"ok": False, "error": "read_only"}
    found = {}
    for suffix in ("wal", "shm"):
        companion = path.with_name(f"{path.name}-{suffix}")
        if companion.exists():
            usable = companion.is_file() and os.access(companion, os.R_OK | os.W_OK)
            found[suffix] = "open" if usable else "unusable"
        else:
            found[suffix] = "absent" if os.access(folder, os.W_OK | os.X_OK) else "cannot_create"
    return {"ok": all(state in ("open", "absent") for state in found.values()), **found}
