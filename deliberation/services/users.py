"""Accounts: argon2id passwords, lockout after repeated failures, roles and scopes."""
from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..model.errors import DomainError, NotFound
from ..model.roles import Action, Role
from ..store import areas as area_store
from ..store import compounds as compound_store
from ..store import sessions as session_store
from ..store import users as user_store
from ..store import write
from . import sign_in_limits as limits
from .actors import Actor
from .clock import now, stamp
from .event_log import append_event
from .markers import for_sign_in
from .permissions import authorize, refuse
from .use_case import changing

HASHER = PasswordHasher()          # argon2id with the library's RFC 9106 defaults
MAX_FAILURES = 5
LOCK_MINUTES = 15
USERNAME_MAX = 64
DISPLAY_NAME_MAX = 80           # a name with its title, e.g. 李明华(鸿翔花园联合党支部书记); not a page of text
PASSWORD_MIN = 8
# Argon2 would hash a 20 MB password happily, slowly and under the caller's nose: longer ones are
# refused before any hashing, when a password is set and when one is typed at sign-in.
PASSWORD_MAX = 128
PASSWORD_TOO_LONG = f"密码不能超过 {PASSWORD_MAX} 个字符"
LOGIN_FAILED = "用户名或密码错误,或账号已被暂时锁定。请稍后再试"
TOO_MANY_TRIES = "这台设备登录失败次数过多,请 15 分钟后再试"


def hash_password(password: str) -> str:
    check_password_strength(password)
    return HASHER.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) > PASSWORD_MAX:
        raise DomainError(PASSWORD_TOO_LONG)
    if len(password) < PASSWORD_MIN:
        raise DomainError(f"密码至少 {PASSWORD_MIN} 位")
    if password.isdigit() or password.isalpha():
        raise DomainError("密码需同时包含字母和数字")


def _check_scope(db, role: Role, compound_ids, area_id: int | None, seat_code: str | None) -> None:
    """The same rules for a new account and a changed one."""
    if role == Role.RESIDENT:
        raise DomainError("居民无需账号")
    if role == Role.OFFICER and area_id is None:
        raise DomainError("社区/街道干部需要指定所辖区域")
    if role in (Role.SECRETARY, Role.RECORDER, Role.SEAT_REP) and not compound_ids:
        raise DomainError("请至少指定一个小区")
    if role == Role.SEAT_REP and not seat_code:
        raise DomainError("协商主体代表需要指定所属主体")
    for compound_id in compound_ids:
        if not compound_store.compound_exists(db, compound_id):
            raise DomainError("指定的小区不存在")
    if area_id is not None and area_store.get_area(db, area_id) is None:
        raise DomainError("指定的区域不存在")


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise DomainError("角色不正确") from None


def check_names(username: str, display_name: str) -> tuple[str, str]:
    """The username and display name of a new account, stripped, or a refusal in Chinese."""
    username, display_name = (username or "").strip(), (display_name or "").strip()
    if not username or not display_name:
        raise DomainError("用户名和姓名不能为空")
    if len(username) > USERNAME_MAX:
        raise DomainError(f"用户名不能超过 {USERNAME_MAX} 个字符")
    if len(display_name) > DISPLAY_NAME_MAX:
        raise DomainError(f"姓名不能超过 {DISPLAY_NAME_MAX} 个字符")
    return username, display_name


def _check_new_account(db, username: str, role: Role, compound_ids, area_id: int | None,
                      seat_code: str | None) -> None:
    """Inside the write transaction: the scope holds and the username is free."""
    _check_scope(db, role, compound_ids, area_id, seat_code)
    if user_store.username_taken(db, username):
        raise DomainError(f"用户名“{username}”已被使用")


def create_user(db, actor: Actor, username: str, display_name: str, role: str, *, password: str | None = None,
                password_hash: str | None = None, compound_ids: list[int] = (), area_id: int | None = None,
                seat_code: str | None = None, demo: bool = False) -> int:
    """An account with a password chosen by whoever creates it (the CLI, tests, the demo). New
    accounts made in the app get a one-time password instead: services/accounts.py."""
    authorize(db, actor, Action.MANAGE_USERS)
    username, display_name = check_names(username, display_name)
    role = _role(role)
    # Hashing is slow on purpose: done before the write lock is taken, not under it.
    hashed = password_hash or hash_password(password or "")
    with write(db):
        _check_new_account(db, username, role, compound_ids, area_id, seat_code)
        user_id = user_store.insert_user(db, {
            "username": username, "display_name": display_name, "password_hash": hashed,
            "role": role.value, "area_id": area_id, "seat_code": seat_code, "demo": int(demo),
            "created_at": stamp()})
        user_store.set_user_compounds(db, user_id, compound_ids)
        append_event(db, actor=actor, kind="user_created", note=f"{username}({role.label})")
    return user_id


@for_sign_in
def authenticate(db, username: str, password: str, *, client: str | None = None,
                 at: datetime | None = None) -> int:
    """Return the user id, or refuse with one message whatever the reason (no user enumeration).

    `client` is the address the form came from (the web passes it; the CLI and tests pass none).
    Before any lookup or hash, a client with too many recent failures is refused
    (services/sign_in_limits.py). Failures are also counted per typed name in `login_failures`,
    for real and unknown names alike: five within 15 minutes lock the name for 15 minutes — but
    only for clients that failed on it themselves (and for callers without an address), so the
    owner still signs in from a clean client while someone else guesses. Verification runs in a
    bounded number of slots; an unknown name waits in a slot as long as argon2 would take."""
    if len(password or "") > PASSWORD_MAX:                      # before any hashing or lookup
        raise DomainError(PASSWORD_TOO_LONG)
    if len(username or "") > 4 * USERNAME_MAX:
        raise DomainError(f"用户名不能超过 {USERNAME_MAX} 个字符")
    moment = at or now()
    seconds = moment.timestamp()
    key = username.strip()[:USERNAME_MAX]
    who = limits.client_key(client) if client is not None else None
    if who is not None and limits.FAILURES.blocked(who, key, seconds):
        raise DomainError(TOO_MANY_TRIES)
    record = user_store.login_failure(db, key)
    locked = bool(record and record["locked_until"] and record["locked_until"] > moment.isoformat(sep=" "))
    if locked and (who is None or limits.FAILURES.has_failed_on(who, key, seconds)):
        raise DomainError(LOGIN_FAILED)                         # this client's own lock: no hashing
    user = user_store.active_user_named(db, key) if key else None
    if user is None:
        verified = limits.SLOTS.idle_like_a_verification()
    else:
        verified = limits.SLOTS.run(lambda: _verify(user["password_hash"], password))
    if not verified:
        if who is not None:
            limits.FAILURES.note_failure(who, key, seconds)
        _record_failure(db, key, user, moment)
        raise DomainError(LOGIN_FAILED)
    if who is not None:
        limits.FAILURES.forget(who, key)
    rehashed = (limits.SLOTS.run(lambda: HASHER.hash(password))
                if HASHER.check_needs_rehash(user["password_hash"]) else None)
    with write(db):
        user_store.forget_login_failures(db, key)
        if rehashed:
            user_store.update_user(db, user["id"], {"password_hash": rehashed})
    return user["id"]


def _record_failure(db, key: str, user: dict | None, moment: datetime) -> None:
    """Count one failure on `key`. The audit trail gets one event when a window's first failure
    happens and one when the name locks — not one per try (a flood adds two rows, not thousands)."""
    at = moment.isoformat(sep=" ")
    window_start = (moment - timedelta(minutes=LOCK_MINUTES)).isoformat(sep=" ")
    with write(db):
        record = user_store.login_failure(db, key)
        fresh = (record is None or record["last_failed_at"] < window_start
                 or (record["locked_until"] is not None and record["locked_until"] <= at))
        already_locked = not fresh and record["locked_until"] is not None
        failures = 1 if fresh else record["failures"] + 1
        locked_until = None if fresh else record["locked_until"]
        if failures >= MAX_FAILURES and not already_locked:
            locked_until = (moment + timedelta(minutes=LOCK_MINUTES)).isoformat(sep=" ")
        user_store.save_login_failure(db, key, failures, at, locked_until)
        # Names nobody has mistyped for a day are forgotten, so the table cannot grow without end.
        user_store.forget_stale_login_failures(db, (moment - timedelta(days=1)).isoformat(sep=" "), at)
        if not (failures == 1 or (locked_until and not already_locked)):
            return
        if user is not None:
            actor = Actor(user["id"], Role(user["role"]), user["display_name"])
        else:
            actor = Actor(None, Role.RESIDENT, f"未知用户名「{key}」")
        note = f"登录失败,连续 {failures} 次,锁定 {LOCK_MINUTES} 分钟" if locked_until else "登录失败"
        append_event(db, actor=actor, kind="login_failed", note=note,
                     data={"known_user": user is not None, "failures": failures})


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def change_password(db, actor: Actor, old_password: str, new_password: str) -> None:
    """The one thing an account flagged must_change_password may do (services/permissions.may):
    after it the flag is clear and the account works as its role allows."""
    if actor.user_id is None:                # residents have no account to change
        refuse(db, actor, Action.MANAGE_USERS)
    if len(old_password or "") > PASSWORD_MAX:
        raise DomainError("原密码不正确")
    check_password_strength(new_password or "")          # cheap checks before the slow verify
    user = user_store.get_user(db, actor.user_id)
    if user is None:
        raise NotFound("账号不存在")
    # A wrong old password counts like a failed sign-in: an unattended session cannot be used
    # to guess the password at leisure. The session is the client here, so someone else's
    # guesses at the sign-in form do not stop the owner from changing the password.
    moment, session_client = now(), f"account:{actor.user_id}"
    if limits.FAILURES.blocked(session_client, user["username"], moment.timestamp()):
        raise DomainError("尝试次数过多,账号已被暂时锁定,请 15 分钟后再试")
    if not limits.SLOTS.run(lambda: _verify(user["password_hash"], old_password)):
        limits.FAILURES.note_failure(session_client, user["username"], moment.timestamp())
        _record_failure(db, user["username"], user, moment)
        raise DomainError("原密码不正确")
    if old_password == new_password:
        raise DomainError("新密码不能与原密码相同")
    hashed = hash_password(new_password)
    with write(db):
        user_store.update_user(db, actor.user_id, {"password_hash": hashed, "must_change_password": 0})
        session_store.delete_user_sessions(db, actor.user_id)     # every other browser signs in again
        append_event(db, actor=actor, kind="password_changed", note="修改了密码",
                     data={"first_sign_in": bool(user.get("must_change_password"))})


def list_users(db, actor: Actor) -> list[dict]:
    """Every account with its scope; `locked_until` is set while failed sign-ins keep it locked."""
    authorize(db, actor, Action.MANAGE_USERS)
    return user_store.users_with_scope(db, stamp())


def set_user_scope(db, actor: Actor, user_id: int, *, role: str, compound_ids: list[int],
                   area_id: int | None = None, seat_code: str | None = None, active: bool = True) -> None:
    with changing(db, actor, Action.MANAGE_USERS) as change:
        if user_store.get_user(db, user_id) is None:
            raise NotFound("找不到该用户")
        role = _role(role)
        _check_scope(db, role, compound_ids, area_id, seat_code)
        if user_id == actor.user_id and (role != Role.ADMIN or not active):
            raise DomainError("不能停用自己的账号或取消自己的管理员角色(请由另一位管理员操作)")
        user_store.update_user(db, user_id, {"role": role.value, "area_id": area_id,
                                             "seat_code": seat_code if role == Role.SEAT_REP else None,
                                             "active": int(active)})
        if not active:
            session_store.delete_user_sessions(db, user_id)
        user_store.set_user_compounds(db, user_id, compound_ids)
        change.record("user_scope_changed", data={"user_id": user_id, "role": role.value,
                                                  "compounds": list(compound_ids), "active": bool(active)})


def reset_password(db, actor: Actor, user_id: int, new_password: str) -> None:
    """An admin sets a temporary password for a user who forgot theirs; the lock is lifted too.
    The admin knows it, so the user must replace it at the next sign-in (as a one-time password)."""
    authorize(db, actor, Action.MANAGE_USERS)
    user = user_store.get_user(db, user_id)
    if user is None:
        raise NotFound("找不到该用户")
    # Hashing is slow on purpose: done before the write lock is taken, not under it.
    hashed = hash_password(new_password)
    with write(db):
        user_store.update_user(db, user_id, {"password_hash": hashed, "must_change_password": 1})
        session_store.delete_user_sessions(db, user_id)
        user_store.forget_login_failures(db, user["username"])
        limits.FAILURES.forget(name=user["username"])
        append_event(db, actor=actor, kind="password_reset", note=f"重置了 {user['username']} 的密码",
                     data={"user_id": user_id})


def unlock_user(db, actor: Actor, user_id: int) -> None:
    with changing(db, actor, Action.MANAGE_USERS) as change:
        user = user_store.get_user(db, user_id)
        if user is None:
            raise NotFound("找不到该用户")
        user_store.forget_login_failures(db, user["username"])
        limits.FAILURES.forget(name=user["username"])
        change.record("user_unlocked", note=f"解除了 {user['username']} 的登录锁定", data={"user_id": user_id})
