"""Notes staff give with a stage change: kept as current, redactable text that the append-only
events only point to (by id), so a correction or redaction reaches every view at once."""
from __future__ import annotations



def insert_note(db, issue_id: int, text: str, created_at: str) -> int:
    return db["notes"].insert({"issue_id": issue_id, "text": text, "created_at": created_at}).last_pk
