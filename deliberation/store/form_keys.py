"""form_submissions: which record a form's key created (see migrations_forms.py)."""
from __future__ import annotations

from .db import one


def find(db, key: str) -> dict | None:
    return one(db, "SELECT key, form, user_id, compound_id, record_id FROM form_submissions WHERE key = ?", [key])


def remember(db, *, key: str, form: str, user_id: int | None, compound_id: int | None, record_id: int,
             created_at: str) -> None:
    """Inside the caller's write transaction, with the record it created: a second insert of the
    same key fails (primary key), rolling that second record back with it."""
    db.conn.execute("INSERT INTO form_submissions (key, form, user_id, compound_id, record_id, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [key, form, user_id, compound_id, record_id, created_at])
