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
from .managing import managing
from .markers import public_read
from .permissions import authorize
from .response_clock import check_limit_hours
from .use_case import changing

LEVEL_LABELS = {"district": "区", "subdistrict": "街道", "community": "社区"}
PARENT_LEVEL = {"district": None, "subdistrict": "district", "community": "subdistrict"}
COMPOUND_LEVELS = ("subdistrict", "community")        # a compound sits under a 街道 or a 社区
NAME_MAX = 60


def clean_name(name: str, what: str) -> str:
    """A name as stored: trimmed, one line, not empty, not overlong. Markup is kept as typed
    (pages show it as text)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(f"{what}名称不能为空")
    if len(name) > NAME_MAX:
        raise DomainError(f"{what}名称不能超过 {NAME_MAX} 个字")
    if any(ord(ch) < 32 for ch in name):
        raise DomainError(f"{what}名称不能包含换行或控制字符")
    return name


def check_parent(level: str, parent: dict | None) -> None:
    """区 > 街道 > 社区: a 街道 sits under a 区, a 社区 under a 街道; nothing under a retired area."""
    if level not in LEVEL_LABELS:
        raise DomainError(f"未知的区域层级:{level}")
    if parent is None:
        return
    if parent["retired_at"]:
        raise DomainError(f"“{parent['name']}”已撤销,不能在其下添加或迁入区域")
    if parent["level"] != PARENT_LEVEL[level]:
        raise DomainError(f"{LEVEL_LABELS[level]}必须隶属于{LEVEL_LABELS.get(PARENT_LEVEL[level] or '', '无')}"
                          f"(“{parent['name']}”是{LEVEL_LABELS[parent['level']]})")


def check_compound_area(area: dict | None) -> None:
    if area is None or area["level"] not in COMPOUND_LEVELS:
        raise DomainError("小区必须隶属于社区或街道")
    if area["retired_at"]:
        raise DomainError(f"“{area['name']}”已撤销,不能在其下添加或迁入小区")


def create_area(db, actor: Actor, name: str, level: str, parent_id: int | None = None,
                demo: bool = False) -> int:
    """The area's id; an area of that name under that parent is reused, not duplicated. A
    top-level area (no parent) is the admin's to create; an officer creates under their area."""
    with managing(db, actor, inside=[parent_id]) as change:
        name = clean_name(name, "区域")
        parent = None
        if parent_id is not None:
            parent = area_store.get_area(db, parent_id)
            if parent is None:
                raise NotFound("找不到上级区域")
        check_parent(level, parent)
        existing = area_store.area_id_named(db, name, parent_id)
        if existing:
            found = area_store.get_area(db, existing)
            if found["retired_at"]:
                raise DomainError(f"同名区域“{name}”已撤销,不能重复添加")
            if found["level"] != level:
                raise DomainError(f"已有同名区域“{name}”,层级为{LEVEL_LABELS[found['level']]}")
            return existing
        area_id = area_store.insert_area(db, {"name": name, "level": level, "parent_id": parent_id,
                                              "demo": int(demo)})
        change.record("area_created", data={"area_id": area_id, "level": level, "parent_id": parent_id})
        return area_id


def create_compound(db, actor: Actor, area_id: int, name: str, *, address: str = "",
                    households: int | None = None, branch_name: str = "",
                    schedule: ScheduleRule | None = None, place: str = "",
                    demo: bool = False) -> int:
    """A compound starts with the default 1+8 seats and category list; both are editable."""
    with managing(db, actor, inside=[area_id]) as change:
        name = clean_name(name, "小区")
        area = area_store.get_area(db, area_id)
        check_compound_area(area)
        if compound_store.compound_id_in_area(db, area_id, name):
            raise DomainError(f"该区域已有名为“{name}”的小区")
        identity = identity_changes(address=address or "", households=households,
                                    branch_name=branch_name or f"{name}党支部")
        schedule = schedule or ScheduleRule.from_text("2:1:19:00")
        compound_id = compound_store.insert_compound(db, {
            "area_id": area_id, "name": name, "address": identity["address"], "households": identity.get("households"),
            "branch_name": identity["branch_name"], "schedule_rule": schedule.to_text(),
            "schedule_place": rule_changes(place=place or "")["schedule_place"],
            "quorum_min_seats": DEFAULT_QUORUM["min_seats"],
            "demo": int(demo), "created_at": stamp(),
        })
        roster_store.insert_seats(db, ({
            "compound_id": compound_id, "code": code, "name": seat_name, "position": i,
            "quorum_required": int(code in DEFAULT_QUORUM["required"]),
        } for i, (code, seat_name) in enumerate(DEFAULT_SEATS)))
        roster_store.insert_categories(db, ({"compound_id": compound_id, "name": c, "position": i}
                                            for i, c in enumerate(DEFAULT_CATEGORIES)))
        change.record("compound_created", compound_id=compound_id, data={"area_id": area_id})
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


def _path_parts(text: str) -> list[str]:
    return [part.strip() for part in (text or "").strip().split("/") if part.strip()]


def _under_path(db, area_id: int, above: list[str]) -> bool:
    """Whether the area's names from the top end with `above` (e.g. [桂园街道, 松园社区])."""
    names = area_store.area_names_from_top(db, area_id)
    return not above or names[-len(above):] == above


@public_read
def find_compound(db, name: str) -> Compound:
    """By name, or by "社区/小区" (any tail of its area path) when two areas have a compound of that name."""
    parts = _path_parts(name)
    if not parts:
        raise NotFound("请给出小区名称")
    found = compound_store.compound_ids_named(db, name.strip()) or [
        c for c in compound_store.compound_ids_named(db, parts[-1])
        if len(parts) > 1 and _under_path(db, compound_store.get_compound(db, c)["area_id"], parts[:-1])]
    if not found:
        raise NotFound(f"找不到小区“{name}”")
    if len(found) > 1:
        raise DomainError(f"有 {len(found)} 个小区名为“{name}”,请连同所在区域写出,如“社区名/{parts[-1]}”")
    return get_compound(db, found[0])


@public_read
def find_area(db, name: str) -> dict:
    """By name, or by a path from any level down ("桂园街道/松园社区") when the name is not unique."""
    parts = _path_parts(name)
    if not parts:
        raise NotFound("请给出区域名称")
    found = area_store.areas_named(db, name.strip()) or [
        a for a in area_store.areas_named(db, parts[-1]) if len(parts) > 1 and _under_path(db, a["id"], parts)]
    if not found:
        raise NotFound(f"找不到区域“{name}”")
    if len(found) > 1:
        raise DomainError(f"有 {len(found)} 个区域名为“{name}”,请连同上级区域写出,如“街道名/{parts[-1]}”")
    return found[0]


def list_compounds(db, actor: Actor) -> list[dict]:
    """The compounds an actor works in, with counts for a first overview."""
    authorize(db, actor, Action.READ_COMPOUND)
    return compound_store.compounds_overview(db, None if actor.is_admin else actor.compound_ids)


@public_read
def list_areas(db) -> list[dict]:
    return area_store.all_areas(db)


def rule_changes(*, schedule: ScheduleRule | None = None, place: str | None = None,
                 quorum_min_seats: int | None = None, objection_window_days: int | None = None,
                 objection_threshold: int | None = None, response_limit_hours: int | None = None) -> dict:
    """The compounds columns of the standing rules given (None: unchanged), checked."""
    changes: dict = {}
    if schedule is not None:
        changes["schedule_rule"] = schedule.to_text()
    if place is not None:
        if len(place.strip()) > 100:
            raise DomainError("例会地点不能超过 100 个字")
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
    return changes


def identity_changes(*, address: str | None = None, households: int | None = None,
                     branch_name: str | None = None) -> dict:
    """Address, households and the party branch's name (printed on every document), checked."""
    changes: dict = {}
    if address is not None:
        if len(address.strip()) > 200 or "\n" in address.strip():
            raise DomainError("地址须为一行,不超过 200 个字")
        changes["address"] = address.strip()
    if households is not None:
        if isinstance(households, bool) or not isinstance(households, int) or not 0 <= households <= 100000:
            raise DomainError("户数必须是 0 到 100000 之间的整数")
        changes["households"] = households
    if branch_name is not None:
        changes["branch_name"] = clean_name(branch_name, "党支部")
    return changes


def save_with_version(change, compound_id: int, expected_version: int, changes: dict) -> None:
    """Claim the version the editor read (a stale edit is refused: nothing of it is written), then
    write. With nothing to change the version stays (a re-run of the same settings changes no row)."""
    if not changes:
        current = compound_store.get_compound(change.db, compound_id)
        if current is None or current["version"] != expected_version:
            raise StaleRecord("该小区的设置已被他人修改,请刷新后重试(您填写的内容已保留)")
        return
    if not compound_store.claim_compound_version(change.db, compound_id, expected_version):
        raise StaleRecord("该小区的设置已被他人修改,请刷新后重试(您填写的内容已保留)")
    compound_store.update_compound(change.db, compound_id, changes)


def update_compound_rules(db, actor: Actor, compound_id: int, expected_version: int, *,
                          schedule: ScheduleRule | None = None, place: str | None = None,
                          quorum_min_seats: int | None = None, required_seat_codes: list[str] | None = None,
                          objection_window_days: int | None = None, objection_threshold: int | None = None,
                          response_limit_hours: int | None = None) -> None:
    """The "3 fixed" schedule and place, the quorum rule, the 公示 settings and the response limit."""
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
        changes = rule_changes(schedule=schedule, place=place, quorum_min_seats=quorum_min_seats,
                               objection_window_days=objection_window_days,
                               objection_threshold=objection_threshold, response_limit_hours=response_limit_hours)
        save_with_version(change, compound_id, expected_version, changes)
        if required_seat_codes is not None:
            roster_store.set_required_seats(db, compound_id, required_seat_codes)
        change.record("rules_changed", data={**changes, "required": required_seat_codes})


def update_compound_settings(db, actor: Actor, compound_id: int, expected_version: int, *,
                             address: str | None = None, households: int | None = None,
                             branch_name: str | None = None, **rules) -> list[str]:
    """A manager's edit of a compound (admin, or an officer granted the right over its area): its
    address, households, branch name and the standing rules (`rules`: see rule_changes). Returns
    the names of the fields that changed; the event names them, never their typed values."""
    row = compound_store.get_compound(db, compound_id)
    if row is None:
        raise NotFound("找不到该小区")
    with managing(db, actor, inside=[row["area_id"]], compound_id=compound_id) as change:
        current = compound_store.get_compound(db, compound_id)
        if current["retired_at"]:
            raise DomainError("该小区已撤销,不能修改设置")
        values = {**identity_changes(address=address, households=households, branch_name=branch_name),
                  **rule_changes(**rules)}
        changed = {k: v for k, v in values.items() if current[k] != v}
        save_with_version(change, compound_id, expected_version, changed)
        if changed:
            change.record("compound_settings_changed", data={"fields": sorted(changed)})
    return sorted(changed)
