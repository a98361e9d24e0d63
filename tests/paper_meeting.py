"""鸿翔花园's 14th meeting on a copy of the demo database, driven through the real services as a
secretary would: scheduled for 2026-12-08 19:00 with three items (one titled with markup, one
taken down from a hotline caller whose name must never be printed), then — for the minutes —
held from 19:00 to 20:45 with one member absent, one excused and one by proxy, a decision that
names a person for a task, one settled and one deferred.

Used by the document tests and by the script that renders the papers for looking at."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from deliberation.services import agenda as agenda_svc
from deliberation.services import meetings as meeting_svc
from deliberation.services.actors import load_actor
from deliberation.services.attendance import record_attendance
from deliberation.services.compounds import find_compound
from deliberation.services.issues import raise_issue
from deliberation.store import one, rows

HX = "鸿翔花园"
SCHEDULED = datetime(2026, 12, 8, 19, 0)
STARTED, ENDED = datetime(2026, 12, 8, 19, 0), datetime(2026, 12, 8, 20, 45)
MARKUP_TITLE = "<b>地库</b> **积水** [链接](http://x.cn) {nb}"
CALLER = "欧阳来电人"               # a hotline caller's name: staff took it down, no paper prints it
CALLER_PHONE = "13700009999"
PROXY = "受托人周某"
OWNER_DUE = date(2026, 12, 31)


@dataclass
class PaperMeeting:
    db: object
    secretary: object
    compound_id: int
    meeting_id: int
    issue_ids: list[int]


def _actor(db, username: str):
    return load_actor(db, one(db, "SELECT id FROM users WHERE username = ?", [username])["id"])


def _seat(db, compound_id: int, code: str) -> int:
    return one(db, "SELECT id FROM seats WHERE compound_id = ? AND code = ?", [compound_id, code])["id"]


def planned_meeting(db) -> PaperMeeting:
    """The 14th meeting, scheduled, with its three items on the agenda."""
    secretary = _actor(db, "hx_secretary")
    compound_id = find_compound(db, HX).id
    category = rows(db, "SELECT id FROM categories WHERE compound_id = ? AND retired_at IS NULL ORDER BY position",
                    [compound_id])[0]["id"]
    issues = [
        raise_issue(db, secretary, compound_id, title=MARKUP_TITLE, category_id=category, raised_by_kind="seat",
                    raised_by_seat_id=_seat(db, compound_id, "owners"),
                    description="雨后地库入口积水，车辆难以通行，业委会提出加装截水沟。"),
        raise_issue(db, secretary, compound_id, title="夜间装修噪音", category_id=category, raised_by_kind="hotline",
                    channel="hotline", description="3栋有住户反映夜间装修噪音。", reporter_name=CALLER,
                    contact=CALLER_PHONE),
        raise_issue(db, secretary, compound_id, title="快递柜占用消防通道", category_id=category,
                    raised_by_kind="patrol", description="巡访发现快递柜摆放在5栋消防通道内。"),
    ]
    meeting_id = meeting_svc.schedule_meeting(db, secretary, compound_id, scheduled_at=SCHEDULED)
    for issue_id in issues:
        agenda_svc.add_to_agenda(db, secretary, meeting_id, issue_id)
    return PaperMeeting(db, secretary, compound_id, meeting_id, issues)


def held_meeting(db) -> PaperMeeting:
    """The same meeting held: 19:00–20:45, attendance with an absence, a leave and a proxy;
    the first item assigns two tasks (one to a named member), the second is settled, the
    third deferred."""
    paper = planned_meeting(db)
    db_, secretary, meeting_id = paper.db, paper.secretary, paper.meeting_id
    party = one(db_, """SELECT m.id FROM members m JOIN seats s ON s.id = m.seat_id
                         WHERE m.compound_id = ? AND s.code = 'party' ORDER BY m.id""", [paper.compound_id])["id"]
    meeting_svc.start_meeting(db_, secretary, meeting_id, chair_member_id=party, recorder_name="支部委员",
                              at=STARTED)
    lines = meeting_svc.attendance(db_, secretary, meeting_id)
    marks = {line["member_id"]: ("present", "") for line in lines}
    by_seat = {line["seat_code"]: line["member_id"] for line in lines}
    marks[by_seat["police"]] = ("absent", "")
    marks[by_seat["deputies"]] = ("excused", "")
    marks[by_seat["property"]] = ("proxy", PROXY)
    record_attendance(db_, secretary, meeting_id, marks)
    owners_member = by_seat["owners"]
    items = {issue: one(db_, "SELECT id FROM agenda_items WHERE meeting_id = ? AND issue_id = ?",
                        [meeting_id, issue])["id"] for issue in paper.issue_ids}
    agenda_svc.record_decision(
        db_, secretary, items[paper.issue_ids[0]], outcome="actions", discussion="业委会与物业就截水沟位置协商。",
        decision="在地库入口加装截水沟一道。",
        actions=[agenda_svc.ActionDraft(_seat(db_, paper.compound_id, "property"), "加装地库入口截水沟", OWNER_DUE),
                 agenda_svc.ActionDraft(_seat(db_, paper.compound_id, "owners"), "监督施工并验收", OWNER_DUE,
                                        member_id=owners_member)],
        votes={_seat(db_, paper.compound_id, "party"): "for", _seat(db_, paper.compound_id, "owners"): "for"})
    agenda_svc.record_decision(db_, secretary, items[paper.issue_ids[1]], outcome="settled",
                               decision="物业张贴装修时间告示，夜间禁止施工。")
    meeting_svc.finish_meeting(db_, secretary, meeting_id, at=ENDED)
    return paper
