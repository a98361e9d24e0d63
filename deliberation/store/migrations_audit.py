"""Migration m027: when each user last looked at the 工作台 (issue 13, item 9: "answers arrived
since the last visit"). Registered on the one `migrations` list after the others of issue 13; a
landed migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m027_workbench_visits(db):
    # One row per user: the stamp of their previous visit to the 工作台. A table of its own rather
    # than a users column, so writing it on every visit never touches the account row (version,
    # password, scope) that the account pages guard.
    _run(db, """
CREATE TABLE workbench_visits (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  seen_at TEXT NOT NULL
)
""")
