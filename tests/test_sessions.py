"""Remembered browsers (a reload keeps the user signed in): what ends a remembered sign-in."""
from __future__ import annotations

from datetime import datetime, timedelta

from deliberation.services.clock import clock_at
from deliberation.services.sessions import IDLE, MAX, end_session, resume_session, start_session
from deliberation.services.users import change_password, reset_password, set_user_scope
from deliberation.store import rows

PASSWORD = "Test2026!pw"
T0 = datetime(2026, 3, 10, 9, 0)


def started(db, user_id: int, at: datetime = T0) -> str:
    with clock_at(at):
        return start_session(db, user_id)


def resumed(db, token, at: datetime):
    with clock_at(at):
        return resume_session(db, token)


def test_a_token_signs_its_user_in_again_and_only_its_hash_is_stored(world):
    me = world.actors["secretary_a"].user_id
    token = started(world.db, me)
    assert resumed(world.db, token, T0 + timedelta(minutes=10)) == me
    stored = rows(world.db, "SELECT token_hash, user_id FROM sessions")
    assert stored == [{"token_hash": stored[0]["token_hash"], "user_id": me}]
    assert token not in stored[0]["token_hash"] and len(stored[0]["token_hash"]) == 64


def test_a_wrong_or_odd_token_signs_nobody_in(world):
    started(world.db, world.actors["secretary_a"].user_id)
    for token in ("", None, "x" * 43, "x" * 5000, 42):
        assert resumed(world.db, token, T0) is None


def test_a_browser_left_idle_or_past_its_day_must_sign_in_again(world):
    me = world.actors["secretary_a"].user_id
    idle = started(world.db, me)
    assert resumed(world.db, idle, T0 + IDLE + timedelta(seconds=1)) is None
    assert resumed(world.db, idle, T0) is None                  # ended for good, not only too old

    busy = started(world.db, me)
    moment = T0
    while moment < T0 + MAX - timedelta(minutes=20):            # used every 20 minutes all day
        moment += timedelta(minutes=20)
        assert resumed(world.db, busy, moment) == me
    assert resumed(world.db, busy, T0 + MAX + timedelta(seconds=1)) is None


def test_signing_out_ends_the_token(world):
    token = started(world.db, world.actors["secretary_a"].user_id)
    end_session(world.db, token)
    assert resumed(world.db, token, T0) is None


def test_a_password_change_reset_or_deactivation_signs_every_browser_out(world):
    db, admin = world.db, world.actors["admin"]
    me = world.actors["recorder_a"]
    phone, laptop = started(db, me.user_id), started(db, me.user_id)
    change_password(db, me, PASSWORD, "NewPass2026!")
    assert [resumed(db, t, T0) for t in (phone, laptop)] == [None, None]

    phone = started(db, me.user_id)
    reset_password(db, admin, me.user_id, "Temp2026!pw")
    assert resumed(db, phone, T0) is None

    phone = started(db, me.user_id)
    set_user_scope(db, admin, me.user_id, role="recorder", compound_ids=[world.a], active=False)
    assert resumed(db, phone, T0) is None


def test_another_users_token_never_changes_hands(world):
    mine = started(world.db, world.actors["secretary_a"].user_id)
    theirs = started(world.db, world.actors["recorder_a"].user_id)
    assert resumed(world.db, mine, T0) == world.actors["secretary_a"].user_id
    assert resumed(world.db, theirs, T0) == world.actors["recorder_a"].user_id
