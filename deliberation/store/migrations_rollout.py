"""Migration m024: rollout without code (issue 12), after migrations_board.py's m021–m023.
Registered on the one `migrations` list; a landed migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m024_rollout(db):
    # Areas and compounds are retired, never deleted (their history stays); an officer may be granted
    # the right to manage the compounds under their area (users.manages_compounds); a new account
    # starts with a one-time password that must be replaced at the first sign-in
    # (users.must_change_password). The deployment's public address lives in `settings`
    # (key 'public_url', migration m018).
    _run(db, """
ALTER TABLE areas ADD COLUMN retired_at TEXT;
ALTER TABLE compounds ADD COLUMN retired_at TEXT;
ALTER TABLE users ADD COLUMN manages_compounds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
""")
