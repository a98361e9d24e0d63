"""Per-record access on the demo data: the secretary of 鸿翔花园 handed 怡乐花园's compound, issue,
meeting, agenda item, action and escalation ids gets PermissionDenied — never data, never a
write; a resident (no account) gets the same from every internal service; and ids tampered into
an internal page's URL show a refusal, not the record."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from deliberation.model.errors import PermissionDenied
from deliberation.services import agenda as agenda_svc
from deliberation.services import meetings as meeting_svc
from deliberation.services.actions import actions_for_seat, update_action
from deliberation.services.actors import RESIDENT, load_actor
from deliberation.services.attendance import record_attendance
from deliberation.services.audit import AuditFilter, audit_events
from deliberation.services.compounds import get_compound, update_compound_rules
from deliberation.services.concerns import raise_concern
from deliberation.services.escalation import answer_escalation, escalate
from deliberation.services.issue_view import issue_detail
from deliberation.services.issues import (
    accept_concern, merge_issues, raise_issue, reject_concern, transition_issue, update_issue,
)
from deliberation.services.publicity import close_expired_windows, publish_result
from deliberation.services.register import IssueFilter, list_issues
from deliberation.services.roster import add_category, add_member, list_members, rename_seat
from deliberation.services.users import create_user, list_users
from deliberation.store import one
from tests.factories import dump
from tests.page_output import everything, open_page, user_id

YILE = 2


@dataclass
class Yile:
    """Ids of records that belong to 怡乐花园."""
    waiting_issue: int          # 巡访问事
    acting_issue: int           # 合力干事
    concern: int                # a resident's concern, not yet accepted
    meeting: int
    item: int
    action: int
    escalation: int
    seat: int
    category: int


def yile_ids(db) -> Yile:
    first = lambda sql: one(db, sql, [YILE])["id"]  # noqa: E731
    concern = raise_concern(db, YILE, category_id=first("SELECT id FROM categories WHERE compound_id = ? LIMIT 1"),
                            description="电动车在楼道里充电", session_key="access-test")
    return Yile(
        waiting_issue=first("""SELECT id FROM issues WHERE compound_id = ? AND stage = 'collected'
                               AND accepted_at IS NOT NULL"""),
        acting_issue=first("SELECT id FROM issues WHERE compound_id = ? AND stage = 'acting'"),
        concern=concern,
        meeting=first("SELECT id FROM meetings WHERE compound_id = ? ORDER BY number DESC LIMIT 1"),
        item=first("""SELECT a.id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
                      WHERE m.compound_id = ? ORDER BY a.id DESC LIMIT 1"""),
        action=first("""SELECT a.id FROM actions a JOIN issues i ON i.id = a.issue_id
                        WHERE i.compound_id = ? AND a.status = 'open' LIMIT 1"""),
        escalation=first("""SELECT e.id FROM escalations e JOIN issues i ON i.id = e.issue_id
                            WHERE i.compound_id = ? AND e.answered_on IS NULL"""),
        seat=first("SELECT id FROM seats WHERE compound_id = ? AND code = 'owners'"),
        category=first("SELECT id FROM categories WHERE compound_id = ? LIMIT 1"),
    )


def version(db, issue_id: int) -> int:
    return one(db, "SELECT version FROM issues WHERE id = ?", [issue_id])["version"]


# Each call touches one 怡乐花园 record; reads first, then writes.
CALLS = {
    "issue_detail": lambda db, a, y: issue_detail(db, a, y.waiting_issue),
    "list_issues": lambda db, a, y: list_issues(db, a, YILE, IssueFilter()),
    "list_meetings": lambda db, a, y: meeting_svc.list_meetings(db, a, YILE),
    "attendance": lambda db, a, y: meeting_svc.attendance(db, a, y.meeting),
    "list_members": lambda db, a, y: list_members(db, a, YILE),
    "propose_agenda": lambda db, a, y: agenda_svc.propose_agenda(db, a, YILE),
    "actions_for_seat": lambda db, a, y: actions_for_seat(db, a, YILE, "property"),
    "audit_events": lambda db, a, y: audit_events(db, a, AuditFilter(compound_id=YILE)),
    "raise_issue": lambda db, a, y: raise_issue(db, a, YILE, title="越权登记", category_id=y.category,
                                                raised_by_kind="patrol"),
    "update_issue": lambda db, a, y: update_issue(db, a, y.waiting_issue, version(db, y.waiting_issue),
                                                  title="越权修改"),
    "transition_issue": lambda db, a, y: transition_issue(db, a, y.waiting_issue, "closed", reason="withdrawn",
                                                          note="越权关闭", expected_version=version(db, y.waiting_issue)),
    "accept_concern": lambda db, a, y: accept_concern(db, a, y.concern, version(db, y.concern)),
    "reject_concern": lambda db, a, y: reject_concern(db, a, y.concern, version(db, y.concern), "越权驳回"),
    "merge_issues": lambda db, a, y: merge_issues(db, a, y.concern, y.waiting_issue),
    "publish_result": lambda db, a, y: publish_result(db, a, y.acting_issue, summary="越权公示"),
    "escalate": lambda db, a, y: escalate(db, a, y.acting_issue, "community", "越权上报"),
    "answer_escalation": lambda db, a, y: answer_escalation(db, a, y.escalation, "越权答复"),
    "schedule_meeting": lambda db, a, y: meeting_svc.schedule_meeting(db, a, YILE,
                                                                      scheduled_at=datetime(2030, 1, 8, 19)),
    "record_attendance": lambda db, a, y: record_attendance(
        db, a, y.meeting, {one(db, "SELECT member_id FROM attendance WHERE meeting_id = ?", [y.meeting])["member_id"]:
                           ("absent", "")}),
    "publish_minutes": lambda db, a, y: meeting_svc.publish_minutes(db, a, y.meeting, "越权公开"),
    "add_to_agenda": lambda db, a, y: agenda_svc.add_to_agenda(db, a, y.meeting, y.waiting_issue),
    "record_decision": lambda db, a, y: agenda_svc.record_decision(db, a, y.item, outcome="settled", decision="越权"),
    "drop_from_agenda": lambda db, a, y: agenda_svc.drop_from_agenda(db, a, y.item),
    "update_action": lambda db, a, y: update_action(
        db, a, y.action, one(db, "SELECT version FROM actions WHERE id = ?", [y.action])["version"], status="done"),
    "add_member": lambda db, a, y: add_member(db, a, YILE, y.seat, "越权成员", active_from=date(2026, 1, 1)),
    "rename_seat": lambda db, a, y: rename_seat(db, a, y.seat, "越权改名"),
    "add_category": lambda db, a, y: add_category(db, a, YILE, "越权类别"),
    "update_compound_rules": lambda db, a, y: update_compound_rules(db, a, YILE, get_compound(db, YILE).version,
                                                                    objection_threshold=1),
}
RESIDENT_ONLY = {
    "list_users": lambda db, a, y: list_users(db, a),
    "create_user": lambda db, a, y: create_user(db, a, "intruder", "入侵者", "admin", password="Intrude2026"),
    "close_expired_windows": lambda db, a, y: close_expired_windows(db, a),
}


def assert_refused_without_trace(db, actor, call, ids) -> None:
    """PermissionDenied, and the only change in the whole database is one `refused` event."""
    before = dump(db)
    with pytest.raises(PermissionDenied):
        call(db, actor, ids)
    after = dump(db)
    new_events = after["events"][len(before["events"]):]
    assert [e["kind"] for e in new_events] == ["refused"]
    assert {t: r for t, r in after.items() if t != "events"} == {t: r for t, r in before.items() if t != "events"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_hongxiang_secretary_is_refused_every_yile_record(demo_copy, name):
    ids = yile_ids(demo_copy)
    secretary = load_actor(demo_copy, user_id(demo_copy, "hx_secretary"))
    assert_refused_without_trace(demo_copy, secretary, CALLS[name], ids)


@pytest.mark.parametrize("name", sorted({**CALLS, **RESIDENT_ONLY}))
def test_a_resident_is_refused_every_internal_service(demo_copy, name):
    ids = yile_ids(demo_copy)
    assert_refused_without_trace(demo_copy, RESIDENT, {**CALLS, **RESIDENT_ONLY}[name], ids)


def test_the_yile_secretary_may_read_what_the_hongxiang_secretary_may_not(demo_copy):
    ids = yile_ids(demo_copy)
    own = load_actor(demo_copy, user_id(demo_copy, "yl_secretary"))
    assert issue_detail(demo_copy, own, ids.waiting_issue)["issue"]["id"] == ids.waiting_issue


# --- tampered URLs on internal pages -------------------------------------------------------



def test_another_compounds_issue_in_the_issue_page_url_shows_a_refusal(demo_env):
    issue = one(demo_env, "SELECT id, title, description FROM issues WHERE compound_id = ? AND stage = 'acting'",
                [YILE])
    at = open_page("issue", user=user_id(demo_env, "hx_secretary"), query={"issue": issue["id"]}, router=True)
    assert not at.exception
    assert [e.value for e in at.error] == ["您没有权限查看小区内部信息(此操作已记录)"]
    shown = everything(at)
    assert issue["title"] not in shown and issue["description"] not in shown


def test_another_compound_in_an_internal_page_url_is_ignored(demo_env):
    at = open_page("register", user=user_id(demo_env, "hx_secretary"), query={"compound": YILE}, router=True)
    assert not at.exception
    shown = everything(at)
    assert "鸿翔花园" in shown and "地下车库照明不足" not in shown


def test_an_unknown_issue_in_the_url_says_not_found(demo_env):
    at = open_page("issue", user=user_id(demo_env, "hx_secretary"), query={"issue": 99999}, router=True)
    assert [e.value for e in at.error] == ["找不到该议题"]
