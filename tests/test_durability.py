"""The store under stress: concurrent writers, races, a killed writer, a full disk, a held lock,
two secretaries on one issue. No timings are asserted (those live in benchmarks/)."""
from __future__ import annotations

import multiprocessing
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from deliberation.model.errors import DomainError, StaleRecord, StoreBusy
from deliberation.model.lifecycle import Stage
from deliberation.services.actors import load_actor
from deliberation.services.issues import raise_issue, transition_issue, update_issue
from deliberation.services.users import create_user
from deliberation.store import db as store_db
from deliberation.store import open_db
from deliberation.store.backup import check

from tests.conftest import PYTEST_MAIN
from tests.factories import (build_world, category_id, db_path, issue_in_stage, make_issue, run_together, seat_id,
                             version_of)

BUSY_MESSAGE = "数据库正忙,请稍后重试"
DISK_FULL_MESSAGE = "磁盘空间不足"


def _forkserver():
    """Children forked from a clean server process: fast, and no SQLite state copied from pytest."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["deliberation.services.issues", "deliberation.store", __name__])
    return ctx


@contextmanager
def _pytest_main():
    """Start children with pytest's __main__, not a Streamlit page an earlier AppTest left there
    (the child would run the page, open the app's database and die before writing)."""
    page, sys.modules["__main__"] = sys.modules["__main__"], PYTEST_MAIN
    try:
        yield
    finally:
        sys.modules["__main__"] = page


# --- children (module level: they are pickled by name) ---------------------------------------

def _write_many(path: str, user_id: int, compound_id: int, category: int, tag: str, writes: int) -> dict:
    """raise_issue, and every third write an update_issue of the last one, through the services."""
    db = open_db(path, migrate=False)
    actor = load_actor(db, user_id)
    raised, edits, errors, last = [], 0, [], None
    for n in range(writes):
        try:
            if last is not None and n % 3 == 2:
                last = (last[0], update_issue(db, actor, last[0], last[1], description=f"{tag} 更新 {n}"))
                edits += 1
            else:
                issue_id = raise_issue(db, actor, compound_id, title=f"{tag}-{n}", category_id=category,
                                       raised_by_kind="resident", channel="resident_report")
                raised.append(issue_id)
                last = (issue_id, 1)
        except Exception as exc:                    # noqa: BLE001 - every failure is reported
            errors.append(f"{type(exc).__name__}: {exc}")
    db.close()
    return {"raised": raised, "edits": edits, "errors": errors}


def _writer_process(path, user_id, compound_id, category, tag, threads, writes, queue) -> None:
    results: list = []
    workers = [threading.Thread(target=lambda k=k: results.append(
        _write_many(path, user_id, compound_id, category, f"{tag}t{k}", writes))) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(results)


def _acknowledging_writer(path: str, user_id: int, compound_id: int, category: int, ack_fd: int) -> None:
    """In a forked child: writes until killed; reports each issue id only after its commit returned."""
    db = open_db(path, migrate=False)
    actor = load_actor(db, user_id)
    os.write(ack_fd, b"ready\n")
    n = 0
    while True:
        n += 1
        issue_id = raise_issue(db, actor, compound_id, title=f"kill-{os.getpid()}-{n}", category_id=category,
                               raised_by_kind="resident", channel="resident_report",
                               description="写入中途可能被 SIGKILL 终止" * 20)
        os.write(ack_fd, f"{issue_id}\n".encode())


# --- concurrent writers ---------------------------------------------------------------------

def test_threads_and_processes_writing_at_once_lose_nothing_and_never_surface_a_lock(world):
    db, a = world.db, world.a
    path, user = db_path(db), world.actors["secretary_a"].user_id
    category = category_id(db, a)
    ctx = _forkserver()
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer_process, args=(path, user, a, category, f"p{p}", 3, 30, queue))
             for p in range(3)]
    with _pytest_main():
        for p in procs:
            p.start()
    here: list = []
    threads = [threading.Thread(target=lambda k=k: here.append(_write_many(path, user, a, category, f"main{k}", 30)))
               for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = here + [r for _ in procs for r in queue.get(timeout=300)]
    for p in procs:
        p.join(timeout=60)

    assert [e for r in results for e in r["errors"]] == []
    raised = [i for r in results for i in r["raised"]]
    assert len(raised) == 12 * 20
    found = {r[0] for r in db.execute("SELECT id FROM issues WHERE id IN (SELECT value FROM json_each(?))",
                                      [str(raised)])}
    assert found == set(raised)
    edited = db.execute("SELECT count(*) FROM events WHERE kind = 'edited'").fetchone()[0]
    assert edited == sum(r["edits"] for r in results) == 12 * 10
    assert check(path).ok


def test_fifty_parallel_resolutions_of_one_issue_succeed_exactly_once(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = issue_in_stage(db, secretary, world.a, Stage.DELIBERATING)
    version, path = version_of(db, issue_id), db_path(db)
    barrier = threading.Barrier(50)
    outcomes: list = []

    def resolve() -> None:
        mine = open_db(path, migrate=False)
        barrier.wait()
        try:
            transition_issue(mine, secretary, issue_id, "resolved", expected_version=version, level="compound")
            outcomes.append("ok")
        except StaleRecord:
            outcomes.append("stale")
        except DomainError as exc:
            outcomes.append(f"refused: {exc.message}")
        finally:
            mine.close()

    run_together(resolve, 50)

    assert outcomes.count("ok") == 1
    assert len(outcomes) == 50 and not [o for o in outcomes if o.startswith("refused") and "正忙" in o]
    events = db.execute("""SELECT count(*) FROM events WHERE issue_id = ? AND kind = 'transition'
                           AND to_stage = 'resolved'""", [issue_id]).fetchone()[0]
    assert events == 1
    assert db.execute("SELECT stage, resolved_level, version FROM issues WHERE id = ?", [issue_id]).fetchone() \
        == ("resolved", "compound", version + 1)


# --- a writer killed mid-transaction ------------------------------------------------------------

def _read_lines(fd: int) -> list[bytes]:
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    return data.split(b"\n")


def test_a_writer_killed_at_random_moments_two_hundred_times_loses_no_acknowledged_commit(world):
    db, a = world.db, world.a
    path, user, category = db_path(db), world.actors["secretary_a"].user_id, category_id(db, a)
    # Fork with no connection to this file open here: a forked child must not inherit SQLite's
    # per-process lock bookkeeping for a file that the parent has open.
    db.close()
    rnd = random.Random(20261122)
    acknowledged: list[int] = []
    for _ in range(200):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:                                       # the child never returns
            try:
                os.close(read_fd)
                _acknowledging_writer(path, user, a, category, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        ready = os.read(read_fd, 6)
        assert ready == b"ready\n"
        time.sleep(rnd.uniform(0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        lines = _read_lines(read_fd)
        os.close(read_fd)
        acknowledged += [int(line) for line in lines[:-1]]      # the last piece may be cut short

    db = open_db(path)
    assert len(acknowledged) > 20            # the children did commit (how many depends on the machine)
    found = {r[0] for r in db.execute("SELECT id FROM issues WHERE id IN (SELECT value FROM json_each(?))",
                                      [str(acknowledged)])}
    assert found == set(acknowledged)
    orphans = db.execute("""SELECT count(*) FROM issues i WHERE NOT EXISTS
                            (SELECT 1 FROM events e WHERE e.issue_id = i.id)""").fetchone()[0]
    assert orphans == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    report = check(path)
    assert report.ok, report.text()


# --- the disk filling up ------------------------------------------------------------------------

def _mount_tmpfs(size: str) -> Path | None:
    target = Path(tempfile.mkdtemp(prefix="full-disk-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                          capture_output=True)
    if done.returncode != 0:
        target.rmdir()
        return None
    return target


def _fill(directory: Path, leave: int) -> Path:
    """A filler file that leaves about `leave` bytes free on the file system."""
    stats = os.statvfs(directory)
    filler = directory / "filler.bin"
    with open(filler, "wb") as f:
        remaining = stats.f_bavail * stats.f_frsize - leave
        while remaining > 0:
            chunk = min(remaining, 1 << 20)
            f.write(b"\0" * chunk)
            remaining -= chunk
    return filler


def _raise_until_refused(db, actor, compound_id: int, category: int, limit: int = 2000):
    written, refusal = [], None
    for n in range(limit):
        try:
            written.append(raise_issue(db, actor, compound_id, title=f"满盘-{n}", category_id=category,
                                       raised_by_kind="resident", channel="resident_report",
                                       description="占用空间" * 200))
        except DomainError as exc:
            refusal = exc
            break
    return written, refusal


def test_a_full_disk_refuses_the_write_in_chinese_loses_nothing_and_writing_resumes(password_hash):
    mount = _mount_tmpfs("3m")
    if mount is None:
        _full_disk_by_file_size_limit(password_hash)
        return
    try:
        db = open_db(mount / "t.db")
        world = build_world(db, password_hash)
        secretary, a = world.actors["secretary_a"], world.a
        category = category_id(db, a)
        before = [raise_issue(db, secretary, a, title="满盘之前", category_id=category,
                              raised_by_kind="resident", channel="resident_report")]
        filler = _fill(mount, leave=48 * 1024)
        written, refusal = _raise_until_refused(db, secretary, a, category)

        assert isinstance(refusal, StoreBusy) and DISK_FULL_MESSAGE in refusal.message
        kept = {r[0] for r in db.execute("SELECT id FROM issues")}
        assert set(before + written) <= kept
        filler.unlink()
        again = raise_issue(db, secretary, a, title="腾出空间之后", category_id=category,
                            raised_by_kind="resident", channel="resident_report")
        assert db.execute("SELECT title FROM issues WHERE id = ?", [again]).fetchone()[0] == "腾出空间之后"
        db.close()
        report = check(mount / "t.db")
        assert report.ok, report.text()
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        mount.rmdir()


def _limited_writer(path: str, user_id: int, compound_id: int, category: int, queue) -> None:
    """In a child: a file size limit just above the database's size, SIGXFSZ ignored."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    db = open_db(path, migrate=False)
    actor = load_actor(db, user_id)
    limit = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p)) + 64 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    written, refusal = _raise_until_refused(db, actor, compound_id, category)
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    queue.put((written, type(refusal).__name__ if refusal else None, getattr(refusal, "message", "")))


def _full_disk_by_file_size_limit(password_hash) -> None:
    """Where tmpfs cannot be mounted: the same story with RLIMIT_FSIZE in a child process."""
    directory = Path(tempfile.mkdtemp(prefix="fsize-"))
    db = open_db(directory / "t.db")
    world = build_world(db, password_hash)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    a, user = world.a, world.actors["secretary_a"].user_id
    ctx = _forkserver()
    queue = ctx.Queue()
    child = ctx.Process(target=_limited_writer, args=(str(directory / "t.db"), user, a, category_id(db, a), queue))
    with _pytest_main():
        child.start()
    written, kind, message = queue.get(timeout=120)
    child.join(timeout=30)
    assert kind == "StoreBusy" and DISK_FULL_MESSAGE in message
    assert set(written) <= {r[0] for r in db.execute("SELECT id FROM issues")}
    again = raise_issue(db, world.actors["secretary_a"], a, title="限制解除之后", category_id=category_id(db, a),
                        raised_by_kind="resident", channel="resident_report")
    assert again
    assert check(directory / "t.db").ok


# --- a lock held past the busy timeout -----------------------------------------------------------

@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 300)


def hold_write_lock(path: str) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_database_held_locked_past_the_busy_timeout_refuses_with_the_busy_message(world, short_busy_timeout):
    db, secretary = world.db, world.actors["secretary_a"]
    count = db.execute("SELECT count(*) FROM issues").fetchone()[0]
    holder = hold_write_lock(db_path(db))
    try:
        with pytest.raises(StoreBusy) as refused:
            make_issue(db, secretary, world.a, title="锁住时登记")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert BUSY_MESSAGE in refused.value.message
    assert db.execute("SELECT count(*) FROM issues").fetchone()[0] == count
    assert make_issue(db, secretary, world.a, title="解锁后登记")


def test_the_register_form_shows_the_busy_message_and_keeps_what_was_typed(world, short_busy_timeout, monkeypatch):
    from tests.page_session import expand, open_page      # streamlit: imported here, not in forked writers
    db = world.db
    monkeypatch.setenv("DELIBERATION_DB", db_path(db))
    at = expand(open_page("register", world.actors["secretary_a"].user_id), "register_new_open")
    assert not at.exception
    at.text_input(key="register_new_title").input("锁住时登记的议题")
    at.selectbox(key="register_new_category").set_value(category_id(db, world.a))
    at.selectbox(key="register_new_seat").set_value(seat_id(db, world.a, "owners"))
    at.text_area(key="register_new_description").input("夜间车位不足,希望协商解决")
    holder = hold_write_lock(db_path(db))
    try:
        submit = next(b for b in at.button if b.label == "登记")
        at = submit.click().run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not at.exception
    assert any(BUSY_MESSAGE in e.value for e in at.error)
    assert at.text_input(key="register_new_title").value == "锁住时登记的议题"
    assert at.text_area(key="register_new_description").value == "夜间车位不足,希望协商解决"
    assert db.execute("SELECT count(*) FROM issues WHERE title = '锁住时登记的议题'").fetchone()[0] == 0


# --- two secretaries, one issue ------------------------------------------------------------------

def test_two_secretaries_editing_one_issue_the_second_is_refused_and_the_first_text_stays(world, password_hash):
    db, a = world.db, world.a
    first = world.actors["secretary_a"]
    second = load_actor(db, create_user(db, world.actors["admin"], "secretary_a2", "第二位书记", "secretary",
                                        password_hash=password_hash, compound_ids=[a]))
    issue_id = make_issue(db, first, a)
    version = version_of(db, issue_id)
    other = open_db(db_path(db), migrate=False)
    update_issue(db, first, issue_id, version, title="车位不足(第一位书记修改)")
    with pytest.raises(StaleRecord) as refused:
        update_issue(other, second, issue_id, version, title="车位紧张(第二位书记修改)")
    other.close()
    assert "已被他人修改" in refused.value.message
    row = db.execute("SELECT title, version FROM issues WHERE id = ?", [issue_id]).fetchone()
    assert row == ("车位不足(第一位书记修改)", version + 1)

