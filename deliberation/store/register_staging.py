"""A register import staged in this connection's TEMP tables, then written by three INSERT … SELECT.

Staging writes only the connection's private temp database, so it takes no lock on the main file;
the caller fills it before its write transaction. Inside the transaction `write_staged` copies the
rows in C, without a Python round trip per row or per household, so the write lock is held for a
fraction of a second even at the largest file the import allows (benchmarks/bench_import_lock.py).
"""
from __future__ import annotations

import json

from .db import rows, scalar

ISSUE_COLUMNS = ("compound_id", "title", "description", "category_id", "raised_by_kind", "raised_by_seat_id",
                 "raised_by_seat_name", "channel", "raised_on", "building", "priority", "public_summary", "stage",
                 "stage_entered_on", "stage_due_on", "accepted_at", "responded_at", "fix_level", "resolved_level",
                 "resolved_on", "closed_reason", "public_reply", "created_at", "updated_at")
# Per staged row besides the issue: its place in the file, its event's note and data, its households.
EXTRA_COLUMNS = ("seq", "event_note", "event_data", "households")
_STAGE = "temp.register_stage"
_NUMBERED = f"(SELECT *, row_number() OVER (ORDER BY seq) AS rn FROM {_STAGE})"


def issue_identities(db, compound_id: int) -> list[dict]:
    """What tells one of the compound's issues from another in a register file: title, date raised
    and who raised it (merged duplicates included: they exist too)."""
    return rows(db, """SELECT number, title, raised_on, raised_by_kind, raised_by_seat_name FROM issues
                       WHERE compound_id = ? ORDER BY id""", [compound_id])


def stage(db, staged: list[dict]) -> None:
    """Fill the connection's staging table with `staged` (ISSUE_COLUMNS + EXTRA_COLUMNS each).
    No lock on the database file is taken: the temp database is this connection's own."""
    columns = EXTRA_COLUMNS + ISSUE_COLUMNS
    conn = db.conn
    conn.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    conn.execute(f"CREATE TEMP TABLE register_stage ({', '.join(columns)})")
    conn.executemany(f"INSERT INTO {_STAGE} VALUES ({', '.join('?' for _ in columns)})",
                     ([row[c] for c in columns] for row in staged))


def unstage(db, seqs: list[int] | None = None) -> None:
    """Drop the staged rows `seqs` (all of them, and the table, when None)."""
    if seqs is None:
        db.conn.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    elif seqs:
        db.conn.execute(f"DELETE FROM {_STAGE} WHERE seq IN (SELECT value FROM json_each(?))", [json.dumps(seqs)])


def write_staged(db, *, compound_id: int, kind: str, actor_id: int | None, actor_label: str,
                 created_at: str) -> list[int]:
    """Inside the caller's write transaction: the staged issues with the compound's next numbers,
    one `kind` event each (to_stage: the issue's stage), and one reports row per household.
    Returns the new issue ids in file order."""
    count = scalar(db, f"SELECT count(*) FROM {_STAGE}")
    if not count:
        return []
    base_id = scalar(db, "SELECT coalesce(max(id), 0) FROM issues")
    base_number = scalar(db, "SELECT coalesce(max(number), 0) FROM issues WHERE compound_id = ?", [compound_id])
    conn = db.conn
    conn.execute(f"""INSERT INTO issues (id, number, {', '.join(ISSUE_COLUMNS)})
                     SELECT ? + rn, ? + rn, {', '.join(ISSUE_COLUMNS)} FROM {_NUMBERED} ORDER BY rn""",
                 [base_id, base_number])
    conn.execute(f"""INSERT INTO events (compound_id, issue_id, actor_id, actor_label, kind, to_stage, note, data,
                                         public, created_at)
                     SELECT compound_id, ? + rn, ?, ?, ?, stage, event_note, event_data, 0, ?
                     FROM {_NUMBERED} ORDER BY rn""", [base_id, actor_id, actor_label, kind, created_at])
    most = scalar(db, f"SELECT max(households) FROM {_STAGE}")
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                     INSERT INTO reports (issue_id, kind, seat_id, created_at)
                     SELECT ? + s.rn, s.raised_by_kind, s.raised_by_seat_id, s.created_at
                     FROM {_NUMBERED} AS s JOIN n ON n.i <= s.households""", [most, base_id])
    return [base_id + k for k in range(1, count + 1)]
