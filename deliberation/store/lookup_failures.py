"""Failed "where is my concern" look-ups (migration m021), counted per client and per compound so
receipt secrets and household codes cannot be found by trying (services/tracking.py)."""
from __future__ import annotations

from .db import rows


def failures_since(db, since: str, *, client_key: str | None = None, compound_id: int | None = None) -> dict:
    """{n, oldest}: failed look-ups since `since` by one client, or in one compound."""
    column, value = ("client_key", client_key) if client_key is not None else ("compound_id", compound_id)
    return rows(db, f"""SELECT count(*) AS n, min(failed_at) AS oldest FROM lookup_failures
                        WHERE {column} = ? AND failed_at >= ?""", [value, since])[0]


def add_failure(db, client_key: str, compound_id: int, failed_at: str, *, forget_before: str) -> None:
    """One more failure (inside the caller's write transaction); rows older than `forget_before`
    no longer count anywhere and are dropped, so the table stays small."""
    db.execute("DELETE FROM lookup_failures WHERE failed_at < ?", [forget_before])
    db["lookup_failures"].insert({"client_key": client_key, "compound_id": compound_id, "failed_at": failed_at})
