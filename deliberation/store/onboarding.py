"""What onboarding from a workbook reads and writes: the whole tree of areas, compounds, seats,
members and accounts of a district file, read at once (a district is ~1,000 compounds), and
bulk inserts for the new rows. The per-noun stores keep their one-row functions."""
from __future__ import annotations

from .db import rows


def all_areas(db) -> list[dict]:
    return rows(db, "SELECT id, name, level, parent_id, retired_at FROM areas ORDER BY id")


def all_compounds(db) -> list[dict]:
    return rows(db, """SELECT id, area_id, name, address, households, branch_name, schedule_rule, schedule_place,
                              retired_at, version FROM compounds ORDER BY id""")


def all_seats(db) -> list[dict]:
    return rows(db, "SELECT id, compound_id, code, name, position, retired_at FROM seats ORDER BY compound_id, position")


def serving_members(db, day: str) -> list[dict]:
    """Members serving on `day` (ISO date)."""
    return rows(db, """SELECT id, compound_id, seat_id, name, title, phone FROM members
                       WHERE active_from <= ? AND (active_to IS NULL OR active_to >= ?) ORDER BY id""", [day, day])


def all_accounts(db) -> list[dict]:
    """Every account with its compounds (`compound_ids`, comma-separated)."""
    return rows(db, """SELECT u.id, u.username, u.display_name, u.role, u.area_id, u.seat_code, u.active,
                              (SELECT group_concat(uc.compound_id) FROM user_compounds uc WHERE uc.user_id = u.id)
                                AS compound_ids
                       FROM users u ORDER BY u.id""")


def insert_area(db, values: dict) -> int:
    return db["areas"].insert(values).last_pk


def insert_compound(db, values: dict) -> int:
    return db["compounds"].insert(values).last_pk


def update_compound(db, compound_id: int, values: dict) -> None:
    db["compounds"].update(compound_id, values)


def insert_seats(db, seats: list[dict]) -> None:
    db["seats"].insert_all(seats, batch_size=500)


def seat_ids_of(db, compound_ids: list[int]) -> dict[tuple[int, str], int]:
    """(compound_id, code) -> seat id, for the given compounds."""
    found: dict[tuple[int, str], int] = {}
    for start in range(0, len(compound_ids), 500):
        chunk = compound_ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in rows(db, f"SELECT id, compound_id, code FROM seats WHERE compound_id IN ({marks})", chunk):
            found[(r["compound_id"], r["code"])] = r["id"]
    return found


def update_seat(db, seat_id: int, values: dict) -> None:
    db["seats"].update(seat_id, values)


def insert_categories(db, categories: list[dict]) -> None:
    db["categories"].insert_all(categories, batch_size=500)


def insert_members(db, members: list[dict]) -> None:
    db["members"].insert_all(members, batch_size=500)


def update_member(db, member_id: int, values: dict) -> None:
    db["members"].update(member_id, values)


def update_account(db, user_id: int, values: dict, compound_ids) -> None:
    """The account's fields and, unless `compound_ids` is None, exactly these compounds."""
    if values:
        db["users"].update(user_id, values)
    if compound_ids is None:
        return
    db.execute("DELETE FROM user_compounds WHERE user_id = ?", [user_id])
    db["user_compounds"].insert_all({"user_id": user_id, "compound_id": c} for c in compound_ids)
