"""Areas (区/街道/社区), compounds and their standing settings."""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..model.defaults import DEFAULT_CATEGORIES, DEFAULT_QUORUM, DEFAULT_SEATS
from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..model.schedule import ScheduleRule
from ..store import one, rows, write
from .actors import Actor
from .clock import now
from .event_log import append_event
from .permissions import authorize

LEVEL_LABELS = {"district": "区", "subdistrict": "街道", "community": "社区"}
PARENT_LEVEL = {"district": None, "subdistrict": "district", "community": "subdistrict"}


def create_area(db, actor: Actor, name: str, level: str, parent_id: int | None = None,
                demo: bool = False) -> int:
    authorize(db, actor, Action.MANAGE_AREAS)
    name = name.strip()
    if not name:
        raise DomainError("区域名称不能为空")
    if level not in LEVEL_LABELS:
        raise DomainError(f"未知的区域层级:{level}")
    if parent_id is not None:
        parent = one(db, "SELECT level FROM areas WHERE id = ?", [parent_id])
        if parent is None or parent["level"] != PARENT_LEVEL[level]:
            raise DomainError(f"{LEVEL_LABELS[level]}必须隶属于{LEVEL_LABELS.get(PARENT_LEVEL[level] or '', '无')}")
    existing = one(db, "SELECT id FROM areas WHERE name = ? AND parent_id IS ?", [name, parent_id])
    if existing:
        return existing["id"]
    with write(db):
        return db["areas"].insert({"name": name, "level": level, "parent_id": parent_id,
                                   "demo": int(demo)}).last_pk


def create_compound(db, actor: Actor, area_id: int, name: str, *, address: str = "",
                    households: int | None = None, branch_name: str = "",
                    schedule: ScheduleRule | None = None, place: str = "",
                    demo: bool = False) -> int:
    """A compound starts with the default 1+8 seats and category list; both are editable."""
    authorize(db, actor, Action.MANAGE_AREAS)
    name = name.strip()
    if not name:
        raise DomainError("小区名称不能为空")
    if one(db, "SELECT id FROM areas WHERE id = ? AND level != 'district'", [area_id]) is None:
        raise DomainError("小区必须隶属于社区或街道")
    if one(db, "SELECT id FROM compounds WHERE area_id = ? AND name = ?", [area_id, name]):
        raise DomainError(f"该区域已有名为“{name}”的小区")
    schedule = schedule or ScheduleRule.from_text("2:1:19:00")
    with write(db):
        compound_id = db["compounds"].insert({
            "area_id": area_id, "name": name, "address": address, "households": households,
            "branch_name": branch_name or f"{name}党支部", "schedule_rule": schedule.to_text(),
            "schedule_place": place, "quorum_min_seats": DEFAULT_QUORUM["min_seats"],
            "demo": int(demo), "created_at": now().isoformat(sep=" "),
        }).last_pk
        db["seats"].insert_all({
            "compound_id": compound_id, "code": code, "name": seat_name, "position": i,
            "quorum_required": int(code in DEFAULT_QUORUM["required"]),
        } for i, (code, seat_name) in enumerate(DEFAULT_SEATS))
        db["categories"].insert_all({"compound_id": compound_id, "name": c, "position": i}
                                    for i, c in enumerate(DEFAULT_CATEGORIES))
        append_event(db, actor=actor, kind="compound_created", compound_id=compound_id, note=name)
    return compound_id


@dataclass(frozen=True)
class Compound:
    id: int
    name: str
    area_id: int
    area_path: str
    address: str
    households: int | None
    branch_name: str
    schedule: ScheduleRule
    place: str
    quorum_min_seats: int
    objection_window_days: int
    objection_threshold: int
    demo: bool
    version: int


def area_path(db, area_id: int) -> str:
    chain = rows(db, """
        WITH RECURSIVE up(id, name, parent_id, depth) AS (
          SELECT id, name, parent_id, 0 FROM areas WHERE id = ?
          UNION ALL SELECT a.id, a.name, a.parent_id, up.depth + 1 FROM areas a JOIN up ON a.id = up.parent_id)
        SELECT name FROM up ORDER BY depth DESC""", [area_id])
    return "/".join(r["name"] for r in chain)


def get_compound(db, compound_id: int) -> Compound:
    """Compound settings are public (name, address, schedule, place): no personal field here."""
    row = one(db, "SELECT * FROM compounds WHERE id = ?", [compound_id])
    if row is None:
        raise NotFound("找不到该小区")
    return Compound(
        id=row["id"], name=row["name"], area_id=row["area_id"], area_path=area_path(db, row["area_id"]),
        address=row["address"], households=row["households"], branch_name=row["branch_name"],
        schedule=ScheduleRule.from_text(row["schedule_rule"]), place=row["schedule_place"],
        quorum_min_seats=row["quorum_min_seats"], objection_window_days=row["objection_window_days"],
        objection_threshold=row["objection_threshold"], demo=bool(row["demo"]), version=row["version"])


def find_compound(db, name: str) -> Compound:
    found = rows(db, "SELECT id FROM compounds WHERE name = ?", [name.strip()])
    if not found:
        raise NotFound(f"找不到小区“{name}”")
    if len(found) > 1:
        raise DomainError(f"有 {len(found)} 个小区名为“{name}”,请使用小区编号")
    return get_compound(db, found[0]["id"])


def find_area(db, name: str) -> dict:
    found = rows(db, "SELECT * FROM areas WHERE name = ?", [name.strip()])
    if not found:
        raise NotFound(f"找不到区域“{name}”")
    if len(found) > 1:
        raise DomainError(f"有 {len(found)} 个区域名为“{name}”")
    return found[0]


def list_compounds(db, actor: Actor) -> list[dict]:
    """The compounds an actor works in, with counts for a first overview."""
    # Scope in SQL: a secretary of one compound must not pay for the counts of a whole district.
    scope, params = ("", []) if actor.is_admin else (
        "WHERE c.id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(actor.compound_ids))])
    return rows(db, f"""
        SELECT c.id, c.name, c.area_id, c.demo,
          (SELECT count(*) FROM meetings m WHERE m.compound_id = c.id AND m.status != 'planned') AS meetings,
          (SELECT count(*) FROM issues i WHERE i.compound_id = c.id AND i.merged_into_id IS NULL) AS issues,
          (SELECT count(*) FROM issues i WHERE i.compound_id = c.id AND i.stage = 'resolved') AS resolved
        FROM compounds c {scope} ORDER BY c.id""", params)


def list_areas(db) -> list[dict]:
    return rows(db, "SELECT id, name, level, parent_id FROM areas ORDER BY id")


def update_compound_rules(db, actor: Actor, compound_id: int, expected_version: int, *,
                          schedule: ScheduleRule | None = None, place: str | None = None,
                          quorum_min_seats: int | None = None, required_seat_codes: list[str] | None = None,
                          objection_window_days: int | None = None, objection_threshold: int | None = None) -> None:
    """The "3 fixed" schedule and place, the quorum rule and the 公示 settings."""
    authorize(db, actor, Action.MANAGE_COMPOUND, compound_id)
    changes: dict = {}
    if schedule is not None:
        changes["schedule_rule"] = schedule.to_text()
    if place is not None:
        changes["schedule_place"] = place.strip()
    if quorum_min_seats is not None:
        if not 1 <= quorum_min_seats <= 20:
            raise DomainError("最少出席主体数必须在 1 到 20 之间")
        changes["quorum_min_seats"] = quorum_min_seats
    if objection_window_days is not None:
        if not 1 <= objection_window_days <= 60:
            raise DomainError("公示期必须在 1 到 60 天之间")
        changes["objection_window_days"] = objection_window_days
    if objection_threshold is not None:
        if not 1 <= objection_threshold <= 1000:
            raise DomainError("异议阈值必须是正整数")
        changes["objection_threshold"] = objection_threshold
    with write(db):
        cur = db.execute("UPDATE compounds SET version = version + 1 WHERE id = ? AND version = ?",
                         [compound_id, expected_version])
        if cur.rowcount != 1:
            from ..model.errors import StaleRecord
            raise StaleRecord()
        if changes:
            db["compounds"].update(compound_id, changes)
        if required_seat_codes is not None:
            db.execute("UPDATE seats SET quorum_required = 0 WHERE compound_id = ?", [compound_id])
            for code in required_seat_codes:
                db.execute("UPDATE seats SET quorum_required = 1 WHERE compound_id = ? AND code = ?",
                           [compound_id, code])
        append_event(db, actor=actor, kind="rules_changed", compound_id=compound_id,
                     data={**changes, "required": required_seat_codes})


def stage_days(db, category_id: int) -> dict[str, int]:
    row = one(db, "SELECT stage_days FROM categories WHERE id = ?", [category_id])
    return json.loads(row["stage_days"]) if row else {}
