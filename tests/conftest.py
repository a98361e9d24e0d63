"""Shared fixtures: a fresh migrated database, a small world with an actor of each role,
and the demo cases loaded once per session."""
from __future__ import annotations

import sys

import pytest

from deliberation.demo import load_demo
from deliberation.services.sign_in_limits import FAILURES
from deliberation.services.users import HASHER
from deliberation.store import open_db

from tests.factories import World, build_world, copy_db, rebind

# Streamlit's AppTest leaves sys.modules["__main__"] pointing at the last page it ran. A child
# process (spawn / forkserver) re-runs the parent's __main__ on start, so the durability tests start
# theirs with this, pytest's own, recorded before any page has run.
PYTEST_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _sign_in_counts_start_empty():
    """The sign-in limits count failures in this process (services/sign_in_limits.py); each test
    starts from none, as a freshly started server would."""
    FAILURES.clear()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """argon2 is deliberately slow: hash the test password once for every account."""
    return HASHER.hash("Test2026!pw")


@pytest.fixture
def fresh_db(tmp_path):
    db = open_db(tmp_path / "t.db")
    yield db
    db.close()


@pytest.fixture(scope="session")
def world_template(tmp_path_factory, password_hash) -> tuple:
    """The world, built through the services once per session (a few dozen fsync'd writes)."""
    path = tmp_path_factory.mktemp("world") / "world.db"
    db = open_db(path)
    world = build_world(db, password_hash)
    db.close()
    return path, world


@pytest.fixture
def world(fresh_db, world_template) -> World:
    """罗湖区 → 桂园街道 → 松园社区 (compounds A, B) and 东门街道 → 湖贝社区 (compound C), one member
    per seat, an actor of each role. Each test gets its own copy of the session's template."""
    path, template = world_template
    copy_db(path, fresh_db.conn)
    return rebind(template, fresh_db)


@pytest.fixture
def actors(world) -> dict:
    return world.actors


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory):
    """The demo cases loaded once into a file, checkpointed so the file alone is the database."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_db(path)
    load_demo(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture(scope="session")
def demo_db(demo_path):
    """Read-only use: tests that write take `demo_copy`."""
    db = open_db(demo_path)
    yield db
    db.close()


@pytest.fixture
def demo_copy(demo_path, tmp_path, monkeypatch):
    """A private copy of the demo database for a test that writes; pages run under AppTest open
    the same file (DELIBERATION_DB)."""
    target = tmp_path / "demo.db"
    copy_db(demo_path, target)
    monkeypatch.setenv("DELIBERATION_DB", str(target))
    db = open_db(target)
    yield db
    db.close()


@pytest.fixture
def demo_env(demo_copy):
    return demo_copy
