"""Replays a case's history through the real services, each step under a clock set to its date.

Going through the services (not inserting rows) means the demo's events, stages and timelines are
exactly what the app would have produced had the compound used it from the start.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable

from ..model.roles import Role
from ..services import agenda as agenda_svc
from ..services import meetings as meeting_svc
from ..services.actions import update_action
from ..services.actors import SYSTEM, Actor
from ..services.attendance import record_attendance
from ..services.clock import clock_at
from ..services.escalation import answer_escalation
from ..services.issues import insert_issue
from ..services.publicity import close_expired_windows, publish_result
from ..store import actions as action_store
from ..store import areas as area_store
from ..store import escalations as escalation_store
from ..store import roster as roster_store


@dataclass
class Timeline:
    """Steps to run in date order; ties keep the order they were added in."""
    steps: list[tuple[datetime, int, Callable[[], None]]] = field(default_factory=list)

    def at(self, moment: datetime, step: Callable[[], None]) -> None:
        self.steps.append((moment, len(self.steps), step))

    def run(self) -> None:
        for moment, _, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            with clock_at(moment):
                step()


def officer_for(db, compound_id: int, level_to: str) -> Actor:
    area = area_store.area_above_compound(db, compound_id, level_to)
    return Actor(user_id=None, role=Role.ADMIN, label=area["name"] if area else "上级", area_id=area and area["id"])


class CaseReplay:
    """Schedules one compound's issues and meetings onto a timeline."""

    def __init__(self, db, compound_id: int, meeting_dates: list[datetime], timeline: Timeline,
                 window_days: int = 7):
        self.db, self.compound_id, self.dates, self.timeline = db, compound_id, meeting_dates, timeline
        self.window_days = window_days
        self.seats = roster_store.seat_ids_by_code(db, compound_id)
        self.categories = roster_store.category_ids_by_name(db, compound_id)
        self.issue_ids: dict[str, int] = {}
        self.items: dict[int, list[tuple[str, dict]]] = {}     # meeting number -> (issue key, handling)
        self.meeting_ids: dict[int, int] = {}

    def meeting_date(self, number: int) -> datetime:
        return self.dates[number - 1] if number > 0 else self.dates[number]

    def number(self, number: int) -> int:
        return number if number > 0 else len(self.dates) + number + 1

    def issue(self, spec: dict) -> None:
        handling = spec.get("handling", [])
        first = self.meeting_date(handling[0]["meeting"]) if handling else datetime.combine(
            date.today() - timedelta(days=5), time(9))
        raised_on = date.fromisoformat(spec["raised_on"]) if spec.get("raised_on") else (first - timedelta(days=12)).date()
        self.timeline.at(datetime.combine(raised_on, time(9)), lambda: self._raise(spec, raised_on))
        for step in handling:
            self.items.setdefault(self.number(step["meeting"]), []).append((spec["key"], {**step, "summary": spec.get("summary", "")}))

    def _raise(self, spec: dict, raised_on: date) -> None:
        kind = spec["raised_by"] if spec["raised_by"] in ("resident", "patrol", "hotline") else "seat"
        seat_id = self.seats.get(spec["raised_by"]) if kind == "seat" else None
        seat_name = roster_store.get_seat(self.db, seat_id)["name"] if seat_id else ""
        self.issue_ids[spec["key"]] = insert_issue(self.db, SYSTEM, {
            "compound_id": self.compound_id, "title": spec["title"],
            # A resident's description is the resident's own words: kept on the report (personal).
            "description": "" if kind == "resident" else spec.get("description", ""),
            "category_id": self.categories[spec["category"]], "raised_by_kind": kind, "raised_by_seat_id": seat_id,
            "raised_by_seat_name": seat_name, "channel": "resident_report" if kind == "resident" else "visit",
            "raised_on": raised_on.isoformat(), "building": spec.get("building", ""),
            "public_summary": "" if kind == "resident" else spec.get("description", ""),
            "accepted_at": f"{raised_on.isoformat()} 10:00:00", "demo": 1,
        }, report={"reporter_name": spec.get("reporter", ""), "unit": spec.get("unit", ""),
                   "contact": spec.get("contact", ""),
                   "words": spec.get("description", "") if kind == "resident" else ""})

    def meetings(self, attendance: Callable[[int], dict]) -> None:
        for number, when in enumerate(self.dates, start=1):
            self.timeline.at(when - timedelta(days=3), lambda n=number, w=when: self._schedule(n, w))
            self.timeline.at(when, lambda n=number: self._hold(n, attendance(n)))
            self.timeline.at(when + timedelta(days=2), lambda n=number: meeting_svc.approve_minutes(
                self.db, SYSTEM, self.meeting_ids[n]))
            self.timeline.at(when + timedelta(days=3), lambda n=number: meeting_svc.publish_minutes(
                self.db, SYSTEM, self.meeting_ids[n], self._summary(n)))
            for key, step in self.items.get(number, []):
                self._follow_up(key, step, when)

    def _schedule(self, number: int, when: datetime) -> None:
        self.meeting_ids[number] = meeting_svc.schedule_meeting(self.db, SYSTEM, self.compound_id,
                                                                scheduled_at=when, demo=True)
        for key, _ in self.items.get(number, []):
            agenda_svc.add_to_agenda(self.db, SYSTEM, self.meeting_ids[number], self.issue_ids[key])

    def _hold(self, number: int, absent: dict) -> None:
        meeting_id = self.meeting_ids[number]
        meeting_svc.start_meeting(self.db, SYSTEM, meeting_id,
                                  chair_member_id=roster_store.first_party_member_id(self.db, self.compound_id),
                                  recorder_name="支部委员")
        marks = {}
        for line in meeting_svc.attendance(self.db, SYSTEM, meeting_id):
            status = ("absent" if line["seat_code"] in absent.get("absent", ()) else
                      "excused" if line["seat_code"] in absent.get("excused", ()) else "present")
            marks[line["member_id"]] = (status, "")
        record_attendance(self.db, SYSTEM, meeting_id, marks)
        for item in agenda_svc.agenda(self.db, SYSTEM, meeting_id):
            key = next(k for k, v in self.issue_ids.items() if v == item["issue_id"])
            step = next(s for k, s in self.items[number] if k == key)
            agenda_svc.record_decision(
                self.db, SYSTEM, item["id"], outcome=step["outcome"], discussion=step.get("discussion", ""),
                decision=step.get("decision", "") or ("暂缓,下次再议" if step["outcome"] == "deferred" else ""),
                votes={self.seats[c]: v for c, v in step.get("votes", {}).items()},
                actions=[agenda_svc.ActionDraft(self.seats[a["seat"]], a["task"],
                                                (self.meeting_date(number) + timedelta(days=a["days"])).date())
                         for a in step.get("actions", [])],
                escalate_to=step.get("to"), escalation_request=step.get("request", ""),
                public_summary=step.get("public_summary", ""))
        meeting_svc.finish_meeting(self.db, SYSTEM, meeting_id)

    def _summary(self, number: int) -> str:
        titles = [r["title"] for r in agenda_svc.agenda(self.db, SYSTEM, self.meeting_ids[number])]
        if not titles:
            return f"第{number}次会议通报了前期议题落实情况。"
        return f"第{number}次会议审议了{len(titles)}项议题:" + "、".join(titles) + "。"

    def _follow_up(self, key: str, step: dict, when: datetime) -> None:
        if step["outcome"] == "actions" and "done_after" in step:
            done = when + timedelta(days=step["done_after"])
            if step.get("keep_public"):
                done = datetime.combine(date.today() - timedelta(days=1), time(10))
            self.timeline.at(done, lambda: self._finish_actions(key, step))
            if not step.get("keep_public"):
                self._close_windows(done)
        if step["outcome"] == "escalated" and step.get("answer"):
            answered = when + timedelta(days=step.get("answer_after", 20))
            self.timeline.at(answered, lambda: self._answer(key, step))
            self._close_windows(answered)

    def _finish_actions(self, key: str, step: dict) -> None:
        issue_id = self.issue_ids[key]
        for action in action_store.actions_of_issue(self.db, issue_id, date.today().isoformat()):
            if action["status"] == "done":
                continue
            update_action(self.db, SYSTEM, action["id"], action["version"], status="done", note="已完成")
        publish_result(self.db, SYSTEM, issue_id, summary=step["summary"] or step.get("decision", "已办理"))

    def _answer(self, key: str, step: dict) -> None:
        escalation = next(e for e in escalation_store.unanswered_escalations_to(self.db, None, anywhere=True)
                          if e["issue_id"] == self.issue_ids[key])
        officer = officer_for(self.db, self.compound_id, step.get("to", "community"))
        answer_escalation(self.db, officer, escalation["id"], step["answer"], next_stage="publicizing")

    def _close_windows(self, published: datetime) -> None:
        closes = datetime.combine((published + timedelta(days=self.window_days + 1)).date(), time(0, 5))
        scope = Actor(user_id=None, role=Role.SECRETARY, label="系统", compound_ids=frozenset({self.compound_id}))
        if closes.date() <= date.today():
            self.timeline.at(closes, lambda: close_expired_windows(self.db, scope))
