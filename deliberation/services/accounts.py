"""Accounts that start safely: a new account gets a one-time password, shown once (on screen and
on the printable account sheet, exports/account_sheet.py) and never stored in the clear; the first
sign-in must replace it (users.must_change_password; services/permissions.may refuses everything
else until then, services/users.change_password clears the flag).

`add_account` is an inner step: it writes inside a Change the caller opened and authorized
(onboarding creates many accounts in one all-or-nothing change). `create_account` and
`reset_to_one_time_password` are the use cases for the admin's user page and the CLI.

Hashing: one-time passwords are random (12 characters from 31, about 59 bits), far stronger than
anything a person picks, so they are hashed with argon2id at the OWASP minimum (19 MiB, 2 passes)
rather than HASHER's heavier defaults: ~20 ms instead of ~120 ms, which is what makes onboarding
2,000 accounts possible. The sign-in that uses one re-hashes it with HASHER (authenticate's
check_needs_rehash), and the new password the user sets is hashed with HASHER as always.
Hash outside the write lock where you can: `prepare_one_time_passwords(n)` in advance.
"""
from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2 import PasswordHasher

from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import sessions as session_store
from ..store import users as user_store
from .actors import Actor
from .clock import stamp
from .deployment import public_address
from . import sign_in_limits as limits
from .households import ALPHABET
from .markers import public_read
from .permissions import authorize
from .use_case import Change, changing
from .users import _check_new_account, _role, check_names

# Lower case: typed on a phone from a printed sheet; no 0/o, 1/i/l as in the household codes.
ONE_TIME_ALPHABET = ALPHABET.lower()
ONE_TIME_LENGTH = 12
ONE_TIME_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_LETTERS = frozenset("abcdefghjkmnpqrstuvwxyz")


@dataclass(frozen=True)
class OneTimePassword:
    plain: str          # shown or printed once, never stored
    hashed: str


@dataclass(frozen=True)
class NewAccount:
    user_id: int
    username: str
    one_time_password: str


def new_one_time_password() -> str:
    """Twelve characters from the unambiguous alphabet, with at least two letters and two digits
    (so it also passes check_password_strength's letters-and-digits rule)."""
    while True:
        word = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))
        letters = sum(ch in _LETTERS for ch in word)
        if 2 <= letters <= ONE_TIME_LENGTH - 2:
            return word


def prepare_one_time_password() -> OneTimePassword:
    plain = new_one_time_password()
    return OneTimePassword(plain, ONE_TIME_HASHER.hash(plain))


def prepare_one_time_passwords(count: int, workers: int = 2) -> list[OneTimePassword]:
    """`count` fresh passwords with their hashes, hashed on `workers` threads (argon2 releases
    the GIL). Call before opening the change, so the write lock is not held while hashing."""
    if count <= 0:
        return []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda _: prepare_one_time_password(), range(count)))


def add_account(change: Change, *, username: str, display_name: str, role: str, compound_ids=(),
                area_id: int | None = None, seat_code: str | None = None,
                password: OneTimePassword | None = None) -> NewAccount:
    """Insert an account inside the caller's open change, which must already be authorized to
    create accounts. Returns the one-time password (the only time it exists in the clear).
    `password`: one prepared in advance (prepare_one_time_passwords), else one is made here."""
    username, display_name = check_names(username, display_name)
    role = _role(role)
    compound_ids = list(compound_ids or ())
    _check_new_account(change.db, username, role, compound_ids, area_id, seat_code)
    password = password or prepare_one_time_password()
    user_id = user_store.insert_user(change.db, {
        "username": username, "display_name": display_name, "password_hash": password.hashed,
        "role": role.value, "area_id": area_id, "seat_code": seat_code, "demo": 0,
        "must_change_password": 1, "created_at": stamp()})
    user_store.set_user_compounds(change.db, user_id, compound_ids)
    change.record("user_created", data={"user_id": user_id, "role": role.value, "compound_ids": compound_ids,
                                        "area_id": area_id, "one_time_password": True})
    return NewAccount(user_id, username, password.plain)


def create_account(db, actor: Actor, *, username: str, display_name: str, role: str, compound_ids=(),
                   area_id: int | None = None, seat_code: str | None = None) -> NewAccount:
    """The admin's new account, with a one-time password to hand over (screen and sheet)."""
    authorize(db, actor, Action.MANAGE_USERS)
    check_names(username, display_name)                 # refuse the obvious before hashing
    password = prepare_one_time_password()             # slow on purpose: before the write lock
    with changing(db, actor, Action.MANAGE_USERS) as change:
        return add_account(change, username=username, display_name=display_name, role=role,
                           compound_ids=compound_ids, area_id=area_id, seat_code=seat_code, password=password)


def reset_to_one_time_password(db, actor: Actor, user_id: int) -> str:
    """A forgotten password: a new one-time password replaces it, every browser of the user is
    signed out, a sign-in lock is lifted, and the next sign-in must set a new password."""
    authorize(db, actor, Action.MANAGE_USERS)
    if user_id == actor.user_id:
        raise DomainError("不能为自己重置密码,请在“我的账号”中修改")
    password = prepare_one_time_password()
    with changing(db, actor, Action.MANAGE_USERS) as change:
        user = user_store.get_user(db, user_id)
        if user is None:
            raise NotFound("找不到该用户")
        user_store.update_user(db, user_id, {"password_hash": password.hashed, "must_change_password": 1})
        session_store.delete_user_sessions(db, user_id)
        user_store.forget_login_failures(db, user["username"])
        limits.FAILURES.forget(name=user["username"])      # the owner's phone may be the one that failed
        change.record("password_reset", data={"user_id": user_id, "one_time_password": True})
    return password.plain


@public_read
def sign_in_url(db) -> str | None:
    """The address printed on account sheets: the deployment's public address, where staff sign
    in too; None while it is unset or local (a sheet then says to ask the admin)."""
    address = public_address(db)
    return f"{address.url}/" if address.problem is None else None
