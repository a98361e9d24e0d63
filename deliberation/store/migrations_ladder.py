"""Migration m025: the escalation ladder and duplicates merged at any stage (issue 13, items 7
and 8), after migrations_rollout.py's m024. Registered on the one `migrations` list; a landed
migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m025_escalation_ladder(db):
    # An escalation climbs the ladder (社区 → 街道) in place: its area and level move up, and each
    # step is kept in escalation_passes with the passing officer's note for the level above (staff
    # text: redactable, never in an event). `version` guards answering and passing against a stale
    # page or a double click. `answered_level` is the level of the area that answered (the 721
    # figure counts who solved it). `withdrawn_on`: the issue was merged into another while it
    # waited, so nobody above waits to answer it. The residents' view drops withdrawn escalations
    # and shows the answering level.
    _run(db, """
ALTER TABLE escalations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE escalations ADD COLUMN answered_level TEXT
  CHECK (answered_level IN ('community', 'subdistrict', 'district'));
ALTER TABLE escalations ADD COLUMN withdrawn_on TEXT;
CREATE TABLE escalation_passes (
  id INTEGER PRIMARY KEY,
  escalation_id INTEGER NOT NULL REFERENCES escalations(id),
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  from_area_id INTEGER NOT NULL REFERENCES areas(id),
  to_area_id INTEGER NOT NULL REFERENCES areas(id),
  from_level TEXT NOT NULL CHECK (from_level IN ('community', 'subdistrict')),
  to_level TEXT NOT NULL CHECK (to_level IN ('community', 'subdistrict')),
  note TEXT NOT NULL,
  passed_by INTEGER REFERENCES users(id),
  passed_by_label TEXT NOT NULL DEFAULT '',
  passed_on TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX escalation_passes_escalation ON escalation_passes(escalation_id);
CREATE INDEX escalation_passes_issue ON escalation_passes(issue_id);
DROP VIEW public_escalations;
CREATE VIEW public_escalations AS
SELECT e.id, e.issue_id, i.compound_id, e.level_to, e.requested_on, e.answered_on, e.answer, e.answered_level
FROM escalations e JOIN issues i ON i.id = e.issue_id
WHERE e.withdrawn_on IS NULL
""")
