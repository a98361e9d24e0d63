"""A compound's seats (the "1+8"), their members, and its issue categories."""
from __future__ import annotations

import json

from .db import one, rows

# --- seats ---------------------------------------------------------------------------------


def get_seat(db, seat_id: int) -> dict | None:
    return one(db, "SELECT * FROM seats WHERE id = ?", [seat_id])


def seats_of_compound(db, compound_id: int, *, include_retired: bool = False) -> list[dict]:
    """In roster order."""
    if include_retired:
        return rows(db, "SELECT * FROM seats WHERE compound_id = ? ORDER BY position", [compound_id])
    return rows(db, "SELECT * FROM seats WHERE compound_id = ? AND retired_at IS NULL ORDER BY position",
                [compound_id])


def seat_ids_by_code(db, compound_id: int) -> dict[str, int]:
    """Every seat of the compound, retired ones too."""
    return {r["code"]: r["id"] for r in rows(db, "SELECT code, id FROM seats WHERE compound_id = ?", [compound_id])}


def live_seat_named(db, compound_id: int, name: str) -> bool:
    return one(db, "SELECT 1 AS x FROM seats WHERE compound_id = ? AND name = ? AND retired_at IS NULL",
               [compound_id, name]) is not None


def next_seat_position(db, compound_id: int) -> int:
    return (one(db, "SELECT max(position) AS p FROM seats WHERE compound_id = ?", [compound_id])["p"] or 0) + 1


def insert_seat(db, values: dict) -> int:
    return db["seats"].insert(values).last_pk


def insert_seats(db, seats) -> None:
    db["seats"].insert_all(seats)


def update_seat(db, seat_id: int, values: dict) -> None:
    db["seats"].update(seat_id, values)


def set_required_seats(db, compound_id: int, codes) -> None:
    """Exactly the seats with these codes count toward the quorum."""
    db.execute("UPDATE seats SET quorum_required = 0 WHERE compound_id = ?", [compound_id])
    for code in codes:
        db.execute("UPDATE seats SET quorum_required = 1 WHERE compound_id = ? AND code = ?", [compound_id, code])


# --- members -------------------------------------------------------------------------------


def get_member(db, member_id: int) -> dict | None:
    return one(db, "SELECT * FROM members WHERE id = ?", [member_id])


def members_on(db, compound_id: int, day: str) -> list[dict]:
    """Members serving on `day` (ISO date), with their seat's name, code and position."""
    return rows(db, """
        SELECT m.*, s.name AS seat_name, s.code AS seat_code, s.position AS seat_position
        FROM members m JOIN seats s ON s.id = m.seat_id
        WHERE m.compound_id = ? AND m.active_from <= ? AND (m.active_to IS NULL OR m.active_to >= ?)
        ORDER BY s.position, m.id""", [compound_id, day, day])


def first_party_member_id(db, compound_id: int) -> int | None:
    """The longest-standing member of the party branch's seat (the default chair)."""
    found = one(db, """SELECT m.id FROM members m JOIN seats s ON s.id = m.seat_id
                       WHERE m.compound_id = ? AND s.code = 'party' ORDER BY m.id LIMIT 1""", [compound_id])
    return found and found["id"]


def insert_member(db, values: dict) -> int:
    return db["members"].insert(values).last_pk


def update_member(db, member_id: int, values: dict) -> None:
    db["members"].update(member_id, values)


# --- categories ----------------------------------------------------------------------------


def get_category(db, category_id: int) -> dict | None:
    return one(db, "SELECT * FROM categories WHERE id = ?", [category_id])


def categories_of_compound(db, compound_id: int, *, include_retired: bool = False) -> list[dict]:
    """In list order; `stage_days` as stored (JSON text of the compound's overrides)."""
    if include_retired:
        return rows(db, "SELECT * FROM categories WHERE compound_id = ? ORDER BY position", [compound_id])
    return rows(db, "SELECT * FROM categories WHERE compound_id = ? AND retired_at IS NULL ORDER BY position",
                [compound_id])


def category_ids_by_name(db, compound_id: int) -> dict[str, int]:
    """Every category of the compound, retired ones too."""
    return {r["name"]: r["id"] for r in rows(db, "SELECT name, id FROM categories WHERE compound_id = ?",
                                             [compound_id])}


def category_named(db, compound_id: int, name: str) -> dict | None:
    """Id and retired_at of the compound's category of that name, retired or not."""
    return one(db, "SELECT id, retired_at FROM categories WHERE compound_id = ? AND name = ?", [compound_id, name])


def category_stage_days(db, category_id: int) -> dict[str, int]:
    """The category's own stage limits (days), without the defaults; {} for no such category."""
    row = one(db, "SELECT stage_days FROM categories WHERE id = ?", [category_id])
    return json.loads(row["stage_days"]) if row else {}


def next_category_position(db, compound_id: int) -> int:
    return (one(db, "SELECT max(position) AS p FROM categories WHERE compound_id = ?", [compound_id])["p"] or 0) + 1


def insert_category(db, values: dict) -> int:
    return db["categories"].insert(values).last_pk


def insert_categories(db, categories) -> None:
    db["categories"].insert_all(categories)


def update_category(db, category_id: int, values: dict) -> None:
    db["categories"].update(category_id, values)
