"""Schema, as sqlite-utils Migrations. A landed migration is never edited: add a new one."""
from __future__ import annotations

import sqlite3

from sqlite_utils import Migrations

migrations = Migrations("deliberation")


def split_statements(script: str) -> list[str]:
    """Whole SQL statements, in order: a line ends a statement only where SQLite says it is
    complete (so a trigger's body, with its inner semicolons, stays one statement)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():                   # the last statement may omit its semicolon
        if not sqlite3.complete_statement(pending + ";"):
            raise ValueError(f"incomplete SQL statement: {pending.strip()[:80]}")
        statements.append(pending.strip())
    return statements


def _run(db, statements: str) -> None:
    # executescript() would COMMIT the migration's transaction; run statements one by one.
    for statement in split_statements(statements):
        db.execute(statement)


@migrations()
def m001_core_schema(db):
    _run(db, """
CREATE TABLE areas (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('district', 'subdistrict', 'community')),
  parent_id INTEGER REFERENCES areas(id),
  demo INTEGER NOT NULL DEFAULT 0,
  UNIQUE (parent_id, name)
);
CREATE TABLE compounds (
  id INTEGER PRIMARY KEY,
  area_id INTEGER NOT NULL REFERENCES areas(id),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  households INTEGER,
  branch_name TEXT NOT NULL DEFAULT '',
  schedule_rule TEXT NOT NULL DEFAULT '2:1:19:00',
  schedule_place TEXT NOT NULL DEFAULT '',
  quorum_min_seats INTEGER NOT NULL DEFAULT 6,
  objection_window_days INTEGER NOT NULL DEFAULT 7,
  objection_threshold INTEGER NOT NULL DEFAULT 3,
  demo INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  UNIQUE (area_id, name)
);
CREATE TABLE seats (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  quorum_required INTEGER NOT NULL DEFAULT 0,
  retired_at TEXT,
  UNIQUE (compound_id, code)
);
CREATE TABLE members (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  seat_id INTEGER NOT NULL REFERENCES seats(id),
  name TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  active_from TEXT NOT NULL,
  active_to TEXT,
  demo INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  stage_days TEXT NOT NULL DEFAULT '{}',
  retired_at TEXT,
  UNIQUE (compound_id, name)
);
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  number INTEGER NOT NULL,
  scheduled_at TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'in_progress', 'held', 'minutes_approved', 'published')),
  chair_member_id INTEGER REFERENCES members(id),
  recorder_name TEXT NOT NULL DEFAULT '',
  started_at TEXT,
  ended_at TEXT,
  minutes_approved_at TEXT,
  published_at TEXT,
  public_summary TEXT NOT NULL DEFAULT '',
  demo INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (compound_id, number)
);
CREATE TABLE attendance (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  seat_id INTEGER NOT NULL REFERENCES seats(id),
  seat_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused', 'proxy')),
  proxy_name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, member_id)
);
CREATE TABLE issues (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category_id INTEGER NOT NULL REFERENCES categories(id),
  raised_by_kind TEXT NOT NULL CHECK (raised_by_kind IN ('seat', 'resident', 'patrol', 'hotline')),
  raised_by_seat_id INTEGER REFERENCES seats(id),
  raised_by_seat_name TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  raised_on TEXT NOT NULL,
  building TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low')),
  internal_note TEXT NOT NULL DEFAULT '',
  public_summary TEXT NOT NULL DEFAULT '',
  public_reply TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL DEFAULT 'collected'
    CHECK (stage IN ('collected', 'deliberating', 'acting', 'escalated', 'publicizing', 'resolved', 'closed')),
  stage_entered_on TEXT NOT NULL,
  stage_due_on TEXT,
  accepted_at TEXT,
  fix_level TEXT CHECK (fix_level IN ('compound', 'community', 'subdistrict')),
  resolved_level TEXT CHECK (resolved_level IN ('compound', 'community', 'subdistrict')),
  resolved_on TEXT,
  closed_reason TEXT,
  merged_into_id INTEGER REFERENCES issues(id),
  publication_round INTEGER NOT NULL DEFAULT 0,
  objection_closes_on TEXT,
  demo INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  kind TEXT NOT NULL,
  seat_id INTEGER REFERENCES seats(id),
  reporter_name TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  session_key TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE TABLE agenda_items (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  position INTEGER NOT NULL,
  discussion TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  outcome TEXT CHECK (outcome IN ('settled', 'actions', 'deferred', 'escalated')),
  decided_at TEXT,
  UNIQUE (meeting_id, issue_id)
);
CREATE TABLE votes (
  agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
  seat_id INTEGER NOT NULL REFERENCES seats(id),
  seat_name TEXT NOT NULL,
  vote TEXT NOT NULL CHECK (vote IN ('for', 'against', 'abstain')),
  PRIMARY KEY (agenda_item_id, seat_id)
);
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  agenda_item_id INTEGER REFERENCES agenda_items(id),
  seat_id INTEGER NOT NULL REFERENCES seats(id),
  seat_name TEXT NOT NULL,
  member_id INTEGER REFERENCES members(id),
  task TEXT NOT NULL,
  due_on TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  done_on TEXT,
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE TABLE escalations (
  id INTEGER PRIMARY KEY,
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  level_to TEXT NOT NULL CHECK (level_to IN ('community', 'subdistrict')),
  area_id INTEGER NOT NULL REFERENCES areas(id),
  request TEXT NOT NULL,
  requested_on TEXT NOT NULL,
  requested_by INTEGER,
  answer TEXT,
  answered_on TEXT,
  answered_by INTEGER
);
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  issue_id INTEGER NOT NULL REFERENCES issues(id),
  round INTEGER NOT NULL,
  rating TEXT NOT NULL CHECK (rating IN ('satisfied', 'basic', 'unsatisfied')),
  comment TEXT NOT NULL DEFAULT '',
  session_key TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'secretary', 'recorder', 'seat_rep')),
  area_id INTEGER REFERENCES areas(id),
  seat_code TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  demo INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE user_compounds (
  user_id INTEGER NOT NULL REFERENCES users(id),
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  PRIMARY KEY (user_id, compound_id)
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  compound_id INTEGER REFERENCES compounds(id),
  issue_id INTEGER REFERENCES issues(id),
  meeting_id INTEGER REFERENCES meetings(id),
  actor_id INTEGER,
  actor_label TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  from_stage TEXT,
  to_stage TEXT,
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}',
  public INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE INDEX areas_parent ON areas(parent_id);
CREATE INDEX compounds_area ON compounds(area_id);
CREATE INDEX members_compound ON members(compound_id, seat_id);
CREATE INDEX issues_compound_stage ON issues(compound_id, stage, raised_on);
CREATE INDEX issues_compound_raised ON issues(compound_id, raised_on);
CREATE INDEX reports_issue ON reports(issue_id);
CREATE INDEX agenda_issue ON agenda_items(issue_id);
CREATE INDEX agenda_meeting ON agenda_items(meeting_id, position);
CREATE INDEX actions_issue ON actions(issue_id);
CREATE INDEX actions_seat ON actions(seat_id, status);
CREATE INDEX escalations_issue ON escalations(issue_id);
CREATE INDEX escalations_area ON escalations(area_id, answered_on);
CREATE INDEX feedback_issue ON feedback(issue_id, round);
CREATE INDEX events_issue ON events(issue_id, id);
CREATE INDEX events_compound ON events(compound_id, id);
CREATE INDEX attendance_meeting ON attendance(meeting_id)
""")


@migrations()
def m002_public_views(db):
    # The residents' read model: only public columns exist in these views, so a page or
    # export built on them cannot show a name, phone, unit or internal note by mistake.
    _run(db, """
CREATE VIEW public_issues AS
SELECT i.id, i.compound_id, i.title, c.name AS category, i.raised_by_kind, i.raised_by_seat_name,
       i.channel, i.raised_on, i.building, i.priority, i.public_summary, i.public_reply, i.stage,
       i.stage_entered_on, i.accepted_at, i.resolved_level, i.resolved_on, i.closed_reason,
       i.merged_into_id, i.publication_round, i.objection_closes_on, i.demo, i.updated_at,
       (SELECT count(*) FROM reports r WHERE r.issue_id = i.id) AS households
FROM issues i JOIN categories c ON c.id = i.category_id;
CREATE VIEW public_meetings AS
SELECT m.id, m.compound_id, m.number, m.scheduled_at, m.place, m.status, m.public_summary,
       m.published_at, m.demo
FROM meetings m WHERE m.status = 'published';
CREATE VIEW public_escalations AS
SELECT e.id, e.issue_id, i.compound_id, e.level_to, e.requested_on, e.answered_on, e.answer
FROM escalations e JOIN issues i ON i.id = e.issue_id
""")


@migrations()
def m003_login_failures_and_audit_indexes(db):
    # Failed sign-ins are counted per typed username, whether or not such a user exists, so an
    # unknown name locks and answers exactly like a real one (no user enumeration).
    # The indexes serve the residents' rate limits (reports per browser session / per hour)
    # and the audit page's filters.
    _run(db, """
CREATE TABLE login_failures (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  last_failed_at TEXT NOT NULL,
  locked_until TEXT
);
CREATE INDEX reports_session ON reports(session_key, created_at);
CREATE INDEX reports_created ON reports(created_at);
CREATE INDEX events_kind ON events(kind, id);
CREATE INDEX events_created ON events(created_at)
""")


@migrations()
def m010_register_and_rollup_indexes(db):
    # Measured on a 1,000-compound district (benchmarks/): without these the area roll-up took
    # 1.3–2.4 s (random row look-ups); with them every roll-up query is an index-only range scan.
    # - issues_register: the register's date-ordered page and counts, and the roll-up's cohort
    #   (raised in the window: stage, level, days to resolve). merged_into_id is a column too, so
    #   SQLite 3.40 treats the partial index as covering.
    # - issues_open: open and overdue counts. A query uses this partial index only if it repeats
    #   `merged_into_id IS NULL AND stage IN (<the same five stages, same order>)`.
    # - actions_open / meetings_compound_time: overdue actions; meetings held in a period.
    _run(db, """
CREATE INDEX issues_register ON issues(compound_id, raised_on, stage, resolved_level, resolved_on, merged_into_id)
  WHERE merged_into_id IS NULL;
CREATE INDEX issues_open ON issues(compound_id, stage, stage_due_on, merged_into_id)
  WHERE merged_into_id IS NULL AND stage IN ('collected', 'deliberating', 'acting', 'escalated', 'publicizing');
CREATE INDEX actions_open ON actions(issue_id, due_on) WHERE status IN ('open', 'in_progress');
CREATE INDEX meetings_compound_time ON meetings(compound_id, scheduled_at, status)
""")


@migrations()
def m011_public_board_indexes(db):
    # The public board at district scale (benchmarks/): its newest-first page, its count and its
    # counts by stage read every issue row of the compound (scattered over a large file) without these.
    # - issues_public: the board's page ordered by updated_at, and its count (covering, with the
    #   category_id the public_issues view joins on).
    # - issues_compound_stage_cover replaces m001's issues_compound_stage (same leading columns,
    #   so every plan that used it still can) and also covers counts by stage of unmerged issues.
    _run(db, """
CREATE INDEX issues_public ON issues(compound_id, updated_at, stage, category_id, merged_into_id)
  WHERE merged_into_id IS NULL;
CREATE INDEX issues_compound_stage_cover ON issues(compound_id, stage, raised_on, category_id, merged_into_id);
DROP INDEX issues_compound_stage
""")


@migrations()
def m012_store_clock(db):
    # One row whose token every write transaction replaces (store.write). Readers that cache
    # (the public board, services/public_cache.py) key their entries on it: any committed change,
    # from any process, makes every cached answer unreachable. A random token rather than a counter,
    # so two copies of one file that then take different writes never share a token.
    _run(db, """
CREATE TABLE store_clock (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL);
INSERT INTO store_clock (id, token) VALUES (1, lower(hex(randomblob(8))))
""")


@migrations()
def m013_browser_sessions(db):
    # A signed-in browser keeps its sign-in across a reload (services/sessions.py). Only a hash of
    # the cookie's token is stored: a copy of the database cannot be used to sign in.
    _run(db, """
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ends_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id)
""")


# Issue 10's migrations (residents' voice and privacy) live beside this file; importing registers
# them on `migrations` in order, after m013.
from . import migrations_residents  # noqa: E402,F401
from . import migrations_phone  # noqa: E402,F401  (m018–m020, issue 11: after m017)
from . import migrations_board  # noqa: E402,F401  (m021–m023, issue 11: after m020)
from . import migrations_rollout  # noqa: E402,F401  (m024, issue 12: after m023)
from . import migrations_ladder  # noqa: E402,F401  (m025, issue 13: after m024)
from . import migrations_forms  # noqa: E402,F401  (m026, issue 13: after m025)
from . import migrations_audit  # noqa: E402,F401  (m027, issue 13: after m026)
from . import migrations_minutes  # noqa: E402,F401  (m028, issue 13: after m027)


def migrate(db) -> None:
    migrations.apply(db)
