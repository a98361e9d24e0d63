"""Who is acting: a signed-in user with a role and a scope, the resident, or the system."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model.errors import NotFound
from ..model.roles import Role
from ..store import areas as area_store
from ..store import users as user_store
from .markers import for_sign_in


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: Role
    label: str
    compound_ids: frozenset[int] = field(default_factory=frozenset)
    area_id: int | None = None
    seat_code: str | None = None
    # Signed in with a one-time (or admin-set) password: may only set their own password
    # (services/permissions.may refuses everything else; web/common/context.py shows the form).
    must_change_password: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def covers(self, compound_id: int) -> bool:
        return self.is_admin or compound_id in self.compound_ids


RESIDENT = Actor(user_id=None, role=Role.RESIDENT, label="居民")
SYSTEM = Actor(user_id=None, role=Role.ADMIN, label="系统")


@for_sign_in
def load_actor(db, user_id: int) -> Actor:
    """Re-read from the database on every run: a changed role or scope takes effect at once."""
    user = user_store.active_user(db, user_id)
    if user is None:
        raise NotFound("账号不存在或已停用,请重新登录")
    role = Role(user["role"])
    if role == Role.OFFICER and user["area_id"]:
        scope = area_store.compound_ids_under(db, user["area_id"])
    else:
        scope = user_store.compound_ids_of_user(db, user_id)
    return Actor(user_id=user["id"], role=role, label=user["display_name"], compound_ids=scope,
                 area_id=user["area_id"], seat_code=user["seat_code"],
                 must_change_password=bool(user["must_change_password"]))
