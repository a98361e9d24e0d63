"""Notes staff give with a stage change: kept as current, redactable text that the append-only
events only point to (by id), so a correction or redaction reaches every view at once."""
from __future__ import annotations

from .db import one


def insert_note(db, issue_id: int, text: str, created_at: str) -> int:
    return db["notes"].insert({"issue_id": issue_id, "text": text, "created_at": created_at}).last_pk


def get_note(db, note_id: int) -> dict | None:
    return one(db, "SELECT * FROM notes WHERE id = ?", [note_id])


def update_note_text(db, note_id: int, text: str) -> None:
    db["notes"].update(note_id, {"text": text})
