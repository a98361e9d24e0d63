"""Household codes (议事码): one household, one voice.

The branch issues one code per unit of a compound, printed on slips (exports/household_slips.py).
A resident types it once on the board; 我也遇到, objections and ratings given with it count once
per household and issue (services/concerns.py, services/publicity.give_feedback). Only the SHA-256
of the normalised code is stored: the plain codes are returned once, to be printed, and never again.

Issuing, re-issuing and revoking need MANAGE_COMPOUND (the secretary, or an admin): codes belong
to the compound's standing set-up, like its roster; a recorder or a seat representative cannot
hand out voices.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import households as household_store
from ..store import issues as issue_store
from ..store import reports as report_store
from .actors import RESIDENT, Actor
from .clock import stamp
from .permissions import authorize
from .use_case import Change, changing

# No 0/O, 1/I/L: a code is read off a slip and typed on a phone. 31^8 ≈ 8.5e11 codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
UNIT_MAX = 20
UNITS_PER_BATCH = 3000
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_RANGE = re.compile(r"^(?P<prefix>.*?)(?P<first>\d+)\s*[-~～至](?P<again>.*?)(?P<last>\d+)$")


@dataclass(frozen=True)
class IssuedCode:
    unit: str
    code: str          # the plain code, grouped 4-4: shown or printed once, never stored


def new_code() -> str:
    """Eight characters from the unambiguous alphabet, grouped 4-4 (e.g. "K7QM-3RXA")."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    """What the resident typed, as compared: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-－—_·.]+", "", code or "").upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("utf-8")).hexdigest()


def masked(code: str) -> str:
    """What the board shows of a remembered code: "****-AB12"."""
    return "****-" + normalise(code)[-4:]


def parse_units(text: str) -> list[str]:
    """Units from a list ("1栋101,1栋102" / one per line) or ranges ("1栋101-104", "1栋101-1栋104"),
    in order, without repeats. A malformed range is refused, quoting what was typed."""
    units: list[str] = []
    for token in _SEPARATORS.split(text or ""):
        if not token:
            continue
        found = _RANGE.match(token) if re.search(r"\d\s*[-~～至]", token) else None
        if found and found["again"] in ("", found["prefix"]):
            first, last = int(found["first"]), int(found["last"])
            if last < first or last - first >= 500:
                raise DomainError(f"房号范围「{token}」不正确:应从小到大,且一次不超过 500 户")
            width = len(found["first"])
            units += [f"{found['prefix']}{n:0{width}d}" for n in range(first, last + 1)]
        elif re.search(r"[-~～至]", token):
            raise DomainError(f"房号范围「{token}」看不懂,请写成“1栋101-104”的样子")
        else:
            units.append(token)
    seen, unique = set(), []
    for unit in units:
        if len(unit) > UNIT_MAX:
            raise DomainError(f"房号「{unit}」太长(不超过 {UNIT_MAX} 个字)")
        if unit not in seen:
            seen.add(unit)
            unique.append(unit)
    return unique


def _new_row(db, compound_id: int, unit: str) -> IssuedCode:
    while True:                                   # a collision is astronomically rare; retry anyway
        code = new_code()
        if household_store.code_by_hash(db, code_hash(code)) is None:
            break
    household_store.insert_code(db, {"compound_id": compound_id, "unit": unit, "code_hash": code_hash(code),
                                     "created_at": stamp(), "revoked_at": None})
    return IssuedCode(unit, code)


def issue_codes(db, actor: Actor, compound_id: int, units: str | list[str]) -> list[IssuedCode]:
    """One new code per unit. A unit that already holds a live code is refused (re-issue it
    instead), so printing twice never leaves two live codes for one household."""
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
        if not compound_store.compound_exists(db, compound_id):
            raise NotFound("找不到该小区")
        wanted = parse_units(units) if isinstance(units, str) else parse_units(",".join(units))
        if not wanted:
            raise DomainError("请填写要发放议事码的房号,如“1栋101,1栋102”或“1栋101-104”")
        if len(wanted) > UNITS_PER_BATCH:
            raise DomainError(f"一次最多发放 {UNITS_PER_BATCH} 户,请分批生成")
        holding = [u for u in wanted if household_store.live_code_of_unit(db, compound_id, u)]
        if holding:
            shown = "、".join(holding[:10]) + ("等" if len(holding) > 10 else "")
            raise DomainError(f"{shown} 已有议事码;住户变更时请对该户“重新发放”")
        issued = [_new_row(db, compound_id, unit) for unit in wanted]
        # Counts only: unit labels stay out of the append-only event log.
        change.record("household_codes_issued", note=f"发放议事码 {len(issued)} 户", data={"count": len(issued)})
        return issued


def reissue_code(db, actor: Actor, compound_id: int, unit: str) -> IssuedCode:
    """A household moved or lost its slip: the old code stops working, a new one is returned once."""
    return reissue_codes(db, actor, compound_id, [unit])[0]


def reissue_codes(db, actor: Actor, compound_id: int, units: list[str]) -> list[IssuedCode]:
    """All or nothing: a unit without a live code refuses the whole batch, so no new code is
    ever committed without being returned to print."""
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
        issued = []
        for unit in units:
            old = household_store.live_code_of_unit(db, compound_id, unit.strip())
            if old is None:
                raise NotFound(f"「{unit}」没有在用的议事码,请先生成")
            household_store.revoke_code(db, old["id"], stamp())
            issued.append(_new_row(db, compound_id, old["unit"]))
            change.record("household_code_reissued", note="重新发放一户议事码(旧码已停用)",
                          data={"revoked": old["id"]})
        return issued


def revoke_code(db, actor: Actor, compound_id: int, unit: str) -> None:
    with changing(db, actor, Action.MANAGE_COMPOUND, compound_id) as change:
        old = household_store.live_code_of_unit(db, compound_id, unit.strip())
        if old is None:
            raise NotFound(f"「{unit}」没有在用的议事码")
        household_store.revoke_code(db, old["id"], stamp())
        change.record("household_code_revoked", note="停用一户议事码", data={"revoked": old["id"]})


def code_slips(db, actor: Actor, compound_id: int, units: str, *, reissue: bool = False) -> tuple[int, bytes]:
    """Issue (or re-issue) codes for `units` and return (how many, the A4 PDF of their slips).
    The PDF is the only place the plain codes ever exist. Their QR code opens the board at the
    deployment's public address (red warnings on the sheet while it is unset or local)."""
    from ..exports.household_slips import household_slips_pdf
    from .deployment import public_address
    from .documents import board_url
    if reissue:
        issued = reissue_codes(db, actor, compound_id, parse_units(units))
    else:
        issued = issue_codes(db, actor, compound_id, units)
    compound = compound_store.get_compound(db, compound_id)
    address = public_address(db)
    pdf = household_slips_pdf(compound["name"], board_url(compound_id, address.url), [(c.unit, c.code) for c in issued],
                              demo=bool(compound["demo"]), address_warning=address.warning)
    return len(issued), pdf


def household_codes(db, actor: Actor, compound_id: int) -> list[dict]:
    """[{id, unit, created_at, revoked_at}] of the compound (never a code or its hash)."""
    authorize(db, actor, Action.MANAGE_COMPOUND, compound_id)
    return household_store.codes_of_compound(db, compound_id)


def unverified_voices(db, actor: Actor, issue_id: int) -> dict:
    """{reports, ratings} left on the issue without a household code: shown apart to the branch,
    never counted toward the reopen threshold."""
    issue = issue_store.require_issue(db, issue_id)
    authorize(db, actor, Action.READ_COMPOUND, issue["compound_id"])
    return report_store.unverified_voices(db, issue_id)


def check_household_code(db, compound_id: int, code: str, actor: Actor = RESIDENT) -> str:
    """The board asks before remembering a typed code: returns it grouped 4-4, or refuses in
    Chinese, quoting what was typed. Says nothing about the unit."""
    authorize(db, actor, Action.RAISE_PUBLIC_CONCERN, compound_id)
    _live_code(db, compound_id, code)
    plain = normalise(code)
    return f"{plain[:4]}-{plain[4:]}"


def household_of(change: Change, compound_id: int, code: str) -> int | None:
    """Inside a change: the id of the live household code typed (None when none was typed)."""
    if not (code or "").strip():
        return None
    return _live_code(change.db, compound_id, code)["id"]


def _live_code(db, compound_id: int, code: str) -> dict:
    typed = (code or "").strip()
    plain = normalise(typed)
    row = household_store.code_by_hash(db, code_hash(plain)) \
        if len(plain) == CODE_LENGTH and set(plain) <= set(ALPHABET) else None
    if row is None or row["compound_id"] != compound_id:
        raise DomainError(f"议事码「{typed[:20]}」不正确,请核对小区支部发放的纸条后重新输入(8 位,如 ABCD-EF23)")
    if row["revoked_at"]:
        raise DomainError(f"议事码「{typed[:20]}」已停用(住户变更或已重新发放),请向小区支部索取新的议事码")
    return row
