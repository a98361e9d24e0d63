"""Seats (协商主体), the standing roster of members, and the category list."""
from __future__ import annotations

import json
import re
from datetime import date

from ..model.defaults import DEFAULT_STAGE_DAYS
from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import one, rows, write
from .actors import Actor
from .clock import now, today
from .event_log import append_event
from .permissions import authorize

PHONE = re.compile(r"^[0-9+\- ]{5,20}$")


def list_seats(db, compound_id: int, *, include_retired: bool = False) -> list[dict]:
    sql = "SELECT * FROM seats WHERE compound_id = ?"
    if not include_retired:
        sql += " AND retired_at IS NULL"
    return rows(db, sql + " ORDER BY position", [compound_id])


def seat_by_code(db, compound_id: int, code: str) -> dict:
    seat = one(db, "SELECT * FROM seats WHERE compound_id = ? AND code = ?", [compound_id, code])
    if seat is None:
        raise NotFound(f"找不到协商主体:{code}")
    return seat


def _seat(db, seat_id: int) -> dict:
    seat = one(db, "SELECT * FROM seats WHERE id = ?", [seat_id])
    if seat is None:
        raise NotFound("找不到该协商主体")
    return seat


def add_seat(db, actor: Actor, compound_id: int, name: str) -> int:
    authorize(db, actor, Action.MANAGE_COMPOUND, compound_id)
    name = name.strip()
    if not name:
        raise DomainError("协商主体名称不能为空")
    if one(db, "SELECT 1 AS x FROM seats WHERE compound_id = ? AND name = ? AND retired_at IS NULL",
           [compound_id, name]):
        raise DomainError(f"已有名为“{name}”的协商主体")
    with write(db):
        position = (one(db, "SELECT max(position) AS p FROM seats WHERE compound_id = ?", [compound_id])["p"] or 0) + 1
        seat_id = db["seats"].insert({"compound_id": compound_id, "code": f"custom{position}",
                                      "name": name, "position": position}).last_pk
        append_event(db, actor=actor, kind="seat_added", compound_id=compound_id, note=name)
    return seat_id


def rename_seat(db, actor: Actor, seat_id: int, name: str) -> None:
    """Records keep the seat name they had (attendance, actions, votes store it)."""
    seat = _seat(db, seat_id)
    authorize(db, actor, Action.MANAGE_COMPOUND, seat["compound_id"])
    name = name.strip()
    if not name:
        raise DomainError("协商主体名称不能为空")
    with write(db):
        db["seats"].update(seat_id, {"name": name})
        append_event(db, actor=actor, kind="seat_renamed", compound_id=seat["compound_id"],
                     note=f"{seat['name']} → {name}")


def retire_seat(db, actor: Actor, seat_id: int) -> None:
    seat = _seat(db, seat_id)
    authorize(db, actor, Action.MANAGE_COMPOUND, seat["compound_id"])
    if seat["code"] == "party":
        raise DomainError("党支部是召集方,不能停用")
    with write(db):
        db["seats"].update(seat_id, {"retired_at": now().isoformat(sep=" "), "quorum_required": 0})
        append_event(db, actor=actor, kind="seat_retired", compound_id=seat["compound_id"], note=seat["name"])


def list_members(db, actor: Actor, compound_id: int, *, on: date | None = None) -> list[dict]:
    """The standing roster, with phones: internal, so it needs READ_COMPOUND."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    day = (on or today()).isoformat()
    return rows(db, """
        SELECT m.*, s.name AS seat_name, s.code AS seat_code, s.position AS seat_position
        FROM members m JOIN seats s ON s.id = m.seat_id
        WHERE m.compound_id = ? AND m.active_from <= ? AND (m.active_to IS NULL OR m.active_to >= ?)
        ORDER BY s.position, m.id""", [compound_id, day, day])


def add_member(db, actor: Actor, compound_id: int, seat_id: int, name: str, *, title: str = "",
               phone: str = "", active_from: date | None = None, demo: bool = False) -> int:
    authorize(db, actor, Action.MANAGE_COMPOUND, compound_id)
    seat = _seat(db, seat_id)
    if seat["compound_id"] != compound_id or seat["retired_at"]:
        raise DomainError("请选择本小区在用的协商主体")
    name = name.strip()
    if not name:
        raise DomainError("成员姓名不能为空")
    if phone and not PHONE.match(phone.strip()):
        raise DomainError("电话号码格式不正确")
    with write(db):
        member_id = db["members"].insert({
            "compound_id": compound_id, "seat_id": seat_id, "name": name, "title": title.strip(),
            "phone": phone.strip(), "active_from": (active_from or today()).isoformat(), "demo": int(demo),
        }).last_pk
        append_event(db, actor=actor, kind="member_added", compound_id=compound_id,
                     data={"member_id": member_id, "seat": seat["name"]})
    return member_id


def end_membership(db, actor: Actor, member_id: int, on: date | None = None) -> None:
    member = one(db, "SELECT * FROM members WHERE id = ?", [member_id])
    if member is None:
        raise NotFound("找不到该成员")
    authorize(db, actor, Action.MANAGE_COMPOUND, member["compound_id"])
    with write(db):
        db["members"].update(member_id, {"active_to": (on or today()).isoformat()})
        append_event(db, actor=actor, kind="member_ended", compound_id=member["compound_id"],
                     data={"member_id": member_id})


def list_categories(db, compound_id: int, *, include_retired: bool = False) -> list[dict]:
    sql = "SELECT * FROM categories WHERE compound_id = ?"
    if not include_retired:
        sql += " AND retired_at IS NULL"
    found = rows(db, sql + " ORDER BY position", [compound_id])
    for c in found:
        c["stage_days"] = {**DEFAULT_STAGE_DAYS, **json.loads(c["stage_days"])}
    return found


def add_category(db, actor: Actor, compound_id: int, name: str) -> int:
    authorize(db, actor, Action.MANAGE_COMPOUND, compound_id)
    name = name.strip()
    if not name:
        raise DomainError("类别名称不能为空")
    existing = one(db, "SELECT id, retired_at FROM categories WHERE compound_id = ? AND name = ?",
                   [compound_id, name])
    with write(db):
        if existing:
            if not existing["retired_at"]:
                raise DomainError(f"已有类别“{name}”")
            db["categories"].update(existing["id"], {"retired_at": None})
            return existing["id"]
        position = (one(db, "SELECT max(position) AS p FROM categories WHERE compound_id = ?",
                        [compound_id])["p"] or 0) + 1
        category_id = db["categories"].insert({"compound_id": compound_id, "name": name,
                                               "position": position}).last_pk
        append_event(db, actor=actor, kind="category_added", compound_id=compound_id, note=name)
    return category_id


def retire_category(db, actor: Actor, category_id: int) -> None:
    category = one(db, "SELECT * FROM categories WHERE id = ?", [category_id])
    if category is None:
        raise NotFound("找不到该类别")
    authorize(db, actor, Action.MANAGE_COMPOUND, category["compound_id"])
    with write(db):
        db["categories"].update(category_id, {"retired_at": now().isoformat(sep=" ")})
        append_event(db, actor=actor, kind="category_retired", compound_id=category["compound_id"],
                     note=category["name"])


def set_category_stage_days(db, actor: Actor, category_id: int, days: dict[str, int]) -> None:
    category = one(db, "SELECT * FROM categories WHERE id = ?", [category_id])
    if category is None:
        raise NotFound("找不到该类别")
    authorize(db, actor, Action.MANAGE_COMPOUND, category["compound_id"])
    unknown = set(days) - set(DEFAULT_STAGE_DAYS)
    if unknown or any(not isinstance(v, int) or not 1 <= v <= 365 for v in days.values()):
        raise DomainError("各阶段期限必须是 1 到 365 天")
    with write(db):
        db["categories"].update(category_id, {"stage_days": json.dumps(days)})
        append_event(db, actor=actor, kind="category_days_changed",
                     compound_id=category["compound_id"], note=category["name"], data=days)
