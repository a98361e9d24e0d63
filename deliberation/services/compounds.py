"""Areas (区/街道/社区), compounds and their standing settings."""
from __future__ import annotations

from dataclasses import dataclass

from ..model.defaults import DEFAULT_CATEGORIES, DEFAULT_QUORUM, DEFAULT_SEATS
from ..model.errors import DomainError, NotFound, StaleRecord
from ..model.roles import Action
from ..model.schedule import ScheduleRule
from ..store import areas as area_store
from ..store import compounds as compound_store
from ..store import roster as roster_store
from .actors import Actor
from .clock import stamp
from .markers import public_read
from .permissions import authorize
from .response_clock import check_limit_hours
from .use_case import changing

LEVEL_LABELS = {"district": "区", "subdistrict": "街道", "community": "社区"}
PARENT_LEVEL = {"district": None, "subdistrict": "district", "community": "subdistrict"}


def create_area(db, actor: Actor, name: str, level: str, parent_id: int | None = None,
                demo: bool = False) -> int:
    """The area's id; an area of that name under that parent is reused, not duplicated."""
    with changing(db, actor, Action.MANAGE_AREAS):
        name = name.strip()
        if not name:
            raise DomainError("区域名称不能为空")
        if level not in LEVEL_LABELS:
            raise DomainError(f"未知的区域层级:{level}")
        if parent_id is not None:
            parent = area_store.get_area(db, parent_id)
            if parent is None or parent["level"] != PARENT_LEVEL[level]:
                raise DomainError(f"{LEVEL_LABELS[level]}必须隶属于{LEVEL_LABELS.get(PARENT_LEVEL[level] or '', '无')}")
        existing = area_store.area_id_named(db, name, parent_id)
        if existing:
            return existing
        return area_store.insert_area(db, {"name": name, "level": level, "parent_id": parent_id,
                                           "demo": int(demo)})


def create_compound(db, actor: Actor, area_id: int, name: str, *, address: str = "",
                    households: int | None = None, branch_name: str = "",
                    schedule: ScheduleRule | None = None, place: str = "",
                    demo: bool = False) -> int:
    """A compound starts with the default 1+8 seats and category list; both are editable."""
    with changing(db, actor, Action.MANAGE_AREAS) as change:
        name = name.strip()
        if not name:
            raise DomainError("小区名称不能为空")
        area = area_store.get_area(db, area_id)
        if area is None or area["level"] == "district":
            raise DomainError("小区必须隶属于社区或街道")
        if compound_store.compound_id_in_area(db, area_id, name):
            raise DomainError(f"该区域已有名为“{name}”的小区")
        schedule = schedule or ScheduleRule.from_text("2:1:19:00")
        compound_id = compound_store.insert_compound(db, {
            "area_id": area_id, "name": name, "address": address, "households": households,
            "branch_name": branch_name or f"{name}党支部", "schedule_rule": schedule.to_text(),
            "schedule_place": place, "quorum_min_seats": DEFAULT_QUORUM["min_seats"],
            "demo": int(demo), "created_at": stamp(),
        })
        roster_store.insert_seats(db, ({
            "compound_id": compound_id, "code": code, "name": seat_name, "position": i,
            "quorum_required": int(code in DEFAULT_QUORUM["required"]),
        } for i, (code, seat_name) in enumerate(DEFAULT_SEATS)))
        roster_store.insert_categories(db, ({"compound_id": compound_id, "name": c, "position": i}
                                            for i, c in enumerate(DEFAULT_CATEGORIES)))
        change.record("compound_created", compound_id=compound_id, note=name)
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
    response_limit_hours: int = 24    # a resident's concern is answered within this (services/response_clock.py)


@public_read
def area_path(db, area_id: int) -> str:
    """"区/街道/社区", from the top down."""
    return "/".join(area_store.area_names_from_top(db, area_id))


@public_read
def get_compound(db, compound_id: int) -> Compound:
    """Compound settings are public (name, address, schedule, place): no personal field here."""
    row = compound_store.get_compound(db, compound_id)
    if row is None:
        raise NotFound("找不到该小区")
    return Compound(
        id=row["id"], name=row["name"], area_id=row["area_id"], area_path=area_path(db, row["area_id"]),
        address=row["address"], households=row["households"], branch_name=row["branch_name"],
        schedule=ScheduleRule.from_text(row["schedule_rule"]), place=row["schedule_place"],
        quorum_min_seats=row["quorum_min_seats"], objection_window_days=row["objection_window_days"],
        objection_threshold=row["objection_threshold"], demo=bool(row["demo"]), version=row["version"],
        response_limit_hours=row["response_limit_hours"])


@public_read
def find_compound(db, name: str) -> Compound:
    found = compound_store.compound_ids_named(db, name.strip())
    if not found:
        raise NotFound(f"找不到小区“{name}”")
    if len(found) > 1:
        raise DomainError(f"有 {len(found)} 个小区名为“{name}”,请使用小区编号")
    return get_compound(db, found[0])


@public_read
def find_area(db, name: str) -> dict:
    found = area_store.areas_named(db, name.strip())
    if not found:
        raise NotFound(f"找不到区域“{name}”")
    if len(found) > 1:
        raise DomainError(f"有 {len(found)} 个区域名为“{name}”")
    return found[0]


def list_compounds(db, actor: Actor) -> list[dict]:
    """The compounds an actor works in, with counts for a first overview."""
    authorize(db, actor, Action.READ_COMPOUND)
    return compound_store.compounds_overview(db, None if actor.is_admin else actor.compound_ids)


@public_read
def list_areas(db) -> list[dict]:
    return area_store.all_areas(db)


def update_compound_rules(db, actor: Actor, compound_id: int, expected_version: int, *,
                          schedule: ScheduleRule | None = None, place: str | None = None,
                          quorum_min_seats: int | None = None, required_seat_codes: list[str] | None = None,
                          objection_window_days: int | None = None, objection_threshold: int | None = None,
                          response_limit_hours: int | None = None) -> None:
    """The "3 fixed" schedule and place, the quorum rule, the 公示 settings and the response limit."""
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
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
        if response_limit_hours is not None:
            changes["response_limit_hours"] = check_limit_hours(response_limit_hours)
        if not compound_store.claim_compound_version(db, compound_id, expected_version):
            raise StaleRecord()
        if changes:
            compound_store.update_compound(db, compound_id, changes)
        if required_seat_codes is not None:
            roster_store.set_required_seats(db, compound_id, required_seat_codes)
        change.record("rules_changed", data={**changes, "required": required_seat_codes})

