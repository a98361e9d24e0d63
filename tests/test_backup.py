"""Backup under write load, restore, and the check that guards both."""
from __future__ import annotations

import io
import sqlite3
import threading

import pytest
from PIL import Image

from deliberation.cli import main
from deliberation.model.errors import DomainError
from deliberation.services.issues import raise_issue
from deliberation.services.photos import attach_photos, photo_bytes, public_photo_bytes
from deliberation.store import open_db
from deliberation.store.backup import backup, check, restore

from tests.factories import category_id, db_path, issue_in_stage, make_issue

APPEND_ONLY = ("events", "reports")


def table_rows(path, table: str) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {r[0]: r for r in conn.execute(f"SELECT rowid, * FROM [{table}]")}
    finally:
        conn.close()


def tables(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    finally:
        conn.close()


def test_a_backup_taken_while_writers_write_restores_to_the_same_rows(world, tmp_path):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    source = db_path(db)
    category = category_id(db, a)
    stop = threading.Event()
    written: list[int] = []

    def writer(k: int) -> None:
        mine = open_db(source, migrate=False)
        n = 0
        while not stop.is_set():
            n += 1
            written.append(raise_issue(mine, secretary, a, title=f"备份期间-{k}-{n}", category_id=category,
                                       raised_by_kind="resident", channel="resident_report"))
        mine.close()

    writers = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
    for w in writers:
        w.start()
    while len(written) < 30:
        threading.Event().wait(0.01)
    report = backup(source, tmp_path / "backup.db")
    while len(written) < 60:
        threading.Event().wait(0.01)
    stop.set()
    for w in writers:
        w.join()

    assert report.ok, report.text()
    restored = tmp_path / "restored.db"
    assert restore(restored, tmp_path / "backup.db").ok
    backup_file = str(tmp_path / "backup.db")
    assert tables(backup_file) == tables(str(restored))
    for table in tables(backup_file):
        in_backup, in_restore, in_source = (table_rows(backup_file, table), table_rows(str(restored), table),
                                            table_rows(source, table))
        assert in_restore == in_backup, table
        assert set(in_backup) <= set(in_source), table
        if table in APPEND_ONLY:
            assert all(in_source[k] == row for k, row in in_backup.items()), table
    issues_in_backup = len(table_rows(backup_file, "issues"))
    assert 0 < issues_in_backup < len(table_rows(source, "issues"))     # a snapshot taken mid-way
    assert check(restored).ok


def test_a_restored_database_opens_and_takes_writes(world, tmp_path):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    make_issue(db, secretary, a, title="恢复前")
    backup(db_path(db), tmp_path / "b.db")
    target = tmp_path / "restored.db"
    restore(target, tmp_path / "b.db")
    again = open_db(target)
    issue_id = make_issue(again, secretary, a, title="恢复后")
    assert again.execute("SELECT title FROM issues WHERE id = ?", [issue_id]).fetchone()[0] == "恢复后"
    assert again.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


def test_a_photo_survives_backup_and_restore_byte_identical(world, tmp_path):
    db, secretary, a = world.db, world.actors["secretary_a"], world.a
    issue_id = make_issue(db, secretary, a, title="照片随备份")
    picture = io.BytesIO()
    Image.new("RGB", (900, 700), (30, 140, 200)).save(picture, "JPEG")
    [photo_id] = attach_photos(db, secretary, issue_id, [picture.getvalue()], kind="issue", public=True)
    image, thumb = photo_bytes(db, secretary, photo_id), photo_bytes(db, secretary, photo_id, thumb=True)
    backup(db_path(db), tmp_path / "b.db")
    target = tmp_path / "restored.db"
    restore(target, tmp_path / "b.db")
    again = open_db(target)
    assert photo_bytes(again, secretary, photo_id) == image
    assert photo_bytes(again, secretary, photo_id, thumb=True) == thumb
    assert public_photo_bytes(again, a, photo_id, thumb=False) == image
    again.close()


def test_restore_refuses_while_the_app_has_the_database_open(world, tmp_path):
    db = world.db
    make_issue(db, world.actors["secretary_a"], world.a)
    backup(db_path(db), tmp_path / "b.db")
    with pytest.raises(DomainError) as refused:
        restore(db_path(db), tmp_path / "b.db")
    assert "正在被其他程序使用" in refused.value.message
    assert db.execute("SELECT count(*) FROM issues").fetchone()[0] == 1


def test_restore_replaces_a_closed_database_and_keeps_the_old_file(world, tmp_path):
    db, secretary, a = world.db, world.actors["secretary_a"], world.a
    make_issue(db, secretary, a, title="备份里有")
    backup(db_path(db), tmp_path / "b.db")
    make_issue(db, secretary, a, title="备份之后才写")
    path = db_path(db)
    db.close()
    restore(path, tmp_path / "b.db")
    titles = [r[0] for r in sqlite3.connect(path).execute("SELECT title FROM issues ORDER BY id")]
    kept = [r[0] for r in sqlite3.connect(path + ".pre-restore").execute("SELECT title FROM issues ORDER BY id")]
    assert titles == ["备份里有"]
    assert kept == ["备份里有", "备份之后才写"]


def break_rules(path) -> None:
    """Rows no service would write: an issue without events, a resolved issue without its level,
    a closed one without a reason, an event with an unknown stage, a report of a missing issue."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")
    issue = conn.execute("SELECT * FROM issues LIMIT 1").fetchone()
    columns = [d[0] for d in conn.execute("SELECT * FROM issues LIMIT 1").description]
    row = dict(zip(columns, issue))
    for changes in ({"stage": "collected"}, {"stage": "resolved", "resolved_level": None},
                    {"stage": "closed", "closed_reason": None}):
        values = {**row, "id": None, "number": None, **changes}
        conn.execute(f"INSERT INTO issues ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                     list(values.values()))
    conn.execute("""INSERT INTO events (kind, to_stage, created_at, issue_id) VALUES
                    ('transition', 'archived', '2025-01-01 00:00:00', ?)""", [row["id"]])
    conn.execute("INSERT INTO reports (issue_id, kind, created_at) VALUES (999999, 'resident', '2025-01-01')")
    conn.close()


def test_check_finds_every_broken_rule_and_says_so_in_chinese(world):
    db = world.db
    issue_in_stage(db, world.actors["secretary_a"], world.a, "resolved")
    path = db_path(db)
    assert check(path).ok
    break_rules(path)
    report = check(path)
    text = report.text()
    assert not report.ok
    for words in ("外键错误:表 reports", "没有任何事件记录的议题", "当前阶段没有对应阶段变更事件的议题",
                  "已办结但没有解决层级", "已关闭但没有关闭原因", "阶段不属于系统已知阶段的事件"):
        assert words in text, words


def test_the_cli_checks_backs_up_and_restores(world, tmp_path, capsys):
    db = world.db
    make_issue(db, world.actors["secretary_a"], world.a)
    path = db_path(db)
    assert main(["check", "--db", path]) == 0
    assert "结果:正常" in capsys.readouterr().out
    assert main(["backup", "--db", path, "-o", str(tmp_path / "b.db")]) == 0
    assert "已备份到" in capsys.readouterr().out
    assert main(["restore", "--db", str(tmp_path / "new.db"), str(tmp_path / "b.db")]) == 0
    assert "已从" in capsys.readouterr().out
    break_rules(path)
    assert main(["check", "--db", path]) == 1
    assert "发现" in capsys.readouterr().err


def test_the_cli_refuses_to_restore_a_backup_that_fails_the_check(world, tmp_path, capsys):
    db = world.db
    make_issue(db, world.actors["secretary_a"], world.a)
    bad = tmp_path / "bad.db"
    backup(db_path(db), bad)
    break_rules(str(bad))
    target = tmp_path / "target.db"
    assert main(["restore", "--db", str(target), str(bad)]) == 2
    assert "备份文件未通过检查" in capsys.readouterr().err
    assert not target.exists()


def test_check_of_a_file_that_is_not_a_database_explains_itself(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    report = check(junk)
    assert not report.ok and "数据库" in report.text()
