""""Where is my concern": a resident finds a concern again by its number and a proof of having
raised it — the household code (议事码) that reported it, or the secret of its receipt.

What it shows is public anyway (title, stage, reply, the public 办理经过, the response clock); the
proof only keeps a stranger from learning which concerns a household raised. A wrong pair gets
one refusal whatever was wrong (no number, a number of another compound, a wrong code or
receipt), so it never tells whether a number exists. Wrong pairs are counted per client (a hash
of its address) and per compound in `lookup_failures`: past the limit every look-up is refused
until the hour has passed, so a receipt cannot be found by trying (31^8 secrets, a few tries an
hour). Look-ups are serialised in the process so that parallel tries cannot slip past the count.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model.errors import DomainError, NotFound
from ..model.lifecycle import OPEN_STAGES, Stage
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import households as household_store
from ..store import issues as issue_store
from ..store import lookup_failures as failure_store
from ..store import public as public_store
from ..store import reports as report_store
from ..store import write
from .actors import RESIDENT, Actor
from .clock import now, stamp
from .concerns import client_key, receipt_hash
from .households import code_hash, normalise
from .permissions import authorize
from .public import public_timeline
from .response_clock import response_status

FAILURES_PER_CLIENT_PER_HOUR = 10
# Many addresses guessing at one compound: tracking there pauses for the hour (residents still
# see everything on the board); it bounds what a botnet can try.
FAILURES_PER_COMPOUND_PER_HOUR = 300
REFUSED = "编号与议事码(或回执码)对不上,请核对回执后重新输入"
_NUMBER = re.compile(r"^\s*[#＃№]?\s*(\d{1,9})\s*号?\s*$")
_OPEN = tuple(s.value for s in OPEN_STAGES)
_LOOKUPS = threading.Lock()


@dataclass(frozen=True)
class ResponseClock:
    limit_hours: int
    due_at: str                # 'YYYY-MM-DD HH:MM'
    responded_at: str | None
    overdue: bool              # unanswered past the limit, or answered after it

    @property
    def sentence(self) -> str:
        """What the track page says about it, in Chinese."""
        if self.responded_at:
            when = self.responded_at[:16]
            return f"已于 {when} 答复" + ("(超过承诺时限)" if self.overdue else f"(在 {self.limit_hours} 小时承诺时限内)")
        if self.overdue:
            return f"已超过 {self.limit_hours} 小时承诺时限({self.due_at} 前)尚未答复,已提醒支部尽快处理"
        return f"支部承诺在 {self.due_at} 前({self.limit_hours} 小时内)受理或答复"


@dataclass(frozen=True)
class TrackedConcern:
    number: int
    title: str
    stage: str
    stage_label: str
    accepted: bool
    open: bool
    reply: str                 # the branch's public reply (e.g. why it was not taken up)
    summary: str               # the public summary of the result, once there is one
    raised_on: str
    households: int
    merged_into: int | None    # the number of the issue it was merged into, if any
    timeline: list[dict]
    clock: ResponseClock | None


def parse_number(text) -> int | None:
    """"16", "#16", "16号" → 16; anything else None."""
    found = _NUMBER.match(str(text or ""))
    return int(found[1]) if found else None


def track_concern(db, compound_id: int, number, *, household_code: str = "", receipt: str = "",
                  client_address: str | None = None, session_key: str = "",
                  actor: Actor = RESIDENT) -> TrackedConcern:
    """The concern #number of the compound as its resident may see it, or DomainError(REFUSED)."""
    authorize(db, actor, Action.READ_PUBLIC, compound_id)
    if not compound_store.compound_exists(db, compound_id):
        raise NotFound("找不到该小区")
    if not (household_code or "").strip() and not (receipt or "").strip():
        raise DomainError("请填写议事码或回执码")
    client = client_key(client_address, session_key)
    with _LOOKUPS:
        _check_not_locked(db, client, compound_id)
        issue = _proven_issue(db, compound_id, parse_number(number), household_code, receipt)
        if issue is None:
            with write(db):
                failure_store.add_failure(db, client, compound_id, stamp(),
                                          forget_before=(now() - timedelta(days=1)).isoformat(sep=" "))
            raise DomainError(REFUSED)
    return _tracked(db, *issue)


def _check_not_locked(db, client: str, compound_id: int) -> None:
    since = (now() - timedelta(hours=1)).isoformat(sep=" ")
    mine = failure_store.failures_since(db, since, client_key=client)
    if mine["n"] >= FAILURES_PER_CLIENT_PER_HOUR:
        free_at = datetime.fromisoformat(mine["oldest"]) + timedelta(hours=1, minutes=1)
        raise DomainError(f"这台设备查询出错次数过多,请在 {free_at:%H:%M} 以后再试;"
                          "也可以直接到小区党支部或社区工作站查询")
    if failure_store.failures_since(db, since, compound_id=compound_id)["n"] >= FAILURES_PER_COMPOUND_PER_HOUR:
        raise DomainError("本小区近一小时查询出错过多,查询暂停一小时;办理进展仍可在公示栏查看")


def _proven_issue(db, compound_id: int, number: int | None, household_code: str,
                  receipt: str) -> tuple[dict, dict] | None:
    """(the issue #number, the live issue its reports are on now) when the code or the receipt
    proves the resident raised or joined it; else None. A merged duplicate's reports moved to
    the issue it joined (services/merging.py), except a household's second one, which stays where
    it was: the proof is looked for along the whole chain of merges."""
    issue_id = issue_store.issue_id_by_number(db, compound_id, number) if number else None
    if issue_id is None:
        return None
    issue = current = issue_store.get_issue(db, issue_id)
    chain = [issue["id"]]
    for _ in range(20):                           # a chain of merges, never a loop
        if not current["merged_into_id"]:
            break
        current = issue_store.get_issue(db, current["merged_into_id"])
        chain.append(current["id"])
    if receipt.strip() and any(report_store.issue_has_receipt(db, i, receipt_hash(receipt)) for i in chain):
        return issue, current
    plain = normalise(household_code)
    code = household_store.code_by_hash(db, code_hash(plain)) if plain else None
    if code and code["compound_id"] == compound_id and not code["revoked_at"] \
            and any(report_store.household_reported_issue(db, i, code["id"]) for i in chain):
        return issue, current
    return None


def _tracked(db, issue: dict, current: dict) -> TrackedConcern:
    own = public_store.public_issue_row(db, issue["id"])
    shown = own if current["id"] == issue["id"] else public_store.public_issue_row(db, current["id"])
    clock = response_status(db, issue["id"])
    return TrackedConcern(
        number=issue["number"], title=own["title"], stage=shown["stage"], stage_label=Stage(shown["stage"]).label,
        accepted=bool(shown["accepted_at"]), open=shown["stage"] in _OPEN, reply=shown["public_reply"] or "",
        summary=shown["public_summary"] or "", raised_on=shown["raised_on"], households=shown["households"],
        merged_into=current["number"] if current["id"] != issue["id"] else None,
        timeline=public_timeline(db, current["id"]),
        clock=ResponseClock(limit_hours=clock["limit_hours"], due_at=clock["due_at"][:16],
                            responded_at=clock["responded_at"], overdue=clock["overdue"])
        if clock and clock["due_at"] else None)
