"""Backup, restore and check of the database file.

- `backup`: SQLite's online backup API in one step, i.e. one consistent read snapshot. In WAL
  mode a reader never blocks the writers, so the app keeps working while it runs; an
  incremental (page-by-page) backup would restart every time someone writes and might never end.
  The copy goes to a temporary file next to the target, is checked, fsynced and then renamed.
- `check`: `integrity_check`, the schema against what the migrations create (store/schema.py:
  dropped triggers, redefined views, extra tables...), `foreign_key_check` and the app's own
  invariants; every problem is a sentence in Chinese that an administrator can act on. A file
  from an older version is upgraded in a temporary copy first, then checked.
- `restore`: refuses a backup that fails `check` (so also one whose schema differs), refuses while anything else has the database
  open, copies into a temporary file, keeps the replaced file as `<db>.pre-restore` and renames
  the copy into place atomically.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..model.errors import DomainError
from ..model.lifecycle import Stage
from . import schema
from .db import open_db

STAGES = tuple(s.value for s in Stage)
# Kinds of event that move an issue into a stage (an import may record where an issue already was).
STAGE_EVENT_KINDS = ("transition", "imported")
MAX_LISTED = 10
SCHEMA_PROBLEM = "数据库结构与本版本不同:"


@dataclass
class CheckReport:
    path: str
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        head = "\n".join([f"数据库检查:{self.path}", *(f"说明:{n}" for n in self.notes)])
        if self.ok:
            return head + "\n结果:正常(完整性、数据库结构、外键和业务规则检查均通过)。"
        lines = [head, f"结果:发现 {len(self.problems)} 类问题:"]
        lines += [f"  {n}. {p}" for n, p in enumerate(self.problems, start=1)]
        if any(p.startswith(SCHEMA_PROBLEM) for p in self.problems):
            lines.append("注意:结构不同的文件可能被改动过(例如删除了事件只可追加的触发器、改写了公开视图),"
                         "不要用它恢复或继续使用。")
        lines.append("建议:停止写入,用最近一次检查通过的备份恢复(python -m deliberation restore)。")
        return "\n".join(lines)


def _connect(path: Path, *, readonly: bool = True) -> sqlite3.Connection:
    if not Path(path).exists():
        raise DomainError(f"找不到数据库文件:{path}")
    uri = f"file:{Path(path).resolve()}?mode={'ro' if readonly else 'rw'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def _ids(found: list[tuple]) -> str:
    shown = "、".join(f"#{r[0]}" for r in found[:MAX_LISTED])
    return shown + (" 等" if len(found) > MAX_LISTED else "")


def check_connection(conn: sqlite3.Connection, path: str = "") -> CheckReport:
    """Every check on an open connection, inside one read transaction (one snapshot)."""
    report = CheckReport(path=path)
    conn.execute("BEGIN")
    try:
        _check(conn, report)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"无法读取数据库(文件可能已损坏或不是数据库文件):{exc}")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    return report


def _check(conn: sqlite3.Connection, report: CheckReport) -> None:
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    if integrity != ["ok"]:
        report.problems.append("完整性检查(integrity_check)失败:" + ";".join(integrity[:5]))
        return          # the rest would read a damaged file
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = {"issues", "events", "compounds"} - tables
    if missing:
        report.problems.append("缺少数据表:" + "、".join(sorted(missing)) + "(不是本系统的数据库,或尚未初始化)")
        return
    if _schema_problems(conn, report):
        return          # the rules below assume the tables and columns the migrations create
    report.counts = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                     for t in ("compounds", "issues", "events", "meetings")}
    broken: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        broken[(table, parent)] = broken.get((table, parent), 0) + 1
    for (table, parent), n in sorted(broken.items()):
        report.problems.append(f"外键错误:表 {table} 中有 {n} 行引用的 {parent} 记录不存在")
    marks = ", ".join("?" for _ in STAGES)
    kinds = ", ".join("?" for _ in STAGE_EVENT_KINDS)
    rules = (
        ("没有任何事件记录的议题(每个议题至少应有“提出”事件)",
         "SELECT i.id FROM issues i WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id)", []),
        ("当前阶段没有对应阶段变更事件的议题",
         f"""SELECT i.id FROM issues i WHERE i.stage != 'collected' AND NOT EXISTS (
               SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.kind IN ({kinds}) AND e.to_stage = i.stage)""",
         list(STAGE_EVENT_KINDS)),
        ("已办结但没有解决层级(小区/社区/街道)的议题",
         "SELECT id FROM issues WHERE stage = 'resolved' AND resolved_level IS NULL", []),
        ("已关闭但没有关闭原因的议题",
         "SELECT id FROM issues WHERE stage = 'closed' AND (closed_reason IS NULL OR closed_reason = '')", []),
        ("阶段不属于系统已知阶段的事件",
         f"""SELECT id FROM events WHERE (from_stage IS NOT NULL AND from_stage NOT IN ({marks}))
               OR (to_stage IS NOT NULL AND to_stage NOT IN ({marks}))""", [*STAGES, *STAGES]),
    )
    for label, sql, params in rules:
        found = conn.execute(sql + " ORDER BY 1 LIMIT 1000", params).fetchall()
        if found:
            more = "至少 " if len(found) == 1000 else ""
            report.problems.append(f"{label}:{more}{len(found)} 条({_ids(found)})")


def _schema_problems(conn: sqlite3.Connection, report: CheckReport) -> bool:
    """Record how the schema differs from this version's; True if it does."""
    newer = schema.unknown_migrations(conn)
    if newer:
        report.problems.append("数据库来自更新的版本(包含本版本没有的迁移 " + "、".join(newer[:5])
                               + "),请用相同或更新版本的程序处理")
        return True
    if not schema.applied_migrations(conn):
        report.problems.append("数据库没有迁移记录(_sqlite_migrations),无法确认它由哪个版本创建")
        return True
    missing = schema.missing_migrations(conn)
    if missing:
        report.problems.append("数据库来自旧版本(缺少迁移 " + "、".join(missing[:5])
                               + (" 等" if len(missing) > 5 else "") + "),须先升级后才能比对结构")
        return True
    found = schema.differences(schema.read(conn))
    report.problems += [SCHEMA_PROBLEM + line for line in found]
    return bool(found)


def _pending(path: Path) -> list[str]:
    """Migrations an older version's file lacks; [] when it is current, unreadable or has no
    migration record at all (not ours: the full check says why, and we never build one from scratch)."""
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError:
        return []
    try:
        return schema.missing_migrations(conn) if schema.applied_migrations(conn) else []
    except sqlite3.DatabaseError:
        return []
    finally:
        conn.close()


def _upgrade(path: Path) -> str | None:
    """Apply the missing migrations to `path` (a copy we own); a Chinese reason if that fails."""
    try:
        db = open_db(path, migrate=False)
    except sqlite3.DatabaseError as exc:
        return f"无法打开数据库以升级:{exc}"
    try:
        schema.upgrade(db)
        db.execute("PRAGMA journal_mode=DELETE")     # a single self-contained file again
    except Exception as exc:      # noqa: BLE001 - a tampered schema can make any migration fail
        return f"数据库来自旧版本,但无法升级到本版本(迁移失败:{exc})"
    finally:
        db.close()
    return None


def check(path: str | Path) -> CheckReport:
    """Check a database file without changing it (read-only). A file from an older version is
    copied to a temporary directory, upgraded there and the upgraded copy is checked."""
    path = Path(path)
    missing = _pending(path)
    if missing:
        return _check_upgraded_copy(path, missing)
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError as exc:
        return CheckReport(path=str(path), problems=[f"无法打开数据库:{exc}"])
    try:
        return check_connection(conn, str(path))
    finally:
        conn.close()


def _check_upgraded_copy(path: Path, missing: list[str]) -> CheckReport:
    note = (f"文件来自旧版本(缺少迁移 {'、'.join(missing[:5])}{' 等' if len(missing) > 5 else ''}),"
            "已在临时副本上升级后检查;原文件未改动,恢复时同样在副本上升级")
    with tempfile.TemporaryDirectory(prefix="deliberation-check-") as scratch:
        copy = Path(scratch) / "upgraded.db"
        source = _connect(path)
        try:
            _copy(source, copy)
        finally:
            source.close()
        failed = _upgrade(copy)
        if failed:
            report = CheckReport(path=str(path), problems=[failed])
        else:
            conn = _connect(copy)
            try:
                report = check_connection(conn, str(path))
            finally:
                conn.close()
    report.path = str(path)
    report.notes.insert(0, note)
    return report


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """One-step online backup into `target` (a new file), left as a single self-contained file."""
    for p in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        p.unlink(missing_ok=True)
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        source.backup(dest, pages=-1)          # all pages in one step: one consistent snapshot
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def backup(db_path: str | Path, out: str | Path) -> CheckReport:
    """Copy the live database to `out` while the app keeps writing. Returns the copy's check."""
    db_path, out = Path(db_path), Path(out)
    if out.resolve() == db_path.resolve():
        raise DomainError("备份文件不能与数据库是同一个文件")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    source = _connect(db_path)
    try:
        try:
            _copy(source, tmp)
        except sqlite3.OperationalError as exc:
            tmp.unlink(missing_ok=True)
            if "full" in str(exc).lower() or "disk" in str(exc).lower():
                raise DomainError(f"备份失败:磁盘空间不足({out.parent})") from exc
            raise DomainError(f"备份失败:{exc}") from exc
    finally:
        source.close()
    report = _checked_copy(tmp, "备份文件未通过检查,已删除:")
    os.replace(tmp, out)
    report.path = str(out)
    return report


def _checked_copy(tmp: Path, refusal: str) -> CheckReport:
    """A freshly copied file, checked and flushed to disk; deleted and refused if the check fails."""
    report = check(tmp)
    if not report.ok:
        tmp.unlink(missing_ok=True)
        raise DomainError(refusal + "\n" + report.text())
    _fsync(tmp)
    return report


def _exclusive(db_path: Path) -> sqlite3.Connection:
    """A connection that holds the database exclusively, or a refusal if anyone else has it open.

    Leaving WAL mode needs every other connection closed; a running app or writer keeps the
    journal mode at 'wal' and we refuse."""
    conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=1)
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if mode != "delete":
            raise DomainError("数据库正在被其他程序使用(应用或写入进程仍在运行),为避免丢失数据,已拒绝恢复。"
                              "请先停止应用后再执行恢复")
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as exc:
        conn.close()
        raise DomainError("数据库正在被其他程序使用,已拒绝恢复;请先停止应用后再执行恢复") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def restore(db_path: str | Path, backup_file: str | Path) -> CheckReport:
    """Replace the database with a checked backup. The replaced file is kept as <db>.pre-restore."""
    db_path, backup_file = Path(db_path), Path(backup_file)
    report = check(backup_file)
    if not report.ok:
        raise DomainError("备份文件未通过检查,未执行恢复:\n" + report.text())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".restore-tmp")
    source = _connect(backup_file)
    try:
        _copy(source, tmp)
    finally:
        source.close()
    if _pending(tmp):             # an older version's file: upgrade our copy, never the backup
        failed = _upgrade(tmp)
        if failed:
            tmp.unlink(missing_ok=True)
            raise DomainError("备份文件无法升级到本版本,未执行恢复:" + failed)
    copied = _checked_copy(tmp, "恢复时复制的文件未通过检查,未执行恢复:")
    copied.notes = report.notes
    lock = _exclusive(db_path) if db_path.exists() else None
    try:
        if lock is not None:
            keep = db_path.with_name(db_path.name + ".pre-restore")
            keep.unlink(missing_ok=True)
            os.link(db_path, keep)
        os.replace(tmp, db_path)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        _fsync(db_path)
    finally:
        if lock is not None:
            lock.close()          # the lock was on the replaced file; nothing is written through it
    copied.path = str(db_path)
    return copied
