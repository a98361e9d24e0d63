"""The schema's fingerprint: what the migrations create, and how a given file differs from it.

A backup is data *and* code: its triggers keep the events append-only and its views decide what
the public board shows. A file whose triggers were dropped or whose `public_issues` view was
redefined passes integrity_check, so `check` and `restore` compare the whole schema (tables and
their columns, indexes, triggers, views) with a fresh database built by this version's migrations.

Rows of the migrations table are not schema, but they say which version wrote the file: a file
missing some migrations is older (restore upgrades its own copy, then compares); a file with
migrations this version does not know is newer and is refused.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import sqlite_utils

from .migrations import migrate, migrations

MIGRATIONS_TABLE = "_sqlite_migrations"
KIND_NAMES = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}
MAX_DIFFERENCES = 30
# Only these sqlite_* names are the engine's; anything else so named (planted with
# writable_schema, say) is compared like every other object.
ENGINE_TABLES = re.compile(r"sqlite_(sequence|stat\d)$")


@dataclass(frozen=True)
class Schema:
    objects: dict[tuple[str, str], str]            # (type, name) -> normalised sql ('' for autoindexes)
    columns: dict[str, tuple[tuple, ...]]          # table -> PRAGMA table_xinfo rows (cid dropped)
    migrations: tuple[str, ...]                    # names recorded in this app's migration set


def _layout(text: str) -> str:
    text = re.sub(r'[\[\]"`]', "", text.lower())
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([(),;=<>|+*/-])\s*", r"\1", text)


def normalise(sql: str | None) -> str:
    """SQL text compared for meaning, not layout: the case of keywords and names, identifier
    quoting and whitespace are ignored (the same migration run by another sqlite-utils release may
    quote names differently); string literals ('resident', ...) are kept exactly."""
    if not sql:
        return ""
    parts = re.split(r"('(?:[^']|'')*')", sql)
    return "".join(part if n % 2 else _layout(part) for n, part in enumerate(parts)).strip(" ;")


def read(conn: sqlite3.Connection) -> Schema:
    """The schema of an open connection (read only)."""
    objects, columns = {}, {}
    found = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    for kind, name, sql in found:
        if kind == "table" and ENGINE_TABLES.match(name):
            continue            # the engine's own bookkeeping (AUTOINCREMENT, ANALYZE), not the app's
        objects[(kind, name)] = normalise(sql)
        if kind == "table":
            # A parameter, not the name in the SQL: a hostile backup chooses its own table names.
            found = conn.execute("SELECT * FROM pragma_table_xinfo(?)", [name])
            columns[name] = tuple(tuple(r[1:]) for r in found)
    return Schema(objects, columns, applied_migrations(conn))


def applied_migrations(conn: sqlite3.Connection) -> tuple[str, ...]:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          [MIGRATIONS_TABLE]).fetchone()
    if not exists:
        return ()
    return tuple(r[0] for r in conn.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY id", [migrations.name]))


@lru_cache(maxsize=1)
def expected() -> Schema:
    """What this version's migrations create, built once per process in memory."""
    db = sqlite_utils.Database(memory=True)
    try:
        migrate(db)
        return read(db.conn)
    finally:
        db.close()


def known_migrations() -> tuple[str, ...]:
    return expected().migrations


def missing_migrations(conn: sqlite3.Connection) -> list[str]:
    """This version's migrations the file has not had (in order): it was written by an older version."""
    applied = set(applied_migrations(conn))
    return [name for name in known_migrations() if name not in applied]


def unknown_migrations(conn: sqlite3.Connection) -> list[str]:
    """Migrations recorded in the file that this version does not have: a newer version wrote it."""
    known = set(known_migrations())
    return [name for name in applied_migrations(conn) if name not in known]


def upgrade(db: sqlite_utils.Database) -> None:
    """Apply the missing migrations (only ever to a copy: never to a backup or the live file)."""
    migrate(db)


def _column_words(column: tuple) -> str:
    _name, kind, notnull, default, pk, hidden = column
    words = [kind or "无类型", "非空" if notnull else "可空"]
    words.append(f"默认值 {default}" if default is not None else "无默认值")
    if pk:
        words.append("主键")
    if hidden:
        words.append("生成列")
    return " ".join(words)


def _column_differences(table: str, have: tuple, want: tuple) -> list[str]:
    have_by, want_by = {c[0]: c for c in have}, {c[0]: c for c in want}
    lines = [f"表 {table} 缺少列 {name}" for name in want_by if name not in have_by]
    lines += [f"表 {table} 多出列 {name}" for name in have_by if name not in want_by]
    for name, column in want_by.items():
        if name in have_by and have_by[name] != column:
            lines.append(f"表 {table} 的列 {name} 定义不同(应为:{_column_words(column)};"
                         f"实际:{_column_words(have_by[name])})")
    return lines


def differences(actual: Schema, wanted: Schema | None = None) -> list[str]:
    """Every way `actual` differs from what the migrations create, one Chinese line each."""
    wanted = wanted or expected()
    lines: list[str] = []
    for (kind, name), sql in sorted(wanted.objects.items()):
        word = KIND_NAMES.get(kind, kind)
        if (kind, name) not in actual.objects:
            lines.append(f"缺少{word} {name}")
        elif kind == "table":
            column_lines = _column_differences(name, actual.columns[name], wanted.columns[name])
            lines += column_lines
            if not column_lines and actual.objects[(kind, name)] != sql:
                lines.append(f"表 {name} 的定义(约束或外键)与本版本不同")
        elif actual.objects[(kind, name)] != sql:
            lines.append(f"{word} {name} 的定义与本版本不同")
    for (kind, name) in sorted(set(actual.objects) - set(wanted.objects)):
        lines.append(f"多出的{KIND_NAMES.get(kind, kind)} {name}")
    if len(lines) > MAX_DIFFERENCES:
        lines = lines[:MAX_DIFFERENCES] + [f"……另有 {len(lines) - MAX_DIFFERENCES} 处不同未列出"]
    return lines
