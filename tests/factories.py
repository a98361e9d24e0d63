"""Small builders for the core tests: a world of areas, compounds, members and actors, and
shortcuts that drive an issue through the real services (never by writing rows)."""
from __future__ import annotations

import io
import re
import sqlite3
import threading
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from deliberation.model.lifecycle import Stage
from deliberation.services import agenda as agenda_svc
from deliberation.services import meetings as meeting_svc
from deliberation.services.actors import RESIDENT, SYSTEM, Actor, load_actor
from deliberation.services.attendance import record_attendance
from deliberation.services.compounds import create_area, create_compound, get_compound, update_compound_rules
from deliberation.services.escalation import answer_escalation, escalate
from deliberation.services.issues import raise_issue, transition_issue
from deliberation.services.publicity import publish_result
from deliberation.services.roster import add_member
from deliberation.services.users import create_user
from deliberation.store import issues as issue_store
from deliberation.store import one, rows, scalar

SEAT_CODES = ("party", "owners", "property", "residents_committee", "resident_group", "police",
              "deputies", "representatives", "cobuilding")
ROSTER_SINCE = date(2020, 1, 1)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class World:
    db: object
    areas: dict[str, int]
    compounds: dict[str, int]            # "A", "B", "C" -> compound id
    actors: dict[str, Actor] = field(default_factory=dict)

    @property
    def a(self) -> int:
        return self.compounds["A"]


def build_world(db, password_hash: str) -> World:
    """罗湖区 → 桂园街道 → 松园社区 with compounds A (鸿翔's quorum rule) and B; 罗湖区 → 东门街道 →
    湖贝社区 with compound C. One member per seat everywhere; one actor of each role."""
    areas = {"罗湖区": create_area(db, SYSTEM, "罗湖区", "district")}
    areas["桂园街道"] = create_area(db, SYSTEM, "桂园街道", "subdistrict", areas["罗湖区"])
    areas["松园社区"] = create_area(db, SYSTEM, "松园社区", "community", areas["桂园街道"])
    areas["东门街道"] = create_area(db, SYSTEM, "东门街道", "subdistrict", areas["罗湖区"])
    areas["湖贝社区"] = create_area(db, SYSTEM, "湖贝社区", "community", areas["东门街道"])
    compounds = {
        "A": create_compound(db, SYSTEM, areas["松园社区"], "甲花园", place="甲花园党群服务站", households=600),
        "B": create_compound(db, SYSTEM, areas["松园社区"], "乙花园", place="乙花园党群服务站"),
        "C": create_compound(db, SYSTEM, areas["湖贝社区"], "丙花园", place="丙花园党群服务站"),
    }
    # A follows 鸿翔花园's rule: 党支部, 业委会 and 物业 must be present, five seats at least.
    update_compound_rules(db, SYSTEM, compounds["A"], get_compound(db, compounds["A"]).version,
                          quorum_min_seats=5, required_seat_codes=["party", "owners", "property"])
    for key, compound_id in compounds.items():
        for code in SEAT_CODES:
            add_member(db, SYSTEM, compound_id, seat_id(db, compound_id, code), f"{key}{code}成员",
                       phone="13800000000", active_from=ROSTER_SINCE)
    a, b = compounds["A"], compounds["B"]
    accounts = {
        "admin": dict(role="admin"),
        "officer": dict(role="officer", area_id=areas["松园社区"]),
        "officer_other": dict(role="officer", area_id=areas["东门街道"]),
        "secretary_a": dict(role="secretary", compound_ids=[a]),
        "recorder_a": dict(role="recorder", compound_ids=[a]),
        "seat_rep_property_a": dict(role="seat_rep", compound_ids=[a], seat_code="property"),
        "seat_rep_owners_a": dict(role="seat_rep", compound_ids=[a], seat_code="owners"),
        "secretary_b": dict(role="secretary", compound_ids=[b]),
    }
    world = World(db=db, areas=areas, compounds=compounds)
    for username, spec in accounts.items():
        role = spec.pop("role")
        user_id = create_user(db, SYSTEM, username, f"测试{username}", role, password_hash=password_hash, **spec)
        world.actors[username] = load_actor(db, user_id)
    world.actors["resident"] = RESIDENT
    return world


def rewrite_member(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The XLSX (a zip) with one member file replaced: for the hostile-file tests."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


def run_together(target, count: int) -> None:
    """Run `target` in `count` threads at once and wait for all of them."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def db_path(db) -> str:
    """The file behind an open database."""
    return db.conn.execute("PRAGMA database_list").fetchone()[2]


def copy_db(source, target) -> None:
    """Copy a database consistently (WAL included) with SQLite's backup API. `target` is a path
    or an open connection, whose whole content is replaced."""
    src = sqlite3.connect(source)
    dst = target if isinstance(target, sqlite3.Connection) else sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        if dst is not target:
            dst.close()


def rebind(world: World, db) -> World:
    """The same world (ids and actors) over another connection, e.g. a copy of its file."""
    return replace(world, db=db)


# --- look-ups ---------------------------------------------------------------------------

def seat_id(db, compound_id: int, code: str) -> int:
    return one(db, "SELECT id FROM seats WHERE compound_id = ? AND code = ?", [compound_id, code])["id"]


def category_id(db, compound_id: int, name: str = "停车") -> int:
    return one(db, "SELECT id FROM categories WHERE compound_id = ? AND name = ?", [compound_id, name])["id"]


def stage_of(db, issue_id: int) -> str:
    return issue_store.require_issue(db, issue_id)["stage"]


def version_of(db, issue_id: int) -> int:
    return issue_store.require_issue(db, issue_id)["version"]


def event_count(db, issue_id: int | None = None) -> int:
    if issue_id is None:
        return scalar(db, "SELECT count(*) FROM events")
    return scalar(db, "SELECT count(*) FROM events WHERE issue_id = ?", [issue_id])


def last_event(db, issue_id: int | None = None) -> dict:
    if issue_id is None:
        return one(db, "SELECT * FROM events ORDER BY id DESC LIMIT 1")
    return one(db, "SELECT * FROM events WHERE issue_id = ? ORDER BY id DESC LIMIT 1", [issue_id])


def dump(db) -> dict[str, list[dict]]:
    """Every row of every table: compare two of these to prove nothing was written. store_clock is
    left out: it changes with every commit (the refused attempt's audit event among them)."""
    return {name: rows(db, f"SELECT * FROM [{name}] ORDER BY rowid") for name in sorted(db.table_names())
            if name != "store_clock"}


def is_chinese(message: str) -> bool:
    return bool(CHINESE.search(message))


# --- issues and meetings ----------------------------------------------------------------

def make_issue(db, actor: Actor, compound_id: int, **kw) -> int:
    values = dict(title="车位不足", category_id=category_id(db, compound_id), raised_by_kind="seat",
                  raised_by_seat_id=seat_id(db, compound_id, "owners"), description="夜间车位不足")
    values.update(kw)
    return raise_issue(db, actor, compound_id, **values)


def open_meeting(db, actor: Actor, compound_id: int, issue_ids=(), *, absent=(), scheduled_at=None) -> int:
    """Schedule the next meeting, put `issue_ids` on its agenda, start it and mark every seat
    present except `absent`. Returns the meeting id (status 进行中)."""
    meeting_id = meeting_svc.schedule_meeting(db, actor, compound_id, scheduled_at=scheduled_at)
    for issue_id in issue_ids:
        agenda_svc.add_to_agenda(db, actor, meeting_id, issue_id)
    meeting_svc.start_meeting(db, actor, meeting_id)
    record_attendance(db, actor, meeting_id, {
        line["member_id"]: ("absent" if line["seat_code"] in absent else "present", "")
        for line in meeting_svc.attendance(db, actor, meeting_id)})
    return meeting_id


def held_meeting_with_quorum(db, actor: Actor, compound_id: int, decisions: dict[int, dict]) -> int:
    """A whole meeting: every issue in `decisions` on the agenda and decided as given
    (keyword arguments of record_decision), then finished. Returns the meeting id."""
    meeting_id = open_meeting(db, actor, compound_id, list(decisions))
    for issue_id, decision in decisions.items():
        decide(db, actor, meeting_id, issue_id, **decision)
    meeting_svc.finish_meeting(db, actor, meeting_id)
    return meeting_id


def item_of(db, meeting_id: int, issue_id: int) -> int:
    return one(db, "SELECT id FROM agenda_items WHERE meeting_id = ? AND issue_id = ?", [meeting_id, issue_id])["id"]


def decide(db, actor: Actor, meeting_id: int, issue_id: int, **decision) -> None:
    decision.setdefault("decision", "形成决议")
    if decision.get("outcome") == "actions" and "actions" not in decision:
        decision["actions"] = actions_for(db, issue_store.require_issue(db, issue_id)["compound_id"], "property")
    if decision.get("outcome") == "escalated":
        decision.setdefault("escalate_to", "community")
        decision.setdefault("escalation_request", "请社区协调")
    agenda_svc.record_decision(db, actor, item_of(db, meeting_id, issue_id), **decision)


def actions_for(db, compound_id: int, *codes: str, due_in_days: int = 30) -> list:
    due = date.today() + timedelta(days=due_in_days)
    return [agenda_svc.ActionDraft(seat_id(db, compound_id, code), f"{code}负责落实", due) for code in codes]


def issue_in_stage(db, actor: Actor, compound_id: int, stage: str | Stage, **kw) -> int:
    """A new issue driven into `stage` the way users would get it there."""
    stage = Stage(stage)
    issue_id = make_issue(db, actor, compound_id, **kw)
    if stage == Stage.COLLECTED:
        return issue_id
    if stage == Stage.CLOSED:
        transition_issue(db, actor, issue_id, "closed", expected_version=version_of(db, issue_id),
                         reason="withdrawn", note="提出方撤回")
        return issue_id
    outcome = {Stage.DELIBERATING: "deferred", Stage.ACTING: "actions", Stage.ESCALATED: "escalated",
               Stage.PUBLICIZING: "actions", Stage.RESOLVED: "settled"}[stage]
    held_meeting_with_quorum(db, actor, compound_id, {issue_id: {"outcome": outcome}})
    if stage == Stage.PUBLICIZING:
        publish_result(db, actor, issue_id, summary="已整改完毕")
    assert stage_of(db, issue_id) == stage.value
    return issue_id


def escalated_issue(db, actor: Actor, compound_id: int, level_to: str = "community", **kw) -> tuple[int, int]:
    """An issue in 合力干事 escalated to the level above; returns (issue id, escalation id)."""
    issue_id = issue_in_stage(db, actor, compound_id, Stage.ACTING, **kw)
    escalation_id = escalate(db, actor, issue_id, level_to, "请上级协调解决")
    return issue_id, escalation_id


def answered(db, officer: Actor, escalation_id: int, next_stage: str = "acting") -> None:
    answer_escalation(db, officer, escalation_id, "已协调相关部门处理", next_stage=next_stage)


def household_codes(db, compound_id: int, count: int, prefix: str = "9栋") -> list[str]:
    """`count` fresh household codes (议事码) of the compound, issued by the system, plain."""
    from deliberation.services.households import issue_codes
    start = scalar(db, "SELECT count(*) FROM household_codes WHERE compound_id = ?", [compound_id]) + 1
    return [c.code for c in issue_codes(db, SYSTEM, compound_id, [f"{prefix}{start + n}" for n in range(count)])]
