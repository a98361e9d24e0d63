"""Accounts: argon2id passwords, lockout after repeated failures, roles and scopes."""
from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..model.errors import DomainError, NotFound
from ..model.roles import Action, Role
from ..store import one, rows, write
from .context import Actor, append_event, authorize, now

HASHER = PasswordHasher()          # argon2id with the library's RFC 9106 defaults
MAX_FAILURES = 5
LOCK_MINUTES = 15
LOGIN_FAILED = "用户名或密码错误,或账号已被暂时锁定。请稍后再试"
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY_HASH = HASHER.hash("not-a-real-password")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return HASHER.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < 8:
        raise DomainError("密码至少 8 位")
    if password.isdigit() or password.isalpha():
        raise DomainError("密码需同时包含字母和数字")


def create_user(db, actor: Actor, username: str, display_name: str, role: str, *, password: str | None = None,
                password_hash: str | None = None, compound_ids: list[int] = (), area_id: int | None = None,
                seat_code: str | None = None, demo: bool = False) -> int:
    authorize(db, actor, Action.MANAGE_USERS)
    username = username.strip()
    if not username or not display_name.strip():
        raise DomainError("用户名和姓名不能为空")
    try:
        role = Role(role)
    except ValueError:
        raise DomainError("角色不正确") from None
    if role == Role.RESIDENT:
        raise DomainError("居民无需账号")
    if role == Role.OFFICER and area_id is None:
        raise DomainError("社区/街道干部需要指定所辖区域")
    if role in (Role.SECRETARY, Role.RECORDER, Role.SEAT_REP) and not compound_ids:
        raise DomainError("请至少指定一个小区")
    if role == Role.SEAT_REP and not seat_code:
        raise DomainError("协商主体代表需要指定所属主体")
    if one(db, "SELECT id FROM users WHERE username = ?", [username]):
        raise DomainError(f"用户名“{username}”已被使用")
    hashed = password_hash or hash_password(password or "")
    with write(db):
        user_id = db["users"].insert({
            "username": username, "display_name": display_name.strip(), "password_hash": hashed,
            "role": role.value, "area_id": area_id, "seat_code": seat_code, "demo": int(demo),
            "created_at": now().isoformat(sep=" ")}).last_pk
        db["user_compounds"].insert_all({"user_id": user_id, "compound_id": c} for c in compound_ids)
        append_event(db, actor=actor, kind="user_created", note=f"{username}({role.label})")
    return user_id


def authenticate(db, username: str, password: str, *, at: datetime | None = None) -> int:
    """Return the user id, or refuse with one message whatever the reason (no user enumeration)."""
    moment = at or now()
    user = one(db, "SELECT * FROM users WHERE username = ? AND active = 1", [username.strip()])
    if user is None:
        _verify(_DUMMY_HASH, password)
        raise DomainError(LOGIN_FAILED)
    if user["locked_until"] and user["locked_until"] > moment.isoformat(sep=" "):
        _verify(_DUMMY_HASH, password)
        raise DomainError(LOGIN_FAILED)
    if not _verify(user["password_hash"], password):
        failures = user["failed_logins"] + 1
        locked = (moment + timedelta(minutes=LOCK_MINUTES)).isoformat(sep=" ") if failures >= MAX_FAILURES else None
        with write(db):
            db["users"].update(user["id"], {"failed_logins": 0 if locked else failures, "locked_until": locked})
            append_event(db, actor=Actor(user["id"], Role(user["role"]), user["display_name"]),
                         kind="login_failed", note="登录失败" + (",账号锁定 15 分钟" if locked else ""))
        raise DomainError(LOGIN_FAILED)
    with write(db):
        db["users"].update(user["id"], {"failed_logins": 0, "locked_until": None})
        if HASHER.check_needs_rehash(user["password_hash"]):
            db["users"].update(user["id"], {"password_hash": HASHER.hash(password)})
    return user["id"]


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def change_password(db, actor: Actor, old_password: str, new_password: str) -> None:
    user = one(db, "SELECT * FROM users WHERE id = ?", [actor.user_id])
    if user is None:
        raise NotFound("账号不存在")
    if not _verify(user["password_hash"], old_password):
        raise DomainError("原密码不正确")
    if old_password == new_password:
        raise DomainError("新密码不能与原密码相同")
    hashed = hash_password(new_password)
    with write(db):
        db["users"].update(actor.user_id, {"password_hash": hashed})
        append_event(db, actor=actor, kind="password_changed", note="修改了密码")


def list_users(db, actor: Actor) -> list[dict]:
    authorize(db, actor, Action.MANAGE_USERS)
    return rows(db, """SELECT u.id, u.username, u.display_name, u.role, u.area_id, u.seat_code, u.active,
                              u.locked_until, group_concat(uc.compound_id) AS compound_ids
                       FROM users u LEFT JOIN user_compounds uc ON uc.user_id = u.id
                       GROUP BY u.id ORDER BY u.id""")


def set_user_scope(db, actor: Actor, user_id: int, *, role: str, compound_ids: list[int],
                   area_id: int | None = None, seat_code: str | None = None, active: bool = True) -> None:
    authorize(db, actor, Action.MANAGE_USERS)
    if one(db, "SELECT id FROM users WHERE id = ?", [user_id]) is None:
        raise NotFound("找不到该用户")
    role = Role(role)
    with write(db):
        db["users"].update(user_id, {"role": role.value, "area_id": area_id, "seat_code": seat_code,
                                     "active": int(active)})
        db.execute("DELETE FROM user_compounds WHERE user_id = ?", [user_id])
        db["user_compounds"].insert_all({"user_id": user_id, "compound_id": c} for c in compound_ids)
        append_event(db, actor=actor, kind="user_scope_changed", data={"user_id": user_id, "role": role.value,
                                                                      "compounds": list(compound_ids)})
