"""A form is submitted once: the page makes a key when it shows a form (new_form_key), the
service that creates a record takes it, and a second submission with the same key (a double
click, a resent run, a second tab with the same page state) gets the first record back instead
of creating another. Used inside the creating service's write transaction (`changing`), where
writers are serialised: the look-up and the insert cannot interleave with another submission."""
from __future__ import annotations

import re
import secrets

from ..model.errors import DomainError
from ..store import form_keys as form_store
from .clock import stamp
from .use_case import Change

_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
STALE = "这个表单已失效(可能来自别的页面或别的账号),请刷新页面后重新填写。"


def new_form_key() -> str:
    """A fresh key for a form about to be shown (random: nobody can guess another form's key)."""
    return secrets.token_urlsafe(18)


def _check_shape(key: object) -> str:
    if not isinstance(key, str) or not _SHAPE.fullmatch(key):
        raise DomainError(STALE)
    return key


def already_created(change: Change, form: str, key: str | None) -> int | None:
    """The record this key created before, or None for a key not used yet (or no key: callers
    such as the CLI and imports that have no form). A key used by another person, in another
    compound or on another form is refused, never answered with that record."""
    if key is None:
        return None
    found = form_store.find(change.db, _check_shape(key))
    if found is None:
        return None
    if (found["form"], found["user_id"], found["compound_id"]) != (form, change.actor.user_id, change.compound_id):
        raise DomainError(STALE)
    return found["record_id"]


def remember_created(change: Change, form: str, key: str | None, record_id: int) -> None:
    if key is not None:
        form_store.remember(change.db, key=_check_shape(key), form=form, user_id=change.actor.user_id,
                            compound_id=change.compound_id, record_id=record_id, created_at=stamp())
