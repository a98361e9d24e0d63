"""/healthz over real HTTP (uvicorn on a loopback port: tests/resident_http.py): what a load
balancer sees on a healthy file, on a file behind on its migrations, on a disk short of space, on a
missing or broken file; that the probe changes nothing; and that the answer holds nothing personal
and no path."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from deliberation.services import health as health_svc
from deliberation.services.concerns import submit_concern
from deliberation.store import open_db, rows
from deliberation.store.migrations import migrations
from deliberation.web import health
from tests.factories import category_id, db_path
from tests.resident_http import get, serving


@pytest.fixture
def probe(monkeypatch):
    """probe(path) -> (HTTP status, headers, parsed JSON) of GET /healthz with $DELIBERATION_DB = path."""
    def ask(path, method: str = "GET"):
        monkeypatch.setenv("DELIBERATION_DB", str(path))
        with serving(health.routes()) as port:
            answer = get(port, "/healthz", method=method)
        assert answer.headers["cache-control"] == "no-store"
        if method == "HEAD":
            return answer.status, answer.headers, answer.raw
        assert answer.headers["content-type"].startswith("application/json")
        assert "Traceback" not in answer.text and str(Path(path).parent) not in answer.text
        assert Path(path).name not in answer.text
        return answer.status, answer.headers, json.loads(answer.text)
    return ask


@pytest.fixture
def migrated(tmp_path) -> Path:
    path = tmp_path / "live.db"
    open_db(path).close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_fresh_migrated_database_is_healthy(probe, migrated):
    status, _, body = probe(migrated)
    assert status == 200 and body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "migrations": True, "disk": True, "wal": True}
    last = migrations.pending(open_db(":memory:", migrate=False))[-1].name
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["expected"] == last
    assert body["checks"]["migrations"]["pending"] == []
    assert body["checks"]["disk"]["min_free_mb"] == 200 and body["checks"]["disk"]["free_mb"] >= 200


def test_head_answers_the_same_status_without_a_body(probe, migrated, tmp_path):
    status, _, raw = probe(migrated, method="HEAD")
    assert status == 200 and raw == b""
    status, _, raw = probe(tmp_path / "gone.db", method="HEAD")
    assert status == 503 and raw == b""


def test_a_pending_migration_fails_the_migrations_check(probe, tmp_path):
    path = tmp_path / "behind.db"
    names = [m.name for m in migrations.pending(open_db(":memory:", migrate=False))]
    db = open_db(path, migrate=False)
    migrations.apply(db, stop_before=names[-1])
    db.close()
    before = digest(path)
    status, _, body = probe(path)
    assert status == 503 and body["status"] == "fail"
    check = body["checks"]["migrations"]
    assert check["ok"] is False and check["pending"] == [names[-1]] and check["current"] == names[-2]
    assert body["checks"]["database"]["ok"] is True
    # The probe never migrates: the file is still one migration behind.
    assert digest(path) == before
    assert [m.name for m in migrations.pending(open_db(path, migrate=False))] == [names[-1]]


def test_a_database_migrated_by_a_newer_release_is_not_current(probe, migrated):
    db = open_db(migrated, migrate=False)
    db["_sqlite_migrations"].insert({"migration_set": migrations.name, "name": "m999_from_the_future",
                                     "applied_at": "2030-01-01"})
    db.close()
    status, _, body = probe(migrated)
    assert status == 503 and body["checks"]["migrations"]["unknown"] == ["m999_from_the_future"]


def test_free_space_below_the_threshold_is_503(probe, migrated, monkeypatch):
    monkeypatch.setenv(health_svc.MIN_FREE_ENV, str(10**12))        # an exabyte: no disk has it
    status, _, body = probe(migrated)
    assert status == 503 and body["status"] == "degraded"
    disk = body["checks"]["disk"]
    assert disk["ok"] is False and disk["min_free_mb"] == 10**12 and disk["free_mb"] < disk["min_free_mb"]
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    monkeypatch.setenv(health_svc.MIN_FREE_ENV, "0")
    assert probe(migrated)[0] == 200


@pytest.mark.parametrize("value", ["lots", "-5", "1e3", "２００"])
def test_a_threshold_that_is_not_a_number_is_named_not_ignored(probe, migrated, monkeypatch, value):
    monkeypatch.setenv(health_svc.MIN_FREE_ENV, value)
    status, _, body = probe(migrated)
    assert status == 503 and body["checks"]["disk"] == {"ok": False, "error": "bad_threshold"}


def test_a_missing_database_fails_and_is_not_created(probe, tmp_path):
    path = tmp_path / "missing.db"
    status, _, body = probe(path)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "missing"}
    assert body["checks"]["migrations"]["ok"] is False
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database_fails_and_is_left_as_it_is(probe, tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is a spreadsheet, not a database\n" * 200)
    before = digest(path)
    status, _, body = probe(path)
    assert status == 503 and body["checks"]["database"] == {"ok": False, "error": "not_a_database"}
    assert digest(path) == before


def test_a_database_path_that_is_a_folder_fails(probe, tmp_path):
    path = tmp_path / "folder.db"
    path.mkdir()
    status, _, body = probe(path)
    assert status == 503 and body["checks"]["database"] == {"ok": False, "error": "missing"}


def test_a_shared_memory_file_that_cannot_be_opened_fails(probe, migrated):
    shm = migrated.with_name(migrated.name + "-shm")
    if shm.exists():
        shm.unlink()
    shm.mkdir()                         # what SQLite must open as a file is a folder
    status, _, body = probe(migrated)
    assert status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["wal"]["ok"] is False and body["checks"]["wal"]["shm"] == "unusable"


def test_a_check_that_raises_is_named_and_the_others_still_report(probe, migrated, monkeypatch):
    def broken(path):
        raise OSError("statvfs failed on /secret/place")
    monkeypatch.setattr(health_svc.shutil, "disk_usage", broken)
    status, _, body = probe(migrated)
    assert status == 503 and body["checks"]["disk"] == {"ok": False, "error": "error"}
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert "secret" not in json.dumps(body)


def test_a_failure_outside_the_checks_is_503_without_a_traceback(probe, migrated, monkeypatch):
    def broken():
        raise RuntimeError("boom at /srv/data/deliberation.db")
    monkeypatch.setattr(health, "health_report", broken)
    status, _, body = probe(migrated)
    assert status == 503
    assert body == {"status": "fail", "checks": {"health": {"ok": False, "error": "internal"}}}


def test_the_answer_holds_nothing_personal(probe, world):
    """A database with accounts, a roster and a resident's concern: none of their names, phones,
    words or contacts, and no path, is in the answer."""
    submit_concern(world.db, world.a, category_id=category_id(world.db, world.a), description="楼道灯坏了三天",
                   session_key="s" * 32, building="7栋", contact="13912345678")
    path = Path(db_path(world.db))
    status, _, body = probe(path)
    assert status == 200
    text = json.dumps(body, ensure_ascii=False)
    personal = [r["value"] for r in rows(world.db, """
        SELECT username AS value FROM users UNION SELECT display_name FROM users
        UNION SELECT name FROM members UNION SELECT phone FROM members WHERE phone != ''""")]
    personal += ["楼道灯坏了三天", "13912345678", "7栋", str(path), str(path.parent)]
    assert len(personal) > 10
    assert [value for value in personal if value in text] == []
    assert set(body) == {"status", "checks"}


def test_app_mounts_healthz_before_the_streamlit_routes():
    source = (Path(__file__).resolve().parents[1] / "app.py").read_text(encoding="utf-8")
    assert "ROUTES = [*health.routes(), " in source and "routes=ROUTES" in source
