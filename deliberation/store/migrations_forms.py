"""Migration m026: a form is submitted once (issue 13, item 6). Registered on the one `migrations`
list after the others of issue 13; a landed migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m026_form_submissions(db):
    # Each form shown to staff carries a random key (services/form_keys.py); the record a
    # submission created is remembered under it, so a double click or a resent run returns that
    # record instead of creating a second. The primary key makes it hold for two submissions at
    # once; user and compound tie a key to whoever was shown the form. No personal text here.
    _run(db, """
CREATE TABLE form_submissions (
  key TEXT PRIMARY KEY,
  form TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id),
  compound_id INTEGER REFERENCES compounds(id),
  record_id INTEGER NOT NULL,
  created_at TEXT NOT NULL
)
""")
