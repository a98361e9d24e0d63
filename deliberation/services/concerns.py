"""Residents' concerns from the public board: similar open issues first, "我也遇到", rate limits.

A resident has no account. What counts a voice is the household code (议事码, services/households.py):
with one, a household joins an issue once. The abuse limits are counted in the service, inside the
write transaction, from `reports` and `feedback` (the last hour): per household code and per client
address (a hash of it), so a reload or a new browser does not reset them. Without an address (a
direct local connection, AppTest) the browser session's key stands in for it. The compound-wide
quota is high (COMPOUND_LIMIT_PER_HOUR): it only stops a flood from many addresses, so one client
over its own limit never closes the form for the rest of the compound.

A new concern comes with a receipt (Receipt): its per-compound number and a secret shown once,
kept only as a SHA-256 (reports.receipt_hash), with which the resident finds it again without a
household code (services/tracking.py). Its photos (at most PHOTOS_MAX) are checked and re-encoded
before the write transaction and stored inside it: a refused photo leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model.errors import DomainError, NotFound
from ..model.lifecycle import OPEN_STAGES, Stage
from ..model.roles import Action
from ..store import compounds as compound_store
from ..store import issues as issue_store
from ..store import public as public_store
from ..store import reports as report_store
from ..store import roster as roster_store
from .actors import RESIDENT, Actor
from .clock import now, today
from .households import household_of, new_code, normalise
from .issues import add_issue, add_reporting_household
from .markers import public_read
from .photo_files import prepare_photos
from .photos import add_prepared_photos
from .use_case import Change, changing

CLIENT_LIMIT_PER_HOUR = 5          # reports and ratings from one address (or one browser session)
HOUSEHOLD_LIMIT_PER_HOUR = 5       # reports and ratings with one household code
# A shared address (a family's wifi, a mobile carrier's NAT) with several household codes:
# coded voices from one address stop only here.
CLIENT_WITH_CODES_LIMIT_PER_HOUR = 30
COMPOUND_LIMIT_PER_HOUR = 300
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 1000
BUILDING_MAX, CONTACT_MAX = 10, 40
PHOTOS_MAX = 3
SIMILAR_MIN_SCORE = 0.35
_OPEN = tuple(s.value for s in OPEN_STAGES)
# A unit number or a phone number has three digits or more in a row; a building ("5栋") does not.
_LOOKS_PRIVATE = re.compile(r"\d{3,}")
_PUNCTUATION = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class SimilarIssue:
    id: int
    title: str
    category: str
    stage: str
    summary: str
    households: int
    accepted: bool
    score: float
    number: int | None = None      # per compound, what the resident sees and the board links to


@dataclass(frozen=True)
class Receipt:
    """What a resident takes away from raising a concern: #number and the secret to track it."""
    issue_id: int
    number: int
    secret: str        # grouped 4-4 like a household code; shown once, only its hash is kept


def receipt_hash(secret: str) -> str:
    """The SHA-256 kept for a receipt secret (as typed: case, spaces and dashes do not matter)."""
    return hashlib.sha256(f"receipt:{normalise(secret)}".encode()).hexdigest()


@public_read
def concern_categories(db, compound_id: int) -> list[dict]:
    """The categories a resident may choose from (the compound's active list)."""
    return public_store.categories_in_use(db, compound_id)


def _bigrams(text: str) -> set[str]:
    """Character bigrams of the text without spaces or punctuation: works for Chinese without a tokenizer."""
    cleaned = _PUNCTUATION.sub("", text.lower())
    return {cleaned[i:i + 2] for i in range(len(cleaned) - 1)}


def similarity(new_text: str, new_category: str, title: str, summary: str, category: str) -> float:
    """0..1: same category counts 0.4, shared bigrams with the public title/summary up to 0.6."""
    mine, theirs = _bigrams(new_text), _bigrams(f"{title} {summary}")
    overlap = len(mine & theirs) / max(1, min(len(mine), len(theirs))) if mine and theirs else 0.0
    return round(0.4 * (new_category == category) + 0.6 * overlap, 3)


@public_read
def similar_open_issues(db, compound_id: int, category_id: int | None, description: str,
                        limit: int = 5) -> list[SimilarIssue]:
    """Open issues of the compound that look like the new concern, best first.

    Compared on public fields only (title, category, public summary): what is shown to the
    resident is what it was matched on."""
    names = {c["id"]: c["name"] for c in public_store.categories_in_use(db, compound_id)}
    category_name = names.get(category_id, "")
    scored = [SimilarIssue(id=r["id"], title=r["title"], category=r["category"], stage=r["stage"],
                           summary=r["public_summary"], households=r["households"], accepted=bool(r["accepted_at"]),
                           score=similarity(description, category_name, r["title"], r["public_summary"],
                                            r["category"]), number=r["number"])
              for r in public_store.live_public_issues_in_stages(db, compound_id, _OPEN)]
    found = [s for s in scored if s.score >= SIMILAR_MIN_SCORE]
    return sorted(found, key=lambda s: (-s.score, -s.id))[:limit]


def client_key(address: str | None, session_key: str) -> str:
    """What the limits count a client by: a hash of its address (the address itself is not kept),
    or of the browser session's key when there is no address."""
    if address:
        return "a:" + hashlib.sha256(f"address:{address}".encode()).hexdigest()[:32]
    if not session_key:
        raise DomainError("页面会话已失效,请刷新页面后再提交")
    return "s:" + hashlib.sha256(f"session:{session_key}".encode()).hexdigest()[:32]


def _retry_message(who: str, limit: int, oldest: str) -> str:
    free_at = datetime.fromisoformat(oldest) + timedelta(hours=1, minutes=1)
    return (f"{who}一小时内已提交 {limit} 次,请在 {free_at:%H:%M} 以后再试。"
            "紧急情况请直接联系物业或社区工作站。")


def check_board_limits(change: Change, compound_id: int, client: str, household_id: int | None) -> None:
    """Inside the write transaction (writers are serialised: two submissions at the same moment
    cannot both pass). Refuses politely, saying when to try again."""
    db, since = change.db, (now() - timedelta(hours=1)).isoformat(sep=" ")
    if household_id is not None:
        mine = report_store.board_writes_since(db, since=since, household_code_id=household_id)
        if mine["n"] >= HOUSEHOLD_LIMIT_PER_HOUR:
            raise DomainError(_retry_message("您家(此议事码)", HOUSEHOLD_LIMIT_PER_HOUR, mine["oldest"]))
    limit = CLIENT_LIMIT_PER_HOUR if household_id is None else CLIENT_WITH_CODES_LIMIT_PER_HOUR
    sent = report_store.board_writes_since(db, since=since, client_key=client)
    if sent["n"] >= limit:
        raise DomainError(_retry_message("这台设备", limit, sent["oldest"]))
    if report_store.count_resident_reports_in_compound(db, compound_id, since) >= COMPOUND_LIMIT_PER_HOUR:
        raise DomainError("本小区近一小时收到的反映非常多,系统暂停接收,请一小时后再试。"
                          "紧急情况请直接联系物业或社区工作站。")


def _clean(description: str, building: str, contact: str) -> tuple[str, str, str]:
    description, building, contact = description.strip(), building.strip(), contact.strip()
    if len(description) < DESCRIPTION_MIN:
        raise DomainError(f"请把问题描述清楚一些(至少 {DESCRIPTION_MIN} 个字)")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(f"问题描述不能超过 {DESCRIPTION_MAX} 字")
    if _LOOKS_PRIVATE.search(building):
        raise DomainError("楼栋只需填写到栋(如“5栋”),请勿填写门牌号或电话:楼栋会公开显示")
    if len(building) > BUILDING_MAX:
        raise DomainError(f"楼栋不能超过 {BUILDING_MAX} 个字")
    if len(contact) > CONTACT_MAX:
        raise DomainError(f"联系方式不能超过 {CONTACT_MAX} 个字")
    return description, building, contact


@public_read
def check_concern(db, compound_id: int, *, category_id: int | None, description: str, building: str = "",
                  contact: str = "") -> list[SimilarIssue]:
    """Before sending: refuse what raise_concern would refuse, else return the similar open issues
    the resident should see first. Writes nothing."""
    if category_id not in {c["id"] for c in public_store.categories_in_use(db, compound_id)}:
        raise DomainError("请选择问题类别")
    description, _, _ = _clean(description, building, contact)
    return similar_open_issues(db, compound_id, category_id, description)


def raise_concern(db, compound_id: int, *, category_id: int, description: str, session_key: str,
                  building: str = "", contact: str = "", household_code: str = "",
                  client_address: str | None = None, actor: Actor = RESIDENT) -> int:
    """submit_concern without photos, for callers that need only the issue's id."""
    return submit_concern(db, compound_id, category_id=category_id, description=description,
                          session_key=session_key, building=building, contact=contact,
                          household_code=household_code, client_address=client_address, actor=actor).issue_id


def submit_concern(db, compound_id: int, *, category_id: int, description: str, session_key: str,
                   building: str = "", contact: str = "", household_code: str = "",
                   client_address: str | None = None, photos: Sequence[bytes] = (),
                   actor: Actor = RESIDENT) -> Receipt:
    """A resident's concern enters 巡访问事 unaccepted, with up to PHOTOS_MAX private photos;
    returns its receipt.

    The title carries no personal text (居民反映:<类别>, plus the building). The resident's own
    words, contact and photos are personal: the words and contact stay on the report (reports.words,
    reports.contact), which only the compound's secretary and recorder read; the photos are stored
    private (public = 0) until the secretary marks one public. issues.description is the staff's text."""
    description, building, contact = _clean(description, building, contact)
    # Decoding and re-encoding is slow: done before the write lock, and a refused photo (not an
    # image, too large, a decompression bomb) refuses the whole concern before anything is written.
    prepared = prepare_photos(list(photos), limit=PHOTOS_MAX)
    secret = new_code()
    with changing(db, actor, Action.RAISE_PUBLIC_CONCERN, compound_id) as change:
        if not compound_store.compound_exists(db, compound_id):
            raise NotFound("找不到该小区")
        category = roster_store.get_category(db, category_id)
        if category is None or category["compound_id"] != compound_id or category["retired_at"] is not None:
            raise DomainError("请选择问题类别")
        household_id = household_of(change, compound_id, household_code)
        client = client_key(client_address, session_key)
        check_board_limits(change, compound_id, client, household_id)
        title = f"居民反映:{category['name']}" + (f"({building})" if building else "")
        issue_id = add_issue(change, {
            "compound_id": compound_id, "title": title, "description": "", "category_id": category_id,
            "raised_by_kind": "resident", "raised_by_seat_id": None, "raised_by_seat_name": "",
            "channel": "board", "raised_on": today().isoformat(), "building": building, "public_summary": "",
            "accepted_at": None, "demo": 0,
        }, report={"reporter_name": "", "unit": "", "contact": contact, "words": description,
                   "household_code_id": household_id, "client_key": client,
                   "receipt_hash": receipt_hash(secret)}, session_key=session_key)
        if prepared:
            add_prepared_photos(change, issue_id, prepared, kind="concern",
                                report_id=report_store.first_report_id(db, issue_id), public=False)
        number = issue_store.get_issue(db, issue_id)["number"]
    return Receipt(issue_id=issue_id, number=number, secret=secret)


def join_concern(db, issue_id: int, *, session_key: str, contact: str = "", household_code: str = "",
                 client_address: str | None = None, actor: Actor = RESIDENT) -> None:
    """"我也遇到": this household counts towards an open issue instead of raising a duplicate.
    With a household code, once per household; without one, once per browser session."""
    issue = issue_store.get_issue(db, issue_id)
    if issue is None:
        raise NotFound("找不到该问题")
    with changing(db, actor, Action.RAISE_PUBLIC_CONCERN, issue["compound_id"]) as change:
        issue = issue_store.get_issue(db, issue_id)
        if issue["stage"] not in _OPEN or issue["merged_into_id"]:
            raise DomainError("该问题已办结或关闭,请另行反映")
        if len(contact.strip()) > CONTACT_MAX:
            raise DomainError(f"联系方式不能超过 {CONTACT_MAX} 个字")
        household_id = household_of(change, issue["compound_id"], household_code)
        client = client_key(client_address, session_key)
        # Inside the write transaction: two clicks cannot both pass.
        if household_id is not None and report_store.household_reported_issue(db, issue_id, household_id):
            raise DomainError("您家已反映过这个问题(每户计一次),感谢参与")
        if household_id is None and session_key and report_store.session_reported_issue(db, issue_id, session_key):
            raise DomainError("您已反映过这个问题,感谢参与")
        check_board_limits(change, issue["compound_id"], client, household_id)
        add_reporting_household(change, issue_id, session_key=session_key, contact=contact,
                                household_code_id=household_id, client_key=client)


@public_read
def concern_status(db, issue_id: int) -> dict | None:
    """What the acknowledgment shows: the public stage of one's concern."""
    row = public_store.public_issue_row(db, issue_id)
    if row is None:
        return None
    return {"id": row["id"], "number": row["number"], "title": row["title"], "stage": row["stage"], "accepted_at": row["accepted_at"],
            "public_reply": row["public_reply"], "accepted": bool(row["accepted_at"]),
            "open": row["stage"] in _OPEN, "waiting": row["stage"] == Stage.COLLECTED.value and not row["accepted_at"]}
