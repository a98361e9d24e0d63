"""Who may manage areas and compounds (create, rename, move, retire, settings): the admin everywhere;
an area officer only when granted the right (users.manages_compounds) and only under their own area.
The right is read from the database on every call, so granting or revoking it takes effect at once."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

from ..model.errors import DomainError
from ..model.roles import Action, Role
from ..store import areas as area_store
from ..store import users as user_store
from ..store import write
from ..store.db import tick_compound
from .actors import Actor
from .permissions import authorize, may, refuse
from .use_case import Change, changing

NOT_GRANTED = "您没有管理小区与区域的权限;如需开通,请联系系统管理员(此操作已记录)"
OUTSIDE = "只能管理本辖区内的区域与小区(此操作已记录)"
OWN_AREA = "不能修改或撤销本人所辖的区域本身,请联系系统管理员(此操作已记录)"
EVERYWHERE = None       # managed_area_ids' answer for the admin


def _granted_officer(db, actor: Actor) -> bool:
    if actor.role != Role.OFFICER or not actor.area_id or actor.user_id is None or actor.must_change_password:
        return False
    user = user_store.active_user(db, actor.user_id)
    return bool(user and user["manages_compounds"] and user["area_id"] == actor.area_id)


def managed_area_ids(db, actor: Actor) -> frozenset[int] | None:
    """The areas the actor may manage: None for every area (admin), an empty set for none."""
    if may(actor, Action.MANAGE_AREAS):
        return EVERYWHERE
    if _granted_officer(db, actor):
        return area_store.area_ids_under(db, actor.area_id)
    return frozenset()


def _refusal(db, actor: Actor, inside: Iterable[int | None], below: Iterable[int | None]) -> str | None:
    """Why the actor may not touch these areas (None: they may). `inside`: areas something is
    created in or moved to (the officer's own area counts); `below`: areas changed themselves."""
    scope = managed_area_ids(db, actor)
    if scope is EVERYWHERE:
        return None
    if not scope:
        return NOT_GRANTED
    if any(a not in scope for a in (*inside, *below)):
        return OUTSIDE
    if actor.area_id in set(below):
        return OWN_AREA
    return None


@contextmanager
def managing(db, actor: Actor, *, inside: Iterable[int | None] = (), below: Iterable[int | None] = (),
             compound_id: int | None = None) -> Iterator[Change]:
    """use_case.changing() for area and compound management: the refusal is audited (a `refused`
    event) before anything is written; then one write transaction, the compound's pages invalidated."""
    inside, below = tuple(inside), tuple(below)
    if may(actor, Action.MANAGE_AREAS):
        with changing(db, actor, Action.MANAGE_AREAS, compound_id) as change:
            yield change
        return
    if actor.must_change_password:
        authorize(db, actor, Action.MANAGE_AREAS, compound_id)      # refused: set the new password first
    reason = _refusal(db, actor, inside, below)
    if reason:
        refuse(db, actor, Action.MANAGE_AREAS, compound_id, reason)
    with write(db):
        yield Change(db, actor, compound_id)
        tick_compound(db, compound_id)


def may_manage_compounds(db, actor: Actor) -> bool:
    """Whether the actor may manage any area or compound at all (pages: show the forms or explain)."""
    return managed_area_ids(db, actor) != frozenset()


def officers_and_rights(db, actor: Actor) -> list[dict]:
    """Active area officers with `manages_compounds` (admin only)."""
    if not may(actor, Action.MANAGE_USERS):
        refuse(db, actor, Action.MANAGE_USERS)
    return user_store.officer_accounts(db)


def set_compound_management(db, actor: Actor, user_id: int, granted: bool) -> None:
    """Grant (or revoke) an area officer the right to manage the areas and compounds under their area."""
    with changing(db, actor, Action.MANAGE_USERS) as change:
        user = user_store.get_user(db, user_id)
        if user is None:
            raise DomainError("找不到该账号")
        if user["role"] != Role.OFFICER.value or not user["area_id"]:
            raise DomainError("只能授权给有所辖区域的社区/街道/区干部账号")
        if bool(user["manages_compounds"]) == granted:
            return
        user_store.update_user(db, user_id, {"manages_compounds": int(granted)})
        change.record("compound_management_granted" if granted else "compound_management_revoked",
                      data={"user_id": user_id, "area_id": user["area_id"]})


def set_compound_management_by_username(db, actor: Actor, username: str, granted: bool) -> dict:
    """The command line's form: the account by its username; returns it (id, username, area_id)."""
    user = user_store.active_user_named(db, (username or "").strip())
    if user is None:
        raise DomainError(f"找不到启用中的账号“{username}”")
    set_compound_management(db, actor, user["id"], granted)
    return {"id": user["id"], "username": user["username"], "area_id": user["area_id"]}
