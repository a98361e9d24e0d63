"""Migrations m018–m020: residents on a phone (issue 11). Registered on the one `migrations` list after
m017; a landed migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m018_numbers_photos_response_clock(db):
    # Issue numbers per compound: 鸿翔花园's next issue is #16, not the database's #155. The number
    # is what a resident's receipt, the board's links and the staff pages show; ids stay internal.
    # responded_at: when a resident's concern was first accepted, merged or answered (the response
    # clock, per compound limit response_limit_hours). reports.receipt_hash: the SHA-256 of the
    # secret a resident gets with the receipt, to look the concern up without a household code.
    # photos: re-encoded images kept in the database, so backup and restore carry them; a
    # resident's photo is private (public = 0) until the secretary marks it public.
    # settings: deployment settings kept in the database (key → value).
    _run(db, """
ALTER TABLE issues ADD COLUMN number INTEGER;
UPDATE issues SET number = n.k FROM
  (SELECT id, row_number() OVER (PARTITION BY compound_id ORDER BY id) AS k FROM issues) AS n
WHERE n.id = issues.id;
CREATE UNIQUE INDEX issues_compound_number ON issues(compound_id, number);
ALTER TABLE issues ADD COLUMN responded_at TEXT;
UPDATE issues SET responded_at = coalesce(accepted_at,
  (SELECT min(e.created_at) FROM events e WHERE e.issue_id = issues.id AND e.kind IN ('transition', 'merged')));
ALTER TABLE compounds ADD COLUMN response_limit_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE reports ADD COLUMN receipt_hash TEXT;
CREATE INDEX reports_receipt ON reports(receipt_hash) WHERE receipt_hash IS NOT NULL;
CREATE TABLE photos (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  report_id INTEGER REFERENCES reports(id),
  kind TEXT NOT NULL CHECK (kind IN ('concern', 'issue', 'result')),
  public INTEGER NOT NULL DEFAULT 0,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  image BLOB NOT NULL,
  thumb BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  removed_at TEXT
);
CREATE INDEX photos_issue ON photos(issue_id, id);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
DROP VIEW public_issues;
CREATE VIEW public_issues AS
SELECT i.id, i.compound_id, i.number, i.title, c.name AS category, i.raised_by_kind, i.raised_by_seat_name,
       i.channel, i.raised_on, i.building, i.priority, i.public_summary, i.public_reply, i.stage,
       i.stage_entered_on, i.accepted_at, i.responded_at, i.resolved_level, i.resolved_on, i.closed_reason,
       i.merged_into_id, i.publication_round, i.objection_closes_on, i.demo, i.updated_at,
       (SELECT count(*) FROM reports r WHERE r.issue_id = i.id) AS households
FROM issues i JOIN categories c ON c.id = i.category_id;
CREATE VIEW public_photos AS
SELECT p.id, p.compound_id, p.issue_id, p.kind, p.width, p.height, p.image, p.thumb, p.created_at
FROM photos p WHERE p.public = 1 AND p.removed_at IS NULL
""")


@migrations()
def m019_public_response_clock(db):
    # The response clock of one concern as the resident's track page shows it: times only (when it
    # arrived, when it was first answered, the compound's limit), no personal column. A view of its
    # own so the public @public_read services read it like every other public view.
    _run(db, """
CREATE VIEW public_response_clock AS
SELECT i.id, i.compound_id, i.raised_by_kind, i.created_at AS received_at, i.responded_at,
       c.response_limit_hours
FROM issues i JOIN compounds c ON c.id = i.compound_id
""")


@migrations()
def m020_response_and_rates_indexes(db):
    # The 工作台's concerns waiting for a first answer (services/response_clock.py), and the 三率 of
    # a period (store/rates.py: residents' concerns raised in it, issues ended in it, households'
    # ratings given in it, reached from a few compounds' issues or from a district's period).
    _run(db, """
CREATE INDEX issues_unanswered ON issues(compound_id, created_at) WHERE responded_at IS NULL;
CREATE INDEX issues_resident_clock ON issues(compound_id, raised_on, created_at, responded_at)
  WHERE raised_by_kind = 'resident';
CREATE INDEX issues_ended ON issues(compound_id, stage, stage_entered_on, closed_reason, merged_into_id);
CREATE INDEX feedback_household_rating ON feedback(created_at, issue_id, round, household_code_id, rating)
  WHERE household_code_id IS NOT NULL;
CREATE INDEX feedback_issue_rating ON feedback(issue_id, created_at, round, household_code_id, rating)
  WHERE household_code_id IS NOT NULL
""")
