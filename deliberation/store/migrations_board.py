"""Migrations m021–m023: the residents' light pages (issue 11), after migrations_phone.py's m018–m020.
Registered on the one `migrations` list; a landed migration is never edited: add a new one."""
from __future__ import annotations

from .migrations import _run, migrations


@migrations()
def m021_lookup_failures(db):
    # Failed "where is my concern" look-ups (services/tracking.py), counted per client (a hash of
    # its address, never the address) and per compound, so receipt secrets and household codes
    # cannot be found by trying. Rows older than a day are dropped as new ones arrive.
    _run(db, """
CREATE TABLE lookup_failures (
  id INTEGER PRIMARY KEY,
  client_key TEXT NOT NULL,
  compound_id INTEGER NOT NULL REFERENCES compounds(id),
  failed_at TEXT NOT NULL
);
CREATE INDEX lookup_failures_client ON lookup_failures(client_key, failed_at);
CREATE INDEX lookup_failures_compound ON lookup_failures(compound_id, failed_at)
""")


@migrations()
def m022_photo_indexes(db):
    # Lists of an issue's photos read these columns only: from an index that holds them, never
    # from the table's rows, whose image and thumb BLOBs (stored before removed_at) would be read
    # through. photos_report: a resident's photos by their report (the 3-photo limit, erasure).
    _run(db, """
CREATE INDEX photos_listing ON photos(issue_id, removed_at, public, kind, id, compound_id, report_id, width,
  height, sha256, created_at);
CREATE INDEX photos_report ON photos(report_id, removed_at) WHERE report_id IS NOT NULL
""")


@migrations()
def m023_compound_clock(db):
    # A token per compound, replaced by every use case that changes that compound (services/
    # use_case.changing), and a shared one (compound_id 0) for changes of no compound: the
    # residents' pages of one compound are cached on the pair (store.db.compound_token), so a
    # write in one compound of a 1,000-compound district leaves the other 999 boards cached.
    _run(db, """
CREATE TABLE compound_clock (compound_id INTEGER PRIMARY KEY, token TEXT NOT NULL)
""")
