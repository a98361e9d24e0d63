"""Who is signed in, for the sidebar: 李明华 · 支部书记 · 鸿翔花园.

Display names are typed by people and often carry the role and place already, as in
"李明华(鸿翔花园支部书记)"; a trailing bracket that only repeats what the caption states anyway
(the role, the seat, the compound or area) is left out, and so is a part the name already says.
Everything typed by people reaches Markdown escaped (plain)."""
from __future__ import annotations

import re

from ...model.roles import Role
from ...services.actors import Actor
from ...services.compounds import area_path, get_compound
from ...services.roster import list_seats
from .i18n import translate
from .ui import plain

_TRAILING_BRACKET = re.compile(r"^(?P<name>.+?)\s*[(（](?P<note>[^()（）]*)[)）]\s*$")
MAX_PLACES = 2


def signed_in_caption(db, actor: Actor, lang: str) -> str:
    places = _places(db, actor)
    seat = _seat_name(db, actor)
    role = (translate("signed_in.seat_rep", lang, seat=seat) if seat
            else translate(f"users.role.{actor.role.value}", lang))
    name = _person(actor.label, [actor.role.label, seat or "", *places])
    parts = [name]
    if actor.role.label not in name and (seat is None or seat not in name):
        parts.append(role)
    shown = [p for p in places if p not in name]
    if len(shown) > MAX_PLACES:
        parts.append(translate("signed_in.more", lang, first="、".join(shown[:MAX_PLACES]), n=len(shown)))
    elif shown:
        parts.append("、".join(shown))
    return translate("signed_in_as", lang, who=" · ".join(plain(p) for p in parts))


def _person(label: str, repeated: list[str]) -> str:
    """The display name without a trailing bracket that names only what is shown beside it."""
    found = _TRAILING_BRACKET.match(label)
    if found and any(word and word in found["note"] for word in repeated):
        return found["name"]
    return label


def _places(db, actor: Actor) -> list[str]:
    if actor.area_id is not None:
        return [area_path(db, actor.area_id).rsplit("/", 1)[-1]]
    if actor.role == Role.ADMIN:
        return []
    return [get_compound(db, compound_id).name for compound_id in sorted(actor.compound_ids)]


def _seat_name(db, actor: Actor) -> str | None:
    if actor.role != Role.SEAT_REP or not actor.seat_code or len(actor.compound_ids) != 1:
        return None
    (compound_id,) = actor.compound_ids
    return next((s["name"] for s in list_seats(db, compound_id) if s["code"] == actor.seat_code), None)
