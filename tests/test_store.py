"""The store: schema from migrations, connection settings, append-only events, and
optimistic versions that refuse a stale write without losing the first one."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from deliberation.model.errors import StaleRecord
from deliberation.services import meetings as meeting_svc
from deliberation.services.actions import cancel_action, update_action
from deliberation.services.compounds import get_compound, update_compound_rules
from deliberation.services.issues import update_issue
from deliberation.store import meetings as meeting_store
from deliberation.store import one, open_db
from deliberation.store.migrations import migrate, migrations
from tests.factories import actions_for, held_meeting_with_quorum, make_issue, version_of

TABLES = {"areas", "compounds", "seats", "members", "categories", "meetings", "attendance", "issues", "reports",
          "agenda_items", "votes", "actions", "escalations", "feedback", "users", "user_compounds", "events",
          "_sqlite_migrations"}
VIEWS = {"public_issues", "public_meetings", "public_escalations"}
STALE = "该记录已被他人修改,请刷新后重试"


def schema(db) -> list[tuple]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def applied(db) -> list[tuple]:
    return db.execute("SELECT * FROM _sqlite_migrations ORDER BY rowid").fetchall()


def test_migrations_from_an_empty_file_create_every_table_and_view(tmp_path):
    db = open_db(tmp_path / "empty.db", migrate=False)
    assert db.table_names() == []
    every_migration = [m.name for m in migrations.pending(db)]
    assert every_migration[:2] == ["m001_core_schema", "m002_public_views"]
    migrate(db)
    assert TABLES <= set(db.table_names())          # later migrations may add more
    assert VIEWS <= set(db.view_names())
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")} >= {
        "events_no_update", "events_no_delete"}
    assert [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")] == every_migration
    assert migrations.pending(db) == []


def test_running_the_migrations_again_changes_nothing(fresh_db, tmp_path):
    before = (schema(fresh_db), applied(fresh_db))
    migrate(fresh_db)
    assert (schema(fresh_db), applied(fresh_db)) == before
    fresh_db.close()
    reopened = open_db(tmp_path / "t.db")
    assert (schema(reopened), applied(reopened)) == before


def test_a_connection_uses_wal_full_sync_foreign_keys_and_a_busy_timeout(fresh_db):
    pragma = lambda name: fresh_db.execute(f"PRAGMA {name}").fetchone()[0]   # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000


def test_foreign_keys_are_enforced(fresh_db):
    with pytest.raises(sqlite3.IntegrityError):
        fresh_db.execute("INSERT INTO compounds (area_id, name, created_at) VALUES (999, '无区域', '2024-01-01')")


def test_events_cannot_be_updated(world):
    db = world.db
    make_issue(db, world.actors["secretary_a"], world.a)
    before = db.execute("SELECT * FROM events ORDER BY id").fetchall()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET note = '篡改' WHERE kind = 'raised'")
    assert db.execute("SELECT * FROM events ORDER BY id").fetchall() == before


def test_events_cannot_be_deleted(world):
    db = world.db
    make_issue(db, world.actors["secretary_a"], world.a)
    before = db.execute("SELECT * FROM events ORDER BY id").fetchall()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM events")
    assert db.execute("SELECT * FROM events ORDER BY id").fetchall() == before


def test_a_stale_issue_edit_is_refused_and_the_first_writer_keeps_their_change(world):
    db, secretary, recorder = world.db, world.actors["secretary_a"], world.actors["recorder_a"]
    issue_id = make_issue(db, secretary, world.a)
    read_by_both = version_of(db, issue_id)
    update_issue(db, secretary, issue_id, read_by_both, title="车位不足(地面)", description="书记补充")
    events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(StaleRecord) as stale:
        update_issue(db, recorder, issue_id, read_by_both, title="车位不足(地库)")
    assert stale.value.message == STALE
    row = one(db, "SELECT title, description, version FROM issues WHERE id = ?", [issue_id])
    assert row == {"title": "车位不足(地面)", "description": "书记补充", "version": read_by_both + 1}
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_a_stale_meeting_reschedule_is_refused_and_the_first_writer_keeps_their_change(world):
    db, secretary, recorder = world.db, world.actors["secretary_a"], world.actors["recorder_a"]
    meeting_id = meeting_svc.schedule_meeting(db, secretary, world.a)
    read_by_both = meeting_store.require_meeting(db, meeting_id)["version"]
    first = datetime(2030, 3, 12, 19, 0)
    meeting_svc.reschedule_meeting(db, secretary, meeting_id, read_by_both, scheduled_at=first, place="三楼会议室")
    with pytest.raises(StaleRecord) as stale:
        meeting_svc.reschedule_meeting(db, recorder, meeting_id, read_by_both,
                                       scheduled_at=first + timedelta(days=1), place="架空层")
    assert stale.value.message == STALE
    row = one(db, "SELECT scheduled_at, place, version FROM meetings WHERE id = ?", [meeting_id])
    assert row == {"scheduled_at": "2030-03-12 19:00", "place": "三楼会议室", "version": read_by_both + 1}


def test_a_stale_action_update_is_refused_and_the_first_writer_keeps_their_change(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    held_meeting_with_quorum(db, secretary, world.a, {issue_id: {
        "outcome": "actions", "actions": actions_for(db, world.a, "property")}})
    action = one(db, "SELECT id, version FROM actions WHERE issue_id = ?", [issue_id])
    update_action(db, world.actors["seat_rep_property_a"], action["id"], action["version"],
                  status="in_progress", note="已进场")
    with pytest.raises(StaleRecord) as stale:
        cancel_action(db, secretary, action["id"], action["version"], reason="取消")
    assert stale.value.message == STALE
    row = one(db, "SELECT status, note, version FROM actions WHERE id = ?", [action["id"]])
    assert row == {"status": "in_progress", "note": "已进场", "version": action["version"] + 1}


def test_a_stale_rule_change_is_refused(world):
    db, admin = world.db, world.actors["admin"]
    version = get_compound(db, world.a).version
    update_compound_rules(db, admin, world.a, version, quorum_min_seats=4)
    with pytest.raises(StaleRecord):
        update_compound_rules(db, world.actors["secretary_a"], world.a, version, quorum_min_seats=7)
    assert get_compound(db, world.a).quorum_min_seats == 4


def test_a_failed_write_leaves_no_transaction_open(world):
    db = world.db
    issue_id = make_issue(db, world.actors["secretary_a"], world.a)
    with pytest.raises(StaleRecord):
        update_issue(db, world.actors["secretary_a"], issue_id, 99, title="x")
    assert not db.conn.in_transaction


def test_migration_scripts_split_into_whole_statements_with_triggers_kept_in_one_piece():
    from deliberation.store.migrations import split_statements
    script = """CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b');
CREATE TRIGGER t_no_update BEFORE UPDATE ON t
BEGIN
  SELECT RAISE(ABORT, 'append-only; no update');
END;
CREATE INDEX t_note ON t(note)"""
    assert [s.split()[:2] for s in split_statements(script)] == [
        ["CREATE", "TABLE"], ["CREATE", "TRIGGER"], ["CREATE", "INDEX"]]
    assert split_statements(script)[1].endswith("END;")


def test_an_unfinished_migration_statement_is_refused_not_run_in_pieces():
    from deliberation.store.migrations import split_statements
    with pytest.raises(ValueError, match="incomplete SQL statement"):
        split_statements("CREATE TRIGGER x BEFORE UPDATE ON t BEGIN SELECT 1;")
