"""Sign-in that cannot be turned against users or the server (issue 14, item 3): a guessing client
is refused before any hashing, the owner still gets in from a clean client, unknown names cost no
argon2, a flood leaves two audit rows, and argon2 runs in a bounded number of slots."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from argon2.exceptions import VerifyMismatchError

from deliberation.model.errors import DomainError
from deliberation.services import sign_in_limits as limits
from deliberation.services import users as users_service
from deliberation.services.users import LOGIN_FAILED, TOO_MANY_TRIES, authenticate
from deliberation.store import rows
from tests.factories import run_together

PASSWORD = "Test2026!pw"
T0 = datetime(2026, 3, 10, 9, 0)
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


def refused(db, username: str, password: str, client: str, at: datetime) -> str:
    with pytest.raises(DomainError) as caught:
        authenticate(db, username, password, client=client, at=at)
    return caught.value.message


class NoHashing:
    """Fails the test if argon2 is reached at all."""
    def __getattr__(self, name):
        raise AssertionError(f"argon2 was reached ({name})")


class CountingHasher:
    """Delegates to the real hasher and counts the verifications."""
    def __init__(self):
        self.verified = 0

    def verify(self, hashed, password):
        self.verified += 1
        return users_service.PasswordHasher().verify(hashed, password)

    def __getattr__(self, name):
        return getattr(users_service.PasswordHasher(), name)


def login_events(db) -> list[dict]:
    return rows(db, "SELECT actor_label, note FROM events WHERE kind = 'login_failed' ORDER BY id")


def test_fifty_failures_from_one_client_do_not_keep_the_owner_out(world):
    db = world.db
    messages = [refused(db, "admin", f"guess-{n:04d}", ATTACKER, T0 + timedelta(seconds=n)) for n in range(50)]
    assert messages[:5] == [LOGIN_FAILED] * 5 and set(messages[5:]) == {TOO_MANY_TRIES}
    # The name is locked in the database, but not for a client that never failed on it.
    assert authenticate(db, "admin", PASSWORD, client=OWNER, at=T0 + timedelta(seconds=51)) == \
        world.actors["admin"].user_id
    # The attacker, right password or not, still waits out the window.
    assert refused(db, "admin", PASSWORD, ATTACKER, T0 + timedelta(minutes=10)) == TOO_MANY_TRIES
    assert authenticate(db, "admin", PASSWORD, client=ATTACKER, at=T0 + timedelta(minutes=16)) == \
        world.actors["admin"].user_id


def test_the_attacking_client_is_refused_before_any_hashing(world, monkeypatch):
    db = world.db
    for n in range(5):
        refused(db, "admin", "guess-1234", ATTACKER, T0 + timedelta(seconds=n))
    monkeypatch.setattr(users_service, "HASHER", NoHashing())
    for password in ("guess-9999", PASSWORD):
        assert refused(db, "admin", password, ATTACKER, T0 + timedelta(seconds=10)) == TOO_MANY_TRIES


def test_a_client_with_a_failure_on_a_locked_name_is_refused_before_hashing(world, monkeypatch):
    """Spread over many addresses, each one gets one try at the name; then the name's lock holds it."""
    db = world.db
    for n in range(5):
        refused(db, "admin", "guess-1234", f"10.0.0.{n}", T0 + timedelta(seconds=n))   # locks the name
    monkeypatch.setattr(users_service, "HASHER", NoHashing())
    for n in range(5):
        assert refused(db, "admin", PASSWORD, f"10.0.0.{n}", T0 + timedelta(seconds=30)) == LOGIN_FAILED


def test_a_client_trying_many_names_is_refused_for_every_name(world, monkeypatch):
    db = world.db
    for n in range(limits.CLIENT_FAILURES):
        refused(db, f"name{n}", "guess-1234", ATTACKER, T0 + timedelta(seconds=n))
    monkeypatch.setattr(users_service, "HASHER", NoHashing())
    assert refused(db, "secretary_a", PASSWORD, ATTACKER, T0 + timedelta(minutes=1)) == TOO_MANY_TRIES


def test_unknown_names_answer_like_known_ones_without_argon2(world, monkeypatch):
    db = world.db
    spy = CountingHasher()
    monkeypatch.setattr(users_service, "HASHER", spy)
    unknown = [refused(db, "nobody", "guess-1234", "10.1.1.1", T0 + timedelta(seconds=n)) for n in range(7)]
    assert spy.verified == 0
    known = [refused(db, "admin", "guess-1234", "10.1.1.2", T0 + timedelta(seconds=n)) for n in range(7)]
    assert spy.verified == 5
    assert unknown == known == [LOGIN_FAILED] * 5 + [TOO_MANY_TRIES] * 2
    locks = {r["username"]: (r["failures"], r["locked_until"])
             for r in rows(db, "SELECT username, failures, locked_until FROM login_failures")}
    assert locks == {"nobody": (5, "2026-03-10 09:15:04"), "admin": (5, "2026-03-10 09:15:04")}


def test_fifty_failures_leave_two_audit_rows_not_fifty(world):
    db = world.db
    for n in range(50):      # ten addresses, five tries each
        with pytest.raises(DomainError):
            authenticate(db, "admin", "guess-1234", client=f"10.2.0.{n % 10}", at=T0 + timedelta(seconds=n))
    assert login_events(db) == [{"actor_label": "测试admin", "note": "登录失败"},
                                {"actor_label": "测试admin", "note": "登录失败,连续 5 次,锁定 15 分钟"}]
    # A new window after the lock ends starts one new row.
    refused(db, "admin", "guess-1234", "10.2.0.1", T0 + timedelta(minutes=40))
    assert len(login_events(db)) == 3


def test_the_failure_counts_hold_under_threads():
    windows = limits.FailureWindows()

    def fail_many():
        for n in range(200):
            windows.note_failure("client", "admin", 1000.0 + n / 1000)
            windows.blocked("client", f"other{n}", 1000.0 + n / 1000)
    run_together(fail_many, 20)
    assert windows.failures_on("client", "admin", 1001.0) == 20 * 200
    assert windows.failures_on("client", "admin", 1000.0 + limits.WINDOW_SECONDS + 1) == 0


def test_no_more_than_the_bound_of_verifications_run_at_once(world, monkeypatch):
    seen = {"now": 0, "most": 0, "calls": 0}
    guard = threading.Lock()

    class SlowHasher:
        def verify(self, hashed, password):
            with guard:
                seen["now"] += 1
                seen["calls"] += 1
                seen["most"] = max(seen["most"], seen["now"])
            time.sleep(0.02)
            with guard:
                seen["now"] -= 1
            raise VerifyMismatchError()
    monkeypatch.setattr(users_service, "HASHER", SlowHasher())
    addresses = iter(range(1000))
    pick = threading.Lock()

    def one_guess():
        with pick:
            n = next(addresses)
        with pytest.raises(DomainError):
            authenticate(world.db, "secretary_a", "guess-1234", client=f"10.3.{n}.1")
    run_together(one_guess, 12)
    assert seen["calls"] >= 1 and seen["most"] <= limits.VERIFY_SLOTS


def test_a_full_queue_is_told_to_try_later(world, monkeypatch):
    release, inside = threading.Event(), threading.Semaphore(0)

    class HeldHasher:
        def verify(self, hashed, password):
            inside.release()
            release.wait(10)
            raise VerifyMismatchError()
    monkeypatch.setattr(users_service, "HASHER", HeldHasher())
    monkeypatch.setattr(limits, "QUEUE_SECONDS", 0.05)
    monkeypatch.setattr(limits, "SLOTS", limits.VerifySlots(2))
    holders = [threading.Thread(target=lambda n=n: pytest.raises(
        DomainError, authenticate, world.db, "secretary_a", "guess-1", client=f"10.4.0.{n}")) for n in range(2)]
    for thread in holders:
        thread.start()
    inside.acquire(timeout=10)
    inside.acquire(timeout=10)                   # both slots are taken
    try:
        assert refused(world.db, "secretary_a", PASSWORD, "10.4.0.9", T0) == limits.BUSY
        assert refused(world.db, "nobody", PASSWORD, "10.4.0.8", T0) == limits.BUSY    # the same for no such name
    finally:
        release.set()
        for thread in holders:
            thread.join()


def test_after_an_admin_reset_the_owner_signs_in_from_the_phone_that_failed(world):
    """The owner forgot the password, failed five times on their own phone, and asked the admin for
    a one-time password: it works on that phone at once, not after the failure window."""
    from deliberation.services.accounts import reset_to_one_time_password
    db, owner = world.db, world.actors["secretary_a"]
    username = rows(db, "SELECT username FROM users WHERE id = ?", [owner.user_id])[0]["username"]
    for n in range(5):
        refused(db, username, f"forgot-{n}", OWNER, T0 + timedelta(seconds=n))
    assert refused(db, username, PASSWORD, OWNER, T0 + timedelta(seconds=6)) == TOO_MANY_TRIES
    one_time = reset_to_one_time_password(db, world.actors["admin"], owner.user_id)
    assert authenticate(db, username, one_time, client=OWNER, at=T0 + timedelta(seconds=8)) == owner.user_id
