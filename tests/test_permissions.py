"""Who may do what, and where: every role × every service, inside and outside its scope.

The expectation table below is written out by hand on purpose: derived from PERMISSIONS it
could never disagree with the code it checks. A refusal must raise PermissionDenied, leave
a `refused` audit event, and write nothing else."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from deliberation.model.errors import PermissionDenied
from deliberation.model.lifecycle import Stage
from deliberation.services import meetings as meeting_svc
from deliberation.services.actions import update_action
from deliberation.services.agenda import add_to_agenda, record_decision
from deliberation.services.attendance import record_attendance
from deliberation.services.compounds import get_compound, update_compound_rules
from deliberation.services.escalation import answer_escalation, escalate
from deliberation.services.issue_view import issue_detail
from deliberation.services.issues import raise_issue, transition_issue, update_issue
from deliberation.services.publicity import publish_result
from deliberation.services.register import list_issues
from deliberation.services.roster import add_member, list_members, rename_seat
from deliberation.services.users import create_user
from deliberation.store import one, open_db
from tests.factories import (
    World, actions_for, category_id, copy_db, dump, escalated_issue, held_meeting_with_quorum, is_chinese,
    item_of, make_issue, open_meeting, rebind, seat_id, version_of,
)

ACTORS = ("admin", "officer", "officer_other", "secretary_a", "recorder_a", "seat_rep_property_a",
          "seat_rep_owners_a", "secretary_b", "resident")

# Everything below happens in compound A (甲花园, in 松园社区). `officer` works for 松园社区;
# `officer_other` for 东门街道; `secretary_b` runs compound B next door.
STAFF_OF_A = {"admin", "secretary_a", "recorder_a"}
READERS_OF_A = {"admin", "officer", "secretary_a", "recorder_a", "seat_rep_property_a", "seat_rep_owners_a"}
ALLOWED = {
    "raise_issue": {"admin", "secretary_a", "recorder_a", "seat_rep_property_a", "seat_rep_owners_a"},
    "update_issue": STAFF_OF_A,
    "transition_issue": STAFF_OF_A,
    "schedule_meeting": STAFF_OF_A,
    "record_decision": STAFF_OF_A,
    "record_attendance": STAFF_OF_A,
    "approve_minutes": {"admin", "secretary_a"},
    "publish_minutes": {"admin", "secretary_a"},
    "publish_result": {"admin", "secretary_a"},
    "update_action_of_the_property_seat": {"admin", "secretary_a", "recorder_a", "seat_rep_property_a"},
    "update_action_of_the_owners_seat": {"admin", "secretary_a", "recorder_a", "seat_rep_owners_a"},
    "escalate": {"admin", "secretary_a"},
    "answer_escalation_to_the_community_of_a": {"admin", "officer"},
    "answer_escalation_to_the_subdistrict_above": {"admin"},
    "add_member": {"admin", "secretary_a"},
    "rename_seat": {"admin", "secretary_a"},
    "update_compound_rules": {"admin", "secretary_a"},
    "create_user": {"admin"},
    "list_issues": READERS_OF_A,
    "issue_detail": READERS_OF_A,
    "list_members": READERS_OF_A,
}
READS = {"list_issues", "issue_detail", "list_members"}


@dataclass
class Scene:
    """Compound A with something for every service to act on."""
    world: World
    collected: int               # an issue waiting in 巡访问事
    acting: int                  # in 合力干事, with one action for 物业 and one for 业委会
    property_action: int
    owners_action: int
    to_community: int            # an escalation waiting for 松园社区
    to_subdistrict: int          # an escalation waiting for 桂园街道
    approved: int                # a meeting whose minutes are approved, not yet public
    held: int                    # a meeting held, minutes not yet approved
    running: int                 # a meeting in progress
    undecided_item: int          # an item on the running meeting's agenda


@pytest.fixture(scope="module")
def scene_template(tmp_path_factory, world_template):
    """Built once through the services on the session's world; each test gets its own copy."""
    world_path, world = world_template
    path = tmp_path_factory.mktemp("scene") / "scene.db"
    copy_db(world_path, path)
    db = open_db(path)
    scene = build_scene(rebind(world, db))
    db.close()
    return path, scene


@pytest.fixture
def scene(scene_template, tmp_path) -> Scene:
    path, template = scene_template
    copy_db(path, tmp_path / "scene.db")
    db = open_db(tmp_path / "scene.db")
    yield replace(template, world=rebind(template.world, db))
    db.close()


def build_scene(world: World) -> Scene:
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    collected = make_issue(db, secretary, a, title="楼道堆放杂物")
    acting = make_issue(db, secretary, a, title="电梯老化频繁故障")
    approved = held_meeting_with_quorum(db, secretary, a, {acting: {
        "outcome": "actions", "actions": actions_for(db, a, "property", "owners")}})
    meeting_svc.approve_minutes(db, secretary, approved)
    _, to_community = escalated_issue(db, secretary, a, "community", title="周边道路改造")
    _, to_subdistrict = escalated_issue(db, secretary, a, "subdistrict", title="变压器容量不足")
    held = held_meeting_with_quorum(db, secretary, a, {})
    waiting = make_issue(db, secretary, a, title="宠物乱跑")
    running = open_meeting(db, secretary, a, [waiting])
    actions = {r["code"]: r["id"] for r in db.query(
        "SELECT s.code, x.id FROM actions x JOIN seats s ON s.id = x.seat_id WHERE x.issue_id = ?", [acting])}
    return Scene(world=world, collected=collected, acting=acting, property_action=actions["property"],
                 owners_action=actions["owners"], to_community=to_community, to_subdistrict=to_subdistrict,
                 approved=approved, held=held, running=running, undecided_item=item_of(db, running, waiting))


def _member_of(db, compound_id, code):
    return one(db, "SELECT id FROM members WHERE compound_id = ? AND seat_id = ?",
               [compound_id, seat_id(db, compound_id, code)])["id"]


SERVICES = {
    "raise_issue": lambda s, db, actor: raise_issue(
        db, actor, s.world.a, title="夜间装修噪音", category_id=category_id(db, s.world.a, "噪音"),
        raised_by_kind="seat", raised_by_seat_id=seat_id(db, s.world.a, "property")),
    "update_issue": lambda s, db, actor: update_issue(
        db, actor, s.collected, version_of(db, s.collected), title="楼道堆放杂物(3栋)"),
    "transition_issue": lambda s, db, actor: transition_issue(
        db, actor, s.collected, "closed", expected_version=version_of(db, s.collected), reason="withdrawn"),
    "schedule_meeting": lambda s, db, actor: meeting_svc.schedule_meeting(db, actor, s.world.a),
    "record_decision": lambda s, db, actor: record_decision(
        db, actor, s.undecided_item, outcome="settled", decision="物业当场清理"),
    "record_attendance": lambda s, db, actor: record_attendance(
        db, actor, s.running, {_member_of(db, s.world.a, "cobuilding"): ("excused", "")}),
    "approve_minutes": lambda s, db, actor: meeting_svc.approve_minutes(db, actor, s.held),
    "publish_minutes": lambda s, db, actor: meeting_svc.publish_minutes(db, actor, s.approved, "会议审议了电梯问题。"),
    "publish_result": lambda s, db, actor: publish_result(db, actor, s.acting, summary="电梯已更换主板"),
    "update_action_of_the_property_seat": lambda s, db, actor: update_action(
        db, actor, s.property_action, 1, status="in_progress", note="已联系维保单位"),
    "update_action_of_the_owners_seat": lambda s, db, actor: update_action(
        db, actor, s.owners_action, 1, status="done", note="已征求业主意见"),
    "escalate": lambda s, db, actor: escalate(db, actor, s.acting, "community", "请社区协调电梯维保资金"),
    "answer_escalation_to_the_community_of_a": lambda s, db, actor: answer_escalation(
        db, actor, s.to_community, "社区已协调施工单位"),
    "answer_escalation_to_the_subdistrict_above": lambda s, db, actor: answer_escalation(
        db, actor, s.to_subdistrict, "街道已协调供电局扩容"),
    "add_member": lambda s, db, actor: add_member(
        db, actor, s.world.a, seat_id(db, s.world.a, "police"), "新民警"),
    "rename_seat": lambda s, db, actor: rename_seat(db, actor, seat_id(db, s.world.a, "property"), "物业管理处"),
    "update_compound_rules": lambda s, db, actor: update_compound_rules(
        db, actor, s.world.a, get_compound(db, s.world.a).version, quorum_min_seats=4),
    "create_user": lambda s, db, actor: create_user(
        db, actor, "new_recorder", "新记录员", "recorder", password_hash="x", compound_ids=[s.world.a]),
    "list_issues": lambda s, db, actor: list_issues(db, actor, s.world.a),
    "issue_detail": lambda s, db, actor: issue_detail(db, actor, s.acting),
    "list_members": lambda s, db, actor: list_members(db, actor, s.world.a),
}

CASES = [(service, actor) for service in SERVICES for actor in ACTORS]


def _id(case) -> str:
    service, actor = case
    return f"{actor}-{'may' if actor in ALLOWED[service] else 'may_not'}-{service}"


def test_the_expectation_table_covers_every_service():
    assert set(ALLOWED) == set(SERVICES)
    assert all(allowed <= set(ACTORS) for allowed in ALLOWED.values())


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_each_role_may_do_exactly_what_the_table_says_within_its_scope(scene, case):
    service, name = case
    db, actor = scene.world.db, scene.world.actors[name]
    before = dump(db)
    if name in ALLOWED[service]:
        SERVICES[service](scene, db, actor)
        after = dump(db)
        assert [e for e in after["events"][len(before["events"]):] if e["kind"] == "refused"] == []
        if service in READS:
            assert after == before
        else:
            assert after != before
    else:
        with pytest.raises(PermissionDenied) as refused:
            SERVICES[service](scene, db, actor)
        assert is_chinese(refused.value.message)
        after = dump(db)
        new_events = after["events"][len(before["events"]):]
        assert [(e["kind"], e["actor_id"], e["actor_label"]) for e in new_events] == [
            ("refused", actor.user_id, actor.label)]
        assert after["events"][:len(before["events"])] == before["events"]
        assert {t: r for t, r in after.items() if t != "events"} == {t: r for t, r in before.items() if t != "events"}


def test_a_refusal_names_the_role_and_what_was_attempted(scene):
    db, actor = scene.world.db, scene.world.actors["secretary_b"]
    with pytest.raises(PermissionDenied, match="您没有权限修改议题"):
        update_issue(db, actor, scene.collected, version_of(db, scene.collected), title="改标题")
    event = one(db, "SELECT * FROM events ORDER BY id DESC LIMIT 1")
    assert (event["kind"], event["compound_id"], event["note"]) == (
        "refused", scene.world.a, "支部书记「测试secretary_b」无权修改议题")


def test_secretary_cannot_edit_another_compound(world):
    db = world.db
    issue_b = make_issue(db, world.actors["secretary_b"], world.compounds["B"])
    with pytest.raises(PermissionDenied):
        update_issue(db, world.actors["secretary_a"], issue_b, version_of(db, issue_b), title="改标题")
    assert one(db, "SELECT title FROM issues WHERE id = ?", [issue_b])["title"] == "车位不足"


def test_a_changed_scope_takes_effect_at_the_next_load_of_the_actor(world):
    from deliberation.services.actors import load_actor
    from deliberation.services.users import set_user_scope
    db, a, b = world.db, world.a, world.compounds["B"]
    secretary = world.actors["secretary_a"]
    set_user_scope(db, world.actors["admin"], secretary.user_id, role="secretary", compound_ids=[b])
    reloaded = load_actor(db, secretary.user_id)
    assert (reloaded.covers(a), reloaded.covers(b)) == (False, True)
    with pytest.raises(PermissionDenied):
        make_issue(db, reloaded, a)


def test_a_seat_representative_cannot_put_an_issue_on_the_agenda(world):
    db, a = world.db, world.a
    issue_id = make_issue(db, world.actors["seat_rep_owners_a"], a)
    meeting_id = meeting_svc.schedule_meeting(db, world.actors["secretary_a"], a)
    with pytest.raises(PermissionDenied):
        add_to_agenda(db, world.actors["seat_rep_owners_a"], meeting_id, issue_id)
    assert one(db, "SELECT stage FROM issues WHERE id = ?", [issue_id])["stage"] == Stage.COLLECTED.value
