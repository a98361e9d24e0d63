"""Renaming, moving and retiring areas (区/街道/社区) and compounds, and the tree a manager works on.

Nothing is deleted: a retired area or compound keeps its id, history and records; it leaves the
pickers and the roll-up counts. Events name ids and fields only, never a typed name. Who may do
what is managing.py's rule (admin; an officer granted the right, under their own area)."""
from __future__ import annotations

from ..model.errors import DomainError, NotFound
from ..store import areas as area_store
from ..store import compounds as compound_store
from .actors import Actor
from .clock import stamp
from .compounds import LEVEL_LABELS, save_with_version, check_compound_area, check_parent, clean_name
from .managing import EVERYWHERE, managed_area_ids, managing


def _area(db, area_id: int) -> dict:
    area = area_store.get_area(db, area_id)
    if area is None:
        raise NotFound("找不到该区域")
    return area


def _compound(db, compound_id: int) -> dict:
    compound = compound_store.get_compound(db, compound_id)
    if compound is None:
        raise NotFound("找不到该小区")
    return compound


def _live(thing: dict, what: str) -> None:
    if thing["retired_at"]:
        raise DomainError(f"{what}“{thing['name']}”已撤销,不能再修改")


# --- areas -----------------------------------------------------------------------------------

def rename_area(db, actor: Actor, area_id: int, new_name: str) -> None:
    with managing(db, actor, below=[area_id]) as change:
        area = _area(db, area_id)
        _live(area, "区域")
        name = clean_name(new_name, "区域")
        if name == area["name"]:
            return
        if area_store.area_id_named(db, name, area["parent_id"]):
            raise DomainError(f"同一上级下已有名为“{name}”的区域")
        area_store.update_area(db, area_id, {"name": name})
        change.record("area_renamed", data={"area_id": area_id, "fields": ["name"]})


def move_area(db, actor: Actor, area_id: int, new_parent_id: int | None) -> None:
    """Under another parent of the level above (区 > 街道 > 社区); never under itself or below."""
    with managing(db, actor, inside=[new_parent_id], below=[area_id]) as change:
        area = _area(db, area_id)
        _live(area, "区域")
        if new_parent_id == area["parent_id"]:
            return
        if new_parent_id is not None and new_parent_id in area_store.area_ids_under(db, area_id):
            raise DomainError("不能把区域迁到它自己或它的下级区域之下")
        parent = _area(db, new_parent_id) if new_parent_id is not None else None
        check_parent(area["level"], parent)
        if area_store.area_id_named(db, area["name"], new_parent_id):
            raise DomainError(f"目标上级下已有名为“{area['name']}”的区域")
        area_store.update_area(db, area_id, {"parent_id": new_parent_id})
        change.record("area_moved", data={"area_id": area_id, "from_parent_id": area["parent_id"],
                                          "to_parent_id": new_parent_id})


def retire_area(db, actor: Actor, area_id: int) -> None:
    """Only an empty area: its compounds and sub-areas are retired or moved first."""
    with managing(db, actor, below=[area_id]) as change:
        area = _area(db, area_id)
        _live(area, "区域")
        live = area_store.live_compound_ids_under(db, area_id)
        if live:
            raise DomainError(f"“{area['name']}”下还有 {len(live)} 个未撤销的小区,请先撤销或迁出这些小区")
        children = area_store.live_children(db, area_id)
        if children:
            raise DomainError(f"“{area['name']}”下还有 {len(children)} 个未撤销的下级区域"
                              f"(如“{children[0]['name']}”),请先撤销或迁出")
        area_store.update_area(db, area_id, {"retired_at": stamp()})
        change.record("area_retired", data={"area_id": area_id})


# --- compounds -------------------------------------------------------------------------------

def rename_compound(db, actor: Actor, compound_id: int, expected_version: int, new_name: str) -> None:
    with managing(db, actor, inside=[_compound(db, compound_id)["area_id"]], compound_id=compound_id) as change:
        compound = _compound(db, compound_id)
        _live(compound, "小区")
        name = clean_name(new_name, "小区")
        if name != compound["name"] and compound_store.compound_id_in_area(db, compound["area_id"], name):
            raise DomainError(f"该区域已有名为“{name}”的小区")
        save_with_version(change, compound_id, expected_version, {"name": name})
        change.record("compound_renamed", data={"fields": ["name"]})


def move_compound(db, actor: Actor, compound_id: int, expected_version: int, area_id: int) -> None:
    """Into another 社区 or 街道; both the old and the new area must be the actor's to manage."""
    old_area = _compound(db, compound_id)["area_id"]
    with managing(db, actor, inside=[old_area, area_id], compound_id=compound_id) as change:
        compound = _compound(db, compound_id)
        _live(compound, "小区")
        target = area_store.get_area(db, area_id)
        check_compound_area(target)
        if area_id != compound["area_id"] and compound_store.compound_id_in_area(db, area_id, compound["name"]):
            raise DomainError(f"“{target['name']}”已有名为“{compound['name']}”的小区")
        save_with_version(change, compound_id, expected_version, {"area_id": area_id})
        change.record("compound_moved", data={"from_area_id": compound["area_id"], "to_area_id": area_id})


def retire_compound(db, actor: Actor, compound_id: int, expected_version: int) -> None:
    """Out of the pickers and the roll-up counts; its issues, meetings and events stay readable."""
    with managing(db, actor, inside=[_compound(db, compound_id)["area_id"]], compound_id=compound_id) as change:
        compound = _compound(db, compound_id)
        _live(compound, "小区")
        save_with_version(change, compound_id, expected_version, {"retired_at": stamp()})
        change.record("compound_retired", data={"area_id": compound["area_id"]})


# --- what a manager sees -----------------------------------------------------------------------

def management_tree(db, actor: Actor) -> dict | None:
    """The areas (tree order, with depth) and compounds the actor may manage, retired ones marked;
    None when the actor may manage none. `top_level`: whether they may add a top-level area;
    `above`: the path above an officer's own area ("龙岗区"), so labels show whole paths."""
    scope = managed_area_ids(db, actor)
    if scope == frozenset():
        return None
    if scope is EVERYWHERE:
        areas, above = area_store.areas_for_management(db, None), ""
    else:
        areas = area_store.areas_for_management(db, actor.area_id)
        above = "/".join(area_store.area_names_from_top(db, actor.area_id)[:-1])
    area_ids = [a["id"] for a in areas]
    compounds = compound_store.compounds_in_areas(db, None if scope is EVERYWHERE else area_ids)
    return {"areas": areas, "compounds": compounds, "top_level": scope is EVERYWHERE, "above": above,
            "own_area_id": None if scope is EVERYWHERE else actor.area_id, "levels": LEVEL_LABELS}
