"""Loads the demo cases from data/demo/*.json. Idempotent: a compound or account that exists is skipped."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..model.schedule import ScheduleRule
from ..services.compounds import create_area, create_compound, update_compound_rules
from ..services.actors import SYSTEM
from ..services.clock import clock_at
from ..services.roster import add_member
from ..services.users import HASHER, create_user
from ..store import areas as area_store
from ..store import compounds as compound_store
from ..store import roster as roster_store
from ..store import users as user_store
from ..store.db import bulk_loading
from .replay import CaseReplay, Timeline

DATA = Path(__file__).resolve().parents[2] / "data" / "demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["建华", "秀英", "志强", "丽华", "国庆", "海燕", "文军", "桂兰", "小平", "红梅", "德明", "雪梅"]


def _read(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _area(db, path: list[list[str]]) -> int:
    parent = None
    for name, level in path:
        parent = create_area(db, SYSTEM, name, level, parent, demo=True)
    return parent


def _compound(db, area_id: int, spec: dict, since: date) -> int | None:
    if compound_store.compound_id_in_area(db, area_id, spec["name"]):
        return None
    with clock_at(datetime.combine(since, time(9))):
        compound_id = create_compound(db, SYSTEM, area_id, spec["name"], address=spec.get("address", ""),
                                      households=spec.get("households"), branch_name=spec.get("branch_name", ""),
                                      schedule=ScheduleRule.from_text(spec.get("schedule", "2:1:19:00")),
                                      place=spec.get("place", "小区党群服务站"), demo=True)
        version = compound_store.get_compound(db, compound_id)["version"]
        update_compound_rules(db, SYSTEM, compound_id, version, quorum_min_seats=spec.get("min_seats", 6),
                              required_seat_codes=spec.get("required_seats", ["party"]))
    return compound_id


def _members(db, compound_id: int, members: list[dict], since: date) -> None:
    seats = roster_store.seat_ids_by_code(db, compound_id)
    with clock_at(datetime.combine(since, time(9))):
        for m in members:
            add_member(db, SYSTEM, compound_id, seats[m["seat"]], m["name"], title=m.get("title", ""),
                       phone=m.get("phone", ""), active_from=since, demo=True)


def load_case(db, spec: dict, meeting_dates: list[datetime], issues: list[dict], attendance) -> int | None:
    area_id = _area(db, spec["area_path"])
    since = (meeting_dates[0] - timedelta(days=400)).date()
    compound_id = _compound(db, area_id, spec["compound"], since)
    if compound_id is None:
        return None
    _members(db, compound_id, spec["members"], since)
    timeline = Timeline()
    replay = CaseReplay(db, compound_id, meeting_dates, timeline)
    for issue in issues:
        replay.issue(issue)
    replay.meetings(attendance)
    timeline.run()
    return compound_id


def load_hongxiang(db) -> int | None:
    spec = _read("hongxiang.json")
    rule = ScheduleRule.from_text(spec["compound"]["schedule"])
    first = datetime.fromisoformat(spec["first_meeting"])
    dates = [first]
    while len(dates) < len(spec["meetings"]):
        dates.append(rule.next_after(dates[-1]))
    absent = {m["number"]: m for m in spec["meetings"]}
    return load_case(db, spec, dates, spec["issues"], lambda n: absent[n])


def load_yile(db) -> int | None:
    spec = _read("yile.json")
    rule = ScheduleRule.from_text(spec["compound"]["schedule"])
    dates = rule.occurrences(date.today() - timedelta(days=31 * spec["months"]), date.today() - timedelta(days=1))
    dates = dates[-spec["months"]:]
    issues = []
    for i, (title, category, answer) in enumerate(spec["escalated"]):
        issues.append({"key": f"esc{i}", "title": title, "category": category, "raised_by": "resident_group",
                       "description": title, "summary": answer, "handling": [{
                           "meeting": 1 + i * 29 // len(spec["escalated"]), "outcome": "escalated", "to": "subdistrict",
                           "request": f"请街道协调解决:{title}", "discussion": "小区层面无法解决,需上级协调。",
                           "decision": "上报南湾街道。", "answer": answer, "answer_after": 20}]})
    for i, (title, category) in enumerate(spec["local"]):
        issues.append({"key": f"loc{i}", "title": title, "category": category, "raised_by": "representatives",
                       "description": title, "summary": f"{title}问题已整改完毕。", "handling": [{
                           "meeting": 2 + i * 4, "outcome": "actions", "discussion": "物业现场说明情况。",
                           "decision": f"物业负责整改{title}。", "done_after": 18,
                           "actions": [{"seat": "property", "task": f"整改:{title}", "days": 21}]}]})
    issues += spec["recent"]
    absent_cycle = ["cobuilding", "deputies", "police"]
    return load_case(db, spec, dates, issues,
                     lambda n: {"absent": [absent_cycle[n % 3]] if n % 4 == 0 else [], "excused": []})


def load_nanwan_others(db) -> list[int]:
    spec = _read("nanwan.json")
    loaded = []
    for index, name in enumerate(spec["names"]):
        rnd = random.Random(spec["seed"] * 100 + index)
        rule = ScheduleRule(nth=rnd.choice([1, 2, 3]), weekday=rnd.choice([1, 2, 3]), at=time(19, 30))
        dates = rule.occurrences(date.today() - timedelta(days=150), date.today() - timedelta(days=1))[-rnd.randint(2, 4):]
        compound = {"name": name, "address": "龙岗区南湾街道(示例地址)", "households": rnd.randint(300, 1500),
                    "schedule": rule.to_text(), "place": "小区党群服务站"}
        members = [{"seat": code, "name": rnd.choice(SURNAMES) + rnd.choice(GIVEN), "title": "",
                    "phone": f"136{index:02d}{i:02d}{rnd.randint(1000, 9999)}"}
                   for i, code in enumerate(["party", "owners", "property", "residents_committee", "resident_group",
                                             "police", "deputies", "representatives", "cobuilding"])]
        issues = []
        for i, (title, category) in enumerate(rnd.sample(spec["issues"], rnd.randint(3, 6))):
            meeting = rnd.randint(1, len(dates))
            outcome = rnd.choice(["settled", "actions", "actions", "escalated", "deferred"])
            step = {"meeting": meeting, "outcome": outcome, "discussion": "各方发表意见。", "decision": f"就“{title}”形成决议。"}
            if outcome == "actions":
                step["actions"] = [{"seat": "property", "task": f"落实:{title}", "days": 20}]
                if meeting < len(dates) - 1:
                    step["done_after"] = 15
            if outcome == "escalated":
                step.update(to="subdistrict", request=f"请街道协调:{title}")
                if rnd.random() < 0.6:
                    step.update(answer=spec["escalation_answer"], answer_after=10)
            issues.append({"key": f"i{i}", "title": title, "category": category, "raised_by": "owners",
                           "description": title, "summary": f"{title}已处理。", "handling": [step]})
        spec_case = {"area_path": spec["area_path"], "compound": compound, "members": members}
        compound_id = load_case(db, spec_case, dates, issues, lambda n: {"absent": [], "excused": []})
        if compound_id:
            loaded.append(compound_id)
    return loaded


def load_accounts(db) -> int:
    spec = _read("accounts.json")
    hashed = HASHER.hash(spec["password"])      # one hash for the shared demo password: loading stays fast
    created = 0
    for user in spec["users"]:
        if user_store.username_taken(db, user["username"]):
            continue
        compounds = [compound_store.compound_ids_named(db, n)[0] for n in user.get("compounds", [])]
        area_id = area_store.areas_named(db, user["area"])[0]["id"] if user.get("area") else None
        create_user(db, SYSTEM, user["username"], user["display_name"], user["role"], password_hash=hashed,
                    compound_ids=compounds, area_id=area_id, seat_code=user.get("seat"), demo=True)
        created += 1
    return created


def load_demo(db) -> dict:
    """Both cases, the rest of 南湾街道 and the demo accounts. Safe to run again."""
    with bulk_loading(db):      # a bulk load that can simply be re-run after a crash
        loaded = {"鸿翔花园": load_hongxiang(db), "怡乐花园": load_yile(db)}
        loaded["南湾街道其他小区"] = len(load_nanwan_others(db))
        loaded["accounts"] = load_accounts(db)
    return loaded
