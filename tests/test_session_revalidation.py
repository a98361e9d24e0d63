"""An open tab asks on every click whether its session still holds (services/sessions.why_ended):
each cause ends it with its own reason, a valid one stays valid, and the check is one lookup by
the sessions primary key."""
from __future__ import annotations

from datetime import datetime, timedelta

from deliberation.services.accounts import reset_to_one_time_password
from deliberation.services.clock import clock_at
from deliberation.services.sessions import (
    DEACTIVATED,
    EXPIRED,
    IDLE,
    IDLE_ENDED,
    MAX,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    SIGNED_OUT,
    TOUCH_EVERY,
    end_session,
    session_held,
    start_session,
    touch_session,
    why_ended,
)
from deliberation.services.users import change_password, reset_password, set_user_scope
from deliberation.store import rows, write
from deliberation.store import users as user_store

PASSWORD = "Test2026!pw"
T0 = datetime(2026, 3, 10, 9, 0)


class Tab:
    """What an open tab keeps: its token and the note taken when it signed in."""

    def __init__(self, db, user_id: int, token: str | None = None, at: datetime = T0):
        self.db = db
        with clock_at(at):
            self.token = token or start_session(db, user_id)
            self.held = session_held(db, self.token)

    def click(self, at: datetime = T0):
        with clock_at(at):
            return why_ended(self.db, self.token, self.held)


def test_a_valid_session_stays_valid_click_after_click_all_day(world):
    me = world.actors["secretary_a"].user_id
    tab = Tab(world.db, me)
    moment = T0
    while moment < T0 + MAX - timedelta(minutes=10):
        moment += timedelta(minutes=10)
        assert tab.click(moment) is None
        with clock_at(moment):
            touch_session(world.db, tab.token)          # what the page does every TOUCH_EVERY
    assert tab.held.user_id == me and tab.held.ends_at == (T0 + MAX).isoformat(sep=" ")


def test_the_twelve_hour_cap_ends_an_open_tab_even_while_it_is_in_use(world):
    me = world.actors["secretary_a"].user_id
    tab = Tab(world.db, me)
    with clock_at(T0 + MAX - TOUCH_EVERY):
        touch_session(world.db, tab.token)
    assert tab.click(T0 + MAX - timedelta(seconds=1)) is None
    assert tab.click(T0 + MAX) == EXPIRED
    assert rows(world.db, "SELECT 1 FROM sessions") == []        # ended for good
    assert tab.click(T0 + MAX + timedelta(minutes=1)) == EXPIRED


def test_the_cap_is_named_even_when_another_sign_in_purged_the_row(world):
    me = world.actors["secretary_a"].user_id
    tab = Tab(world.db, me)
    Tab(world.db, world.actors["recorder_a"].user_id, at=T0 + MAX + timedelta(minutes=5))  # purges ended rows
    assert tab.click(T0 + MAX + timedelta(minutes=6)) == EXPIRED


def test_a_tab_whose_row_was_not_seen_for_its_idle_window_ends_as_idle(world):
    """The page's own 30-minute clock counts from the last click; the row may lag it by
    TOUCH_EVERY, so the row's limit is IDLE + TOUCH_EVERY (and the purge waits as long)."""
    tab = Tab(world.db, world.actors["secretary_a"].user_id)
    Tab(world.db, world.actors["recorder_a"].user_id, at=T0 + IDLE + timedelta(minutes=1))  # a purge
    assert tab.click(T0 + IDLE + TOUCH_EVERY - timedelta(seconds=1)) is None
    assert tab.click(T0 + IDLE + TOUCH_EVERY) == IDLE_ENDED


def test_a_password_change_in_another_browser_ends_every_open_tab_of_the_user(world):
    db, me = world.db, world.actors["recorder_a"]
    here, there = Tab(db, me.user_id), Tab(db, me.user_id)
    same_browser_other_tab = Tab(db, me.user_id, token=there.token)
    someone_else = Tab(db, world.actors["secretary_a"].user_id)
    with clock_at(T0 + timedelta(minutes=3)):
        change_password(db, me, PASSWORD, "NewPass2026!")
    assert here.click(T0 + timedelta(minutes=4)) == PASSWORD_CHANGED
    assert same_browser_other_tab.click(T0 + timedelta(minutes=4)) == PASSWORD_CHANGED
    assert someone_else.click(T0 + timedelta(minutes=4)) is None
    renewed = Tab(db, me.user_id, at=T0 + timedelta(minutes=4))   # the changing tab signs itself in again
    assert renewed.click(T0 + timedelta(minutes=5)) is None


def test_an_admin_reset_ends_the_users_tabs_with_its_own_reason(world):
    db, admin, me = world.db, world.actors["admin"], world.actors["recorder_a"].user_id
    tab = Tab(db, me)
    reset_to_one_time_password(db, admin, me)
    assert tab.click() == PASSWORD_RESET
    tab = Tab(db, me)
    reset_password(db, admin, me, "Temp2026!pw")
    assert tab.click() == PASSWORD_RESET


def test_a_password_written_without_ending_sessions_still_ends_them(world):
    """The password mark catches a change made by any path (a CLI, a restore) that forgot the rows."""
    db, me = world.db, world.actors["recorder_a"].user_id
    tab = Tab(db, me)
    with write(db):
        user_store.update_user(db, me, {"password_hash": "$argon2id$v=19$m=65536,t=3,p=4$other"})
    assert rows(db, "SELECT 1 FROM sessions WHERE user_id = ?", [me]) != []
    assert tab.click() == PASSWORD_CHANGED


def test_deactivation_ends_the_accounts_tabs(world):
    db, admin, me = world.db, world.actors["admin"], world.actors["recorder_a"].user_id
    tab = Tab(db, me)
    set_user_scope(db, admin, me, role="recorder", compound_ids=[world.a], active=False)
    assert tab.click() == DEACTIVATED


def test_signing_out_in_one_tab_ends_the_other_tabs_of_that_browser_only(world):
    db, me = world.db, world.actors["secretary_a"].user_id
    tab_a = Tab(db, me)
    tab_b = Tab(db, me, token=tab_a.token)            # same browser: same cookie, same token
    phone = Tab(db, me)                               # another browser of the same user
    end_session(db, tab_b.token)                      # tab B signs out
    assert tab_a.click() == SIGNED_OUT
    assert phone.click() is None


def test_a_tab_without_its_note_or_with_a_swapped_token_is_not_trusted(world):
    db = world.db
    mine = Tab(db, world.actors["secretary_a"].user_id)
    theirs = Tab(db, world.actors["admin"].user_id)
    assert why_ended(db, mine.token, None) == SIGNED_OUT
    for token in (None, "", 42, "x" * 5000, "x" * 43):
        assert why_ended(db, token, mine.held) is not None
    assert why_ended(db, theirs.token, mine.held) is not None     # someone else's token, my note
    assert mine.click() is None and theirs.click() is None
    assert session_held(db, "x" * 43) is None


def test_a_valid_check_is_one_primary_key_lookup_and_writes_nothing(world):
    db = world.db
    tab = Tab(db, world.actors["secretary_a"].user_id)
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        assert tab.click() is None
    finally:
        db.conn.set_trace_callback(None)
    assert len(seen) == 1 and seen[0].lstrip().upper().startswith("SELECT")
    plan = " ".join(r[3] for r in db.conn.execute("EXPLAIN QUERY PLAN " + seen[0]))
    assert "USING INDEX sqlite_autoindex_sessions_1 (token_hash=?)" in plan
    assert "USING INTEGER PRIMARY KEY (rowid=?)" in plan
    assert "SCAN" not in plan

