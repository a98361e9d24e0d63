"""Migrations m014–m017: residents' voice and privacy (household codes, task changes, residents'
own words, public item summaries and notes). Registered on the one `migrations` list; a landed
migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m014_household_codes(db):
    # 议事码: one code per household (unit) of a compound, so 我也遇到, objections and ratings count
    # per household, not per browser session (services/households.py). Only the SHA-256 of the
    # normalised code is kept; a re-issued code revokes the old row and adds a new one.
    # reports/feedback get the household that spoke (NULL: a voice without a code, shown apart and
    # never counted toward the reopen threshold) and a hash of the client's address, so the abuse
    # limits hold across reloads (services/concerns.py).
    _run(db, """
CREATE TABLE household_codes (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  unit TEXT NOT NULL,
  code_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE UNIQUE INDEX household_codes_live_unit ON household_codes(compound_id, unit) WHERE revoked_at IS NULL;
ALTER TABLE reports ADD COLUMN household_code_id INTEGER REFERENCES household_codes(id);
ALTER TABLE reports ADD COLUMN client_key TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN household_code_id INTEGER REFERENCES household_codes(id);
ALTER TABLE feedback ADD COLUMN client_key TEXT NOT NULL DEFAULT '';
CREATE INDEX reports_household ON reports(household_code_id, created_at) WHERE household_code_id IS NOT NULL;
CREATE INDEX reports_client ON reports(client_key, created_at);
CREATE INDEX feedback_household ON feedback(issue_id, round, household_code_id);
CREATE INDEX feedback_client ON feedback(client_key, created_at)
""")


@migrations()
def m015_action_changes(db):
    # Issue 10: cancelling an action or moving its due date is the secretary's, with a reason, and
    # the next meeting sees it (任务变更). The reason is staff's free text, so it lives here (editable,
    # erasable) and the append-only event points at this row with the old and new due dates only.
    _run(db, """
CREATE TABLE action_changes (
  id INTEGER PRIMARY KEY,
  action_id INTEGER NOT NULL REFERENCES actions(id),
  kind TEXT NOT NULL CHECK (kind IN ('cancelled', 'rescheduled')),
  old_due_on TEXT NOT NULL,
  new_due_on TEXT,
  reason TEXT NOT NULL,
  changed_by INTEGER REFERENCES users(id),
  changed_by_label TEXT NOT NULL,
  changed_at TEXT NOT NULL
);
CREATE INDEX action_changes_action ON action_changes(action_id, changed_at)
""")


@migrations()
def m016_residents_own_words(db):
    # Issue 10: a resident's own words are personal, like the unit and contact beside them: they move
    # from issues.description (which stays the staff's text, readable by seat representatives and
    # officers) to the report that brought them, read only by the compound's secretary and recorder
    # (Action.READ_PERSONAL). Descriptions of resident-raised issues cannot be told apart (typed by the
    # resident on the board, or taken down by staff), so all of them move: the careful reading.
    _run(db, """
ALTER TABLE reports ADD COLUMN words TEXT NOT NULL DEFAULT '';
UPDATE reports SET words = (SELECT i.description FROM issues i WHERE i.id = reports.issue_id)
WHERE id IN (SELECT min(r.id) FROM reports r JOIN issues i ON i.id = r.issue_id
             WHERE i.raised_by_kind = 'resident' AND i.description != '' GROUP BY r.issue_id);
UPDATE issues SET description = '' WHERE raised_by_kind = 'resident' AND description != ''
""")


@migrations()
def m017_public_item_summaries_and_notes(db):
    # Issue 10: what residents read of a meeting is a summary the secretary writes per item, never
    # the internal 讨论情况; staff notes given with a stage change live here as current, redactable
    # text that events only point to (events are append-only and must hold no typed text).
    _run(db, """
ALTER TABLE agenda_items ADD COLUMN public_summary TEXT NOT NULL DEFAULT '';
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX notes_issue ON notes(issue_id)
""")
