"""Issue 14, item 5: a full disk must not take down the pages that only read. On a tmpfs filled to
the last byte (tests/full_disk.py), with the database as SQLite leaves it once every connection has
closed (no -shm: a restarted server), the residents' board and issue pages are served, a resident's
write is refused in Chinese (磁盘空间不足) above the form as typed and nothing stored is lost, and
once space is freed the same server writes again. A -wal still holding writes the main file lacks
is never papered over with the older main file: the page says 系统维护中 instead.

The light pages run in uvicorn (tests/resident_http.py) beside /healthz; the Streamlit pages under
a full disk are in tests/e2e/test_full_disk_browser.py."""
from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest
from markupsafe import escape

from deliberation.model.errors import StoreBusy
from deliberation.services import public
from deliberation.services.concerns import concern_categories, submit_concern
from deliberation.services.settings import server_secret
from deliberation.store import open_db, scalar
from deliberation.store.backup import check
from deliberation.web import health, resident
from deliberation.web.resident.csrf import FIELD
from deliberation.web.resident.render import clear_page_cache

from tests.factories import is_chinese
from tests.full_disk import full_disk_folder
from tests.resident_http import Browser, get, serving

COMPOUND = 1                                    # 鸿翔花园 in the demo data
DISK_FULL = "磁盘空间不足"
MAINTENANCE = "系统维护中"
GENERIC = "抱歉,服务出了点问题"                  # the resident pages' apology for a crash (500)
TYPED = "楼道灯坏了一个多月,晚上很黑<b>不是标签</b>"


@pytest.fixture
def disk(demo_path):
    """The demo database alone on a 4 MB tmpfs, not yet full."""
    with full_disk_folder() as disk:
        disk.place(demo_path)
        yield disk


def board_of(db) -> dict:
    """What the public board of COMPOUND shows: its counts and its first page of issues."""
    issues, total = public.public_issues(db, COMPOUND, page_size=50)
    return {"counts": public.public_stage_counts(db, COMPOUND), "total": total,
            "titles": [(issue.number, issue.title) for issue in issues]}


def stored(path) -> tuple[int, int]:
    """(issues, reports) in the file, read with a connection of its own (closed again)."""
    db = open_db(path, migrate=False)
    try:
        return scalar(db, "SELECT count(*) FROM issues"), scalar(db, "SELECT count(*) FROM reports")
    finally:
        db.close()


def concern(db, text: str):
    category = concern_categories(db, COMPOUND)[0]["id"]
    return submit_concern(db, COMPOUND, category_id=category, description=text, session_key="s" * 32)


# --- the store ------------------------------------------------------------------------------------

def test_a_database_every_connection_closed_is_still_read_on_a_full_disk_writes_refused_then_resumed(disk):
    db = open_db(disk.db)
    before = board_of(db)
    db.close()
    assert disk.companions() == {}                  # the last connection took its -wal and -shm away
    disk.fill()

    db = open_db(disk.db)                           # was: sqlite3.OperationalError: disk I/O error
    assert board_of(db) == before and before["titles"]
    counts = stored(disk.db)
    with pytest.raises(StoreBusy) as refused:
        concern(db, TYPED)
    assert DISK_FULL in refused.value.message and is_chinese(refused.value.message)
    assert stored(disk.db) == counts and board_of(db) == before

    disk.make_room()
    receipt = concern(db, TYPED)                    # the same connection writes again
    assert scalar(db, "SELECT count(*) FROM issues WHERE id = ?", [receipt.issue_id]) == 1
    assert stored(disk.db) == (counts[0] + 1, counts[1] + 1)
    db.close()
    report = check(disk.db)
    assert report.ok, report.text()


def test_writes_still_only_in_the_wal_are_never_hidden_behind_the_older_main_file(disk, tmp_path):
    # What a crash leaves (a -wal holding committed writes), without a -shm to read it by.
    source = tmp_path / disk.db.name
    shutil.copyfile(disk.db, source)
    db = open_db(source)
    db.conn.execute("PRAGMA wal_autocheckpoint=0")
    receipt = concern(db, "崩溃前最后一次写入")
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{source}{suffix}", f"{disk.db}{suffix}")
    db.close()
    old = sqlite3.connect(f"file:{disk.db}?mode=ro&immutable=1", uri=True)
    assert old.execute("SELECT count(*) FROM issues WHERE id = ?", [receipt.issue_id]).fetchone()[0] == 0
    old.close()                                     # the main file alone would show the board without it
    disk.fill()

    with pytest.raises(StoreBusy) as refused:
        open_db(disk.db)
    assert MAINTENANCE in refused.value.message and DISK_FULL in refused.value.message

    disk.make_room()
    db = open_db(disk.db)
    assert scalar(db, "SELECT count(*) FROM issues WHERE id = ?", [receipt.issue_id]) == 1
    db.close()


# --- the residents' pages over HTTP ---------------------------------------------------------------

@pytest.fixture
def served(disk, monkeypatch):
    """/healthz and the resident routes in uvicorn on the tmpfs database (the form secret made
    while there was room, as on any server that has shown a form before)."""
    db = open_db(disk.db)
    server_secret(db, "csrf")
    db.close()
    monkeypatch.setenv("DELIBERATION_DB", str(disk.db))
    monkeypatch.setenv("DELIBERATION_MIN_FREE_MB", "1")
    clear_page_cache()
    with serving([*health.routes(), *resident.routes()]) as port:
        yield disk, port
    clear_page_cache()


def token_of(html: str) -> str:
    return re.search(rf'name="{FIELD}" value="([0-9a-f]+)"', html)[1]


def send_report(phone: Browser, text: str):
    form = phone.get(f"/board/{COMPOUND}/report")
    assert form.status_code == 200, form.text
    category = re.search(r'<option value="(\d+)"', form.text)[1]
    return phone.post(f"/board/{COMPOUND}/report", files=[("photos", ("", b"", "application/octet-stream"))],
                      data={FIELD: token_of(form.text), "category_id": category, "description": text,
                            "building": "5栋", "contact": "", "household_code": "", "intent": "send"})


def test_the_board_and_issue_pages_are_served_on_a_full_disk_and_a_report_is_refused_as_typed(served):
    disk, port = served
    db = open_db(disk.db)
    before = board_of(db)
    db.close()
    counts = stored(disk.db)
    disk.fill()

    board = get(port, f"/board/{COMPOUND}")
    assert board.status == 200, board.text
    assert "鸿翔花园" in board.text and GENERIC not in board.text
    number, title = before["titles"][0]
    assert str(escape(title)) in board.text
    issue = get(port, f"/board/{COMPOUND}/issues/{number}")
    assert issue.status == 200 and str(escape(title)) in issue.text
    assert get(port, f"/board/{COMPOUND}/track").status == 200

    phone = Browser(port)
    refused = send_report(phone, TYPED)
    assert refused.status_code == 400
    assert DISK_FULL in refused.text and GENERIC not in refused.text
    assert str(escape(TYPED)) in refused.text                   # the form comes back as typed
    lookup = phone.post(f"/board/{COMPOUND}/track", data={FIELD: token_of(phone.get(f"/board/{COMPOUND}/track").text),
                                                          "number": "12", "code": "ABCD-EFGH"})
    assert DISK_FULL in lookup.text and 'value="12"' in lookup.text and GENERIC not in lookup.text
    assert stored(disk.db) == counts

    probe = get(port, "/healthz")
    assert probe.status == 503 and probe.headers["content-type"].startswith("application/json")
    checks = json.loads(probe.text)["checks"]
    assert checks["disk"] == {"ok": False, "free_mb": 0, "min_free_mb": 1}

    disk.make_room()
    sent = send_report(phone, TYPED)
    assert sent.status_code == 200 and re.search(r'class="big">#\d+<', sent.text), sent.text
    assert stored(disk.db) == (counts[0] + 1, counts[1] + 1)
    assert get(port, f"/board/{COMPOUND}").status == 200
    assert get(port, "/healthz").status == 200


def test_a_page_that_cannot_be_read_safely_says_maintenance_in_chinese_and_comes_back(served, tmp_path):
    disk, port = served
    source = tmp_path / disk.db.name
    shutil.copyfile(disk.db, source)
    db = open_db(source)
    db.conn.execute("PRAGMA wal_autocheckpoint=0")
    receipt = concern(db, "只在 -wal 里的一次写入")
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{source}{suffix}", f"{disk.db}{suffix}")
    db.close()
    disk.fill()

    for path in (f"/board/{COMPOUND}", f"/board/{COMPOUND}/issues/1", f"/board/{COMPOUND}/track"):
        page = get(port, path)
        assert page.status == 503, (path, page.status)
        assert MAINTENANCE in page.text and DISK_FULL in page.text and GENERIC not in page.text
        assert page.headers.get("retry-after")

    disk.make_room()
    assert get(port, f"/board/{COMPOUND}").status == 200
    db = open_db(disk.db, migrate=False)
    assert scalar(db, "SELECT count(*) FROM issues WHERE id = ?", [receipt.issue_id]) == 1     # nothing lost
    db.close()


def test_the_staff_sign_in_page_on_a_full_disk_says_why_in_chinese_never_a_crash(disk, monkeypatch):
    """A new install's database has no form secret yet, and making it is a write: the sign-in page
    says the disk is full (503, Retry-After) instead of a 500; with room again it signs in."""
    from deliberation.web.signin import http as sign_in_http
    from tests.test_sign_in_http import SAME, call, token_on

    db = open_db(disk.db, migrate=False)
    assert scalar(db, "SELECT count(*) FROM settings WHERE key = 'secret:staff-forms'") == 0
    db.close()
    monkeypatch.setenv("DELIBERATION_DB", str(disk.db))
    disk.fill()
    with serving(sign_in_http.routes()) as port:
        status, headers, page = call(port, "GET", "/signin")
        assert status == 503 and dict(headers)["retry-after"] == "60"
        assert MAINTENANCE in page and DISK_FULL in page and GENERIC not in page and 'name="password"' not in page
        disk.make_room()
        status, _, page = call(port, "GET", "/signin")
        fields = {"csrf_token": token_on(page), "username": "hx_secretary", "password": "Demo2026!", "next": "/"}
        assert status == 200 and call(port, "POST", "/signin", fields, SAME)[0] == 303
