"""Issue 14, item 5, in a real browser against the real server (app.py): a server started on a
disk filled to the last byte (a tmpfs, tests/full_disk.py) serves the public board, the residents'
light board and the staff's 工作台 and 议题台账 to a secretary signed in before; a resident's
concern sent from the board is refused with 磁盘空间不足, the text still in the form, and goes
through once space is freed. Where the file cannot be read safely (writes still only in the
-wal), every page shows the Chinese maintenance message instead: never Streamlit's error box."""
from __future__ import annotations

import re
import shutil
import sqlite3
import urllib.error
import urllib.request

from deliberation.services.concerns import submit_concern
from deliberation.store import open_db, scalar
from tests.full_disk import full_disk_folder

from .helpers import assert_no_exception, goto, shot, sign_in, wait_idle

ARTIFACTS = "test_full_disk_browser"
DISK_FULL = "磁盘空间不足"
MAINTENANCE = "系统维护中"
WORDS = "楼道里的消防栓箱门坏了关不上,请尽快修理"
DESCRIPTION = "问题描述(仅本小区支部书记和记录员可见,不在公示栏公开)"


def http_get(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def reports_in(path) -> int:
    db = open_db(path, migrate=False)
    try:
        return scalar(db, "SELECT count(*) FROM reports")
    finally:
        db.close()


def no_error_box(page, folder: str, name: str) -> None:
    assert_no_exception(page)
    shot(page, folder, name)


def send_concern(page) -> None:
    page.get_by_role("button", name="提交反映").click()
    wait_idle(page)


def test_a_server_started_on_a_full_disk_serves_the_read_pages_and_refuses_a_write_until_space_returns(
        page, streamlit_server, demo_db):
    sign_in(page, streamlit_server(demo_db), "hx_secretary")         # while the disk had room
    # Back after a break: the session's last_seen_at is due for its update, a write on the full disk.
    conn = sqlite3.connect(demo_db)
    with conn:
        conn.execute("UPDATE sessions SET last_seen_at = datetime(last_seen_at, '-10 minutes')")
    conn.close()
    with full_disk_folder() as disk:
        disk.place(demo_db)                      # the file as SQLite leaves it: no -wal, no -shm
        disk.fill()
        url = streamlit_server(disk.db)          # e.g. restarted after the disk filled up

        status, board = http_get(f"{url}/board/1")
        assert status == 200 and "鸿翔花园" in board and "抱歉,服务出了点问题" not in board

        goto(page, f"{url}/home")
        page.get_by_role("heading", name=re.compile("工作台")).first.wait_for()
        no_error_box(page, ARTIFACTS, "workbench-on-a-full-disk")
        goto(page, f"{url}/register")
        page.get_by_role("heading", name=re.compile("议题台账")).first.wait_for()
        page.get_by_text(re.compile(r"共 \d+ 个议题")).wait_for()
        page.locator('[data-testid="stDataFrame"] canvas').first.wait_for()        # the table itself, drawn
        no_error_box(page, ARTIFACTS, "register-on-a-full-disk")

        goto(page, f"{url}/public?compound=1")
        page.get_by_role("heading", name=re.compile("鸿翔花园 · 居民公示栏")).wait_for()
        assert page.get_by_text("已办结").count() >= 10
        no_error_box(page, ARTIFACTS, "public-board-on-a-full-disk")

        reports = reports_in(disk.db)
        page.get_by_role("tab", name="我要反映").click()
        wait_idle(page)
        page.get_by_label("问题类别").click()
        page.get_by_role("option", name="消防").click()
        page.get_by_label(DESCRIPTION).fill(WORDS)
        send_concern(page)
        page.get_by_text(re.compile(DISK_FULL)).first.wait_for()
        assert page.get_by_label(DESCRIPTION).input_value() == WORDS           # nothing typed is lost
        assert reports_in(disk.db) == reports
        no_error_box(page, ARTIFACTS, "concern-refused-disk-full")

        disk.make_room()
        send_concern(page)
        page.get_by_text(re.compile(r"您的反映已收到,受理编号 #\d+")).wait_for()
        assert reports_in(disk.db) == reports + 1
        no_error_box(page, ARTIFACTS, "concern-sent-after-space-returned")


def test_where_the_file_cannot_be_read_safely_every_page_says_maintenance_and_comes_back(
        page, streamlit_server, demo_db, tmp_path):
    with full_disk_folder() as disk:
        # What a crash leaves: a -wal holding a committed write the main file lacks, and no -shm to read it by.
        disk.place(demo_db)
        source = tmp_path / disk.db.name
        shutil.copyfile(disk.db, source)
        db = open_db(source)
        db.conn.execute("PRAGMA wal_autocheckpoint=0")
        submit_concern(db, 1, category_id=scalar(db, "SELECT min(id) FROM categories"), description="只在 -wal 里",
                       session_key="k" * 32)
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{source}{suffix}", f"{disk.db}{suffix}")
        db.close()
        disk.fill()
        url = streamlit_server(disk.db)

        for path, name in (("/public?compound=1", "public"), ("/register", "register"), ("/", "start")):
            goto(page, f"{url}{path}")
            page.get_by_text(re.compile(MAINTENANCE)).first.wait_for()
            assert DISK_FULL in page.locator('[data-testid="stAlert"]').first.inner_text()
            no_error_box(page, ARTIFACTS, f"maintenance-{name}")
        status, board = http_get(f"{url}/board/1")
        assert status == 503 and MAINTENANCE in board

        disk.make_room()
        goto(page, f"{url}/public?compound=1")
        page.get_by_role("heading", name=re.compile("鸿翔花园 · 居民公示栏")).wait_for()
        no_error_box(page, ARTIFACTS, "public-board-after-space-returned")
        assert http_get(f"{url}/board/1")[0] == 200
        assert reports_in(disk.db) == reports_in(source)       # the -wal's write recovered, not dropped
