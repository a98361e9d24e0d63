"""Issues (议题): the register's rows and their stage, version and outcome."""
from __future__ import annotations

from .db import one

# A merged issue lives on in the one it joined: every count and list of issues reads only the
# live ones. (SQL fragment; `i.` is the issues alias used throughout the store.)
LIVE = "i.merged_into_id IS NULL"


def get_issue(db, issue_id: int) -> dict | None:
    return one(db, "SELECT * FROM issues WHERE id = ?", [issue_id])
