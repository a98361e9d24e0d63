"""Migration m028: minutes with a workflow (issue 13, item 2 and 3), after migrations_audit.py's
m027. Registered on the one `migrations` list; a landed migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m028_minutes_workflow(db):
    # `version` on an agenda item: two secretaries correcting the same draft decision cannot
    # overwrite each other (the second is told to reload). minutes_amendments keeps every
    # correction made after approval with its reason and both texts: the approved version stays
    # readable. The residents' view of a published meeting gains `held_at`, the moment it
    # actually began (a meeting set for 12-08 but held on 12-02 was held on 12-02).
    _run(db, """
ALTER TABLE agenda_items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE minutes_amendments (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
  field TEXT NOT NULL CHECK (field IN ('discussion', 'decision')),
  old_text TEXT NOT NULL,
  new_text TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  amended_by INTEGER REFERENCES users(id),
  amended_by_label TEXT NOT NULL DEFAULT '',
  amended_at TEXT NOT NULL
);
CREATE INDEX minutes_amendments_meeting ON minutes_amendments(meeting_id, id);
DROP VIEW public_meetings;
CREATE VIEW public_meetings AS
SELECT m.id, m.compound_id, m.number, m.scheduled_at, coalesce(m.started_at, m.scheduled_at) AS held_at,
       m.place, m.status, m.public_summary, m.published_at, m.demo
FROM meetings m WHERE m.status = 'published'
""")
