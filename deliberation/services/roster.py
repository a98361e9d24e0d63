"""Seats (协商主体), the standing roster of members, and the category list."""
from __future__ import annotations

import json
import re
from datetime import date

from ..model.defaults import DEFAULT_STAGE_DAYS
from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import roster as roster_store
from .actors import Actor
from .clock import stamp, today
from .markers import public_read
from .permissions import authorize, may
from .use_case import changing

PHONE = re.compile(r"^[0-9+\- ]{5,20}$")


@public_read
def list_seats(db, compound_id: int, *, include_retired: bool = False) -> list[dict]:
    return roster_store.seats_of_compound(db, compound_id, include_retired=include_retired)


def _seat(db, seat_id: int) -> dict:
    seat = roster_store.get_seat(db, seat_id)
    if seat is None:
        raise NotFound("找不到该协商主体")
    return seat


def _category(db, category_id: int) -> dict:
    category = roster_store.get_category(db, category_id)
    if category is None:
        raise NotFound("找不到该类别")
    return category


def add_seat(db, actor: Actor, compound_id: int, name: str) -> int:
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
        name = name.strip()
        if not name:
            raise DomainError("协商主体名称不能为空")
        if roster_store.live_seat_named(db, compound_id, name):
            raise DomainError(f"已有名为“{name}”的协商主体")
        position = roster_store.next_seat_position(db, compound_id)
        seat_id = roster_store.insert_seat(db, {"compound_id": compound_id, "code": f"custom{position}",
                                                "name": name, "position": position})
        change.record("seat_added", note=name)
    return seat_id


def rename_seat(db, actor: Actor, seat_id: int, name: str) -> None:
    """Records keep the seat name they had (attendance, actions, votes store it)."""
    seat = _seat(db, seat_id)
    with changing(db, actor, Action.MANAGE_COMPOUND, seat["compound_id"]) as change:
        name = name.strip()
        if not name:
            raise DomainError("协商主体名称不能为空")
        seat = _seat(db, seat_id)
        roster_store.update_seat(db, seat_id, {"name": name})
        change.record("seat_renamed", note=f"{seat['name']} → {name}")


def retire_seat(db, actor: Actor, seat_id: int) -> None:
    seat = _seat(db, seat_id)
    with changing(db, actor, Action.MANAGE_COMPOUND, seat["compound_id"]) as change:
        if seat["code"] == "party":
            raise DomainError("党支部是召集方,不能停用")
        roster_store.update_seat(db, seat_id, {"retired_at": stamp(), "quorum_required": 0})
        change.record("seat_retired", note=seat["name"])


def list_members(db, actor: Actor, compound_id: int, *, on: date | None = None) -> list[dict]:
    """The standing roster. Phones are internal (READ_INTERNAL): a seat representative sees who
    sits for which seat, not their numbers."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    found = roster_store.members_on(db, compound_id, (on or today()).isoformat())
    if not may(actor, Action.READ_INTERNAL, compound_id):
        found = [{**m, "phone": ""} for m in found]
    return found


def add_member(db, actor: Actor, compound_id: int, seat_id: int, name: str, *, title: str = "",
               phone: str = "", active_from: date | None = None, demo: bool = False) -> int:
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
        seat = _seat(db, seat_id)
        if seat["compound_id"] != compound_id or seat["retired_at"]:
            raise DomainError("请选择本小区在用的协商主体")
        name = name.strip()
        if not name:
            raise DomainError("成员姓名不能为空")
        if phone and not PHONE.match(phone.strip()):
            raise DomainError("电话号码格式不正确")
        member_id = roster_store.insert_member(db, {
            "compound_id": compound_id, "seat_id": seat_id, "name": name, "title": title.strip(),
            "phone": phone.strip(), "active_from": (active_from or today()).isoformat(), "demo": int(demo),
        })
        change.record("member_added", data={"member_id": member_id, "seat": seat["name"]})
    return member_id


def end_membership(db, actor: Actor, member_id: int, on: date | None = None) -> None:
    member = roster_store.get_member(db, member_id)
    if member is None:
        raise NotFound("找不到该成员")
    with changing(db, actor, Action.MANAGE_COMPOUND, member["compound_id"]) as change:
        roster_store.update_member(db, member_id, {"active_to": (on or today()).isoformat()})
        change.record("member_ended", data={"member_id": member_id})


@public_read
def list_categories(db, compound_id: int, *, include_retired: bool = False) -> list[dict]:
    """Each category's stage limits are filled in from the defaults."""
    found = roster_store.categories_of_compound(db, compound_id, include_retired=include_retired)
    for c in found:
        c["stage_days"] = {**DEFAULT_STAGE_DAYS, **json.loads(c["stage_days"])}
    return found


def add_category(db, actor: Actor, compound_id: int, name: str) -> int:
    """A new category, or a retired one of that name taken back into use."""
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
        name = name.strip()
        if not name:
            raise DomainError("类别名称不能为空")
        existing = roster_store.category_named(db, compound_id, name)
        if existing:
            if not existing["retired_at"]:
                raise DomainError(f"已有类别“{name}”")
            roster_store.update_category(db, existing["id"], {"retired_at": None})
            return existing["id"]
        position = roster_store.next_category_position(db, compound_id)
        category_id = roster_store.insert_category(db, {"compound_id": compound_id, "name": name,
                                                        "position": position})
        change.record("category_added", note=name)
    return category_id


def retire_category(db, actor: Actor, category_id: int) -> None:
    category = _category(db, category_id)
    with changing(db, actor, Action.MANAGE_COMPOUND, category["compound_id"]) as change:
        roster_store.update_category(db, category_id, {"retired_at": stamp()})
        change.record("category_retired", note=category["name"])


def set_category_stage_days(db, actor: Actor, category_id: int, days: dict[str, int]) -> None:
    category = _category(db, category_id)
    with changing(db, actor, Action.MANAGE_COMPOUND, category["compound_id"]) as change:
        unknown = set(days) - set(DEFAULT_STAGE_DAYS)
        if unknown or any(not isinstance(v, int) or not 1 <= v <= 365 for v in days.values()):
            raise DomainError("各阶段期限必须是 1 到 365 天")
        roster_store.update_category(db, category_id, {"stage_days": json.dumps(days)})
        change.record("category_days_changed", note=category["name"], data=days)
