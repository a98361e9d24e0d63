"""Staff accounts, the compounds each works in, and failed sign-ins per typed username."""
from __future__ import annotations

from .db import one, rows

# --- users ---------------------------------------------------------------------------------


def active_user(db, user_id: int) -> dict | None:
    return one(db, "SELECT * FROM users WHERE id = ? AND active = 1", [user_id])


def get_user(db, user_id: int) -> dict | None:
    """Active or not."""
    return one(db, "SELECT * FROM users WHERE id = ?", [user_id])


def active_user_named(db, username: str) -> dict | None:
    return one(db, "SELECT * FROM users WHERE username = ? AND active = 1", [username])


def username_taken(db, username: str) -> bool:
    return one(db, "SELECT id FROM users WHERE username = ?", [username]) is not None


def users_with_scope(db, locked_after: str) -> list[dict]:
    """Every account with its scope (`compound_ids` comma-separated); `locked_until` only where
    a lock lasts beyond `locked_after`."""
    return rows(db, """SELECT u.id, u.username, u.display_name, u.role, u.area_id, u.seat_code, u.active, u.demo,
                              u.must_change_password,
                              CASE WHEN lf.locked_until > ? THEN lf.locked_until END AS locked_until,
                              (SELECT group_concat(uc.compound_id) FROM user_compounds uc WHERE uc.user_id = u.id)
                                AS compound_ids
                       FROM users u LEFT JOIN login_failures lf ON lf.username = u.username
                       ORDER BY u.id""", [locked_after])


def insert_user(db, values: dict) -> int:
    return db["users"].insert(values).last_pk


def update_user(db, user_id: int, values: dict) -> None:
    db["users"].update(user_id, values)


# --- the compounds a user works in ---------------------------------------------------------


def compound_ids_of_user(db, user_id: int) -> frozenset[int]:
    return frozenset(r["compound_id"] for r in rows(
        db, "SELECT compound_id FROM user_compounds WHERE user_id = ?", [user_id]))


def set_user_compounds(db, user_id: int, compound_ids) -> None:
    """Replace the user's compounds with exactly these."""
    db.execute("DELETE FROM user_compounds WHERE user_id = ?", [user_id])
    db["user_compounds"].insert_all({"user_id": user_id, "compound_id": c} for c in compound_ids)


# --- failed sign-ins -----------------------------------------------------------------------


def login_failure(db, username: str) -> dict | None:
    """failures, last_failed_at and locked_until of a typed username, if it has failed lately."""
    return one(db, "SELECT * FROM login_failures WHERE username = ?", [username])


def save_login_failure(db, username: str, failures: int, last_failed_at: str, locked_until: str | None) -> None:
    db.execute("""INSERT INTO login_failures (username, failures, last_failed_at, locked_until)
                  VALUES (?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET failures = excluded.failures,
                  last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until""",
               [username, failures, last_failed_at, locked_until])


def forget_login_failures(db, username: str) -> None:
    db.execute("DELETE FROM login_failures WHERE username = ?", [username])


def forget_stale_login_failures(db, failed_before: str, unlocked_by: str) -> None:
    """Names last mistyped before `failed_before` whose lock (if any) ended before `unlocked_by`."""
    db.execute("DELETE FROM login_failures WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until < ?)",
               [failed_before, unlocked_by])


# --- the right to manage compounds (issue 12, helper A) -------------------------------------

def officer_accounts(db) -> list[dict]:
    """Active area officers: id, username, display_name, area_id and manages_compounds (0/1)."""
    return rows(db, """SELECT id, username, display_name, area_id, manages_compounds FROM users
                       WHERE role = 'officer' AND active = 1 ORDER BY id""")
