"""`restore` and `check` compare the schema with what the migrations create (issue 14, item 4).

A tampered backup passes integrity_check: its append-only triggers dropped, its public view showing
units and phones, an extra table, a missing index. Each is refused with the difference named in
Chinese and the live file left byte for byte as it was."""
from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
import sqlite_utils

from deliberation.cli import main
from deliberation.model.errors import DomainError
from deliberation.services.public import public_issues
from deliberation.store import open_db
from deliberation.store.backup import backup, check, restore
from deliberation.store.migrations import migrations
from deliberation.store.schema import expected, normalise, read

from tests.factories import db_path, make_issue

LEAKY_VIEW = """CREATE VIEW public_issues AS
SELECT i.id, i.compound_id, i.number, i.title, c.name AS category, i.raised_by_kind, i.raised_by_seat_name,
       i.channel, i.raised_on, i.building, i.priority, i.public_summary, i.public_reply, i.stage,
       i.stage_entered_on, i.accepted_at, i.responded_at, i.resolved_level, i.resolved_on, i.closed_reason,
       i.merged_into_id, i.publication_round, i.objection_closes_on, i.demo, i.updated_at,
       (SELECT group_concat(r.unit || ' ' || r.contact) FROM reports r WHERE r.issue_id = i.id) AS households
FROM issues i JOIN categories c ON c.id = i.category_id"""

TAMPERING = {
    "dropped trigger": (["DROP TRIGGER events_no_delete"], "缺少触发器 events_no_delete"),
    "changed view": (["DROP VIEW public_issues", LEAKY_VIEW], "视图 public_issues 的定义与本版本不同"),
    "extra table": (["CREATE TABLE exfiltrate (id INTEGER PRIMARY KEY, payload TEXT)"], "多出的表 exfiltrate"),
    "missing index": (["DROP INDEX issues_compound_number"], "缺少索引 issues_compound_number"),
    "extra column": (["ALTER TABLE reports ADD COLUMN leak TEXT"], "表 reports 多出列 leak"),
    # A name that would end the bracket of a PRAGMA built by hand: it is only ever a parameter.
    "hostile table name": (['CREATE TABLE "x]); --" (id INTEGER)'], "多出的表 x]); --"),
}


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def tamper(path, statements) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def live_and_backup(world, tmp_path):
    """A closed live database with one issue, and a clean backup of it."""
    make_issue(world.db, world.actors["secretary_a"], world.a, title="恢复前的议题")
    clean = tmp_path / "clean.db"
    backup(db_path(world.db), clean)
    live = tmp_path / "live.db"
    restore(live, clean)
    return live, clean


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_restore_refuses_a_tampered_schema_and_leaves_the_live_file_alone(live_and_backup, tmp_path, case):
    live, clean = live_and_backup
    statements, named = TAMPERING[case]
    bad = tmp_path / "bad.db"
    bad.write_bytes(clean.read_bytes())
    tamper(bad, statements)
    assert sqlite3.connect(bad).execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # only the schema gives it away
    before, backup_before, files = digest(live), digest(bad), set(tmp_path.iterdir())

    with pytest.raises(DomainError) as refused:
        restore(live, bad)

    assert named in refused.value.message
    assert "未执行恢复" in refused.value.message
    assert digest(live) == before
    assert digest(bad) == backup_before                 # the backup is never "repaired" in place
    assert set(tmp_path.iterdir()) == files              # no temporary copy, no .pre-restore


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_check_names_the_schema_difference(live_and_backup, case, capsys):
    live, _clean = live_and_backup
    statements, named = TAMPERING[case]
    tamper(live, statements)
    report = check(live)
    assert not report.ok and named in report.text()
    assert main(["check", "--db", str(live)]) == 1
    assert named in capsys.readouterr().err


def test_the_cli_refuses_a_tampered_restore_with_exit_code_and_the_reason(live_and_backup, tmp_path, capsys):
    live, clean = live_and_backup
    bad = tmp_path / "bad.db"
    bad.write_bytes(clean.read_bytes())
    tamper(bad, ["DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete"])
    before = digest(live)
    assert main(["restore", "--db", str(live), str(bad)]) != 0
    err = capsys.readouterr().err
    assert "缺少触发器 events_no_update" in err and "缺少触发器 events_no_delete" in err
    assert digest(live) == before


def test_a_clean_backup_restores_and_serves_as_before(live_and_backup, world, tmp_path, capsys):
    live, clean = live_and_backup
    assert main(["check", "--db", str(clean)]) == 0
    assert "数据库结构" in capsys.readouterr().out
    report = restore(live, clean)
    assert report.ok, report.text()
    again = open_db(live)
    try:
        assert [r[0] for r in again.execute("SELECT title FROM issues")] == ["恢复前的议题"]
        shown, total = public_issues(again, world.a)
        assert total == len(shown)                          # the board reads the restored views
        assert read(again.conn).objects == expected().objects
        with pytest.raises(sqlite3.DatabaseError):          # the restored events are still append-only
            again.execute("DELETE FROM events")
    finally:
        again.close()


def older_version(path, *, stop_before: str) -> None:
    """A database as an older release left it: every migration before `stop_before`, nothing after."""
    db = sqlite_utils.Database(sqlite3.connect(str(path), isolation_level=None))
    migrations.apply(db, stop_before=stop_before)
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()


def test_an_older_versions_backup_is_upgraded_in_a_copy_then_restored(tmp_path):
    old = tmp_path / "old.db"
    older_version(old, stop_before="m024_rollout")
    untouched = digest(old)

    report = check(old)
    assert report.ok, report.text()
    assert "旧版本" in report.text() and "m024_rollout" in report.text()
    assert digest(old) == untouched

    live = tmp_path / "live.db"
    restore(live, old)
    assert digest(old) == untouched
    conn = sqlite3.connect(live)
    try:
        assert read(conn).objects == expected().objects
        assert read(conn).migrations == expected().migrations
    finally:
        conn.close()


def test_an_older_backup_with_a_dropped_trigger_is_still_refused(tmp_path):
    old = tmp_path / "old.db"
    older_version(old, stop_before="m020_response_and_rates_indexes")
    tamper(old, ["DROP TRIGGER events_no_delete"])
    live = tmp_path / "live.db"
    live.write_bytes(b"")                                       # something there that must stay
    with pytest.raises(DomainError) as refused:
        restore(live, old)
    assert "缺少触发器 events_no_delete" in refused.value.message
    assert live.read_bytes() == b""
    assert "旧版本" in check(old).text()


def test_a_newer_versions_backup_is_refused(live_and_backup, tmp_path):
    live, clean = live_and_backup
    newer = tmp_path / "newer.db"
    newer.write_bytes(clean.read_bytes())
    tamper(newer, ["INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                   "VALUES ('deliberation', 'm099_future', '2030-01-01')"])
    before = digest(live)
    with pytest.raises(DomainError) as refused:
        restore(live, newer)
    assert "更新的版本" in refused.value.message and "m099_future" in refused.value.message
    assert digest(live) == before


def test_an_empty_database_is_not_upgraded_into_a_valid_one(tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    report = check(empty)
    assert not report.ok and "缺少数据表" in report.text()
    with pytest.raises(DomainError):
        restore(tmp_path / "live.db", empty)
    assert not (tmp_path / "live.db").exists()


def test_layout_is_ignored_but_a_changed_literal_is_not():
    wanted = normalise("CREATE VIEW v AS SELECT a, b FROM t WHERE kind = 'resident'")
    assert normalise('create  view [v] as\n  select "a",b from `t` where kind=\'resident\';') == wanted
    assert normalise("CREATE VIEW v AS SELECT a, b FROM t WHERE kind = 'Resident'") != wanted
    assert normalise("CREATE VIEW v AS SELECT a, b, c FROM t WHERE kind = 'resident'") != wanted


def test_check_json_says_the_schema_differs(live_and_backup, capsys):
    live, _clean = live_and_backup
    tamper(live, ["DROP TRIGGER events_no_update"])
    assert main(["check", "--db", str(live), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and any("缺少触发器 events_no_update" in p for p in out["problems"])
