"""Issue 13, item 4: the audit answers "what did it say before". An edit keeps the old and new
value of every non-personal field, only "changed" for personal ones (never the value, anywhere in
the events table), agenda order too; the audit page and the issue timeline show them as text."""
from __future__ import annotations

import json

from deliberation.services import agenda as agenda_svc
from deliberation.services import meetings as meeting_svc
from deliberation.services.audit import audit_events, field_changes
from deliberation.services.issues import update_issue
from deliberation.services.privacy import redact
from deliberation.store import rows
from tests.factories import category_id, item_of, last_event, make_issue, version_of
from tests.page_output import everything, open_page

PERSONAL = "王阿姨家 5栋1203,电话13912345678"


def _edited_events(db, issue_id: int) -> list[dict]:
    return rows(db, "SELECT * FROM events WHERE issue_id = ? AND kind = 'edited' ORDER BY id", [issue_id])


def test_a_title_and_category_change_keeps_both_values(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, title="车位不足")
    other = rows(db, "SELECT id, name FROM categories WHERE compound_id = ? AND id != ? ORDER BY id LIMIT 1",
                 [world.a, category_id(db, world.a)])[0]
    update_issue(db, secretary, issue_id, version_of(db, issue_id), title="地下车库车位不足",
                 category_id=other["id"], priority="normal")          # priority unchanged: not recorded
    event = last_event(db, issue_id)
    data = json.loads(event["data"])
    assert event["kind"] == "edited" and event["actor_label"] == secretary.label and event["created_at"]
    assert data["fields"] == ["category_id", "title"]
    assert data["values"] == {"title": {"old": "车位不足", "new": "地下车库车位不足"},
                              "category_id": {"old": "停车", "new": other["name"]}}


def test_a_personal_field_edited_by_staff_leaves_no_value_in_any_event(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, description=f"原话:{PERSONAL}")
    update_issue(db, secretary, issue_id, version_of(db, issue_id), description="夜间车位不足(已隐去住户信息)",
                 internal_note=f"回访 {PERSONAL}")
    update_issue(db, secretary, issue_id, version_of(db, issue_id), internal_note="已回访")
    dumped = "\n".join(r["data"] + r["note"] for r in rows(db, "SELECT data, note FROM events"))
    assert "13912345678" not in dumped and "王阿姨" not in dumped
    changes = [field_changes(e, {}) for e in _edited_events(db, issue_id)]
    assert [(c.field, c.has_values) for c in changes[0]] == [("description", False), ("internal_note", False)]
    assert [(c.field, c.has_values) for c in changes[1]] == [("internal_note", False)]


def test_a_redacted_title_is_no_longer_shown_in_earlier_edits(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, title="张三家车位被占")
    update_issue(db, secretary, issue_id, version_of(db, issue_id), title="张三家车位被占(已协调)")
    redact(db, secretary, "issue", issue_id, "title")
    row = next(r for r in audit_events(db, secretary).rows if r["kind"] == "edited" and r["issue_id"] == issue_id)
    assert [(c.field, c.redacted, c.old, c.new) for c in row["changes"]] == [("title", True, None, None)]


def test_reordering_the_agenda_is_logged_with_old_and_new_order(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    first, second = make_issue(db, secretary, world.a, title="一"), make_issue(db, secretary, world.a, title="二")
    meeting_id = meeting_svc.schedule_meeting(db, secretary, world.a)
    for issue_id in (first, second):
        agenda_svc.add_to_agenda(db, secretary, meeting_id, issue_id)
    numbers = [r["number"] for r in rows(db, "SELECT number FROM issues WHERE id IN (?, ?) ORDER BY id",
                                         [first, second])]
    agenda_svc.move_agenda_item(db, secretary, item_of(db, meeting_id, second), -1)
    event = last_event(db, second)
    assert event["kind"] == "agenda_reordered" and event["meeting_id"] == meeting_id
    assert json.loads(event["data"])["values"]["agenda_order"] == {"old": numbers, "new": numbers[::-1]}
    before = len(rows(db, "SELECT id FROM events WHERE kind = 'agenda_reordered'"))
    agenda_svc.move_agenda_item(db, secretary, item_of(db, meeting_id, second), -1)    # already first
    assert len(rows(db, "SELECT id FROM events WHERE kind = 'agenda_reordered'")) == before


def test_the_audit_page_and_timeline_show_values_as_text_and_no_personal_value(demo_env):
    db = demo_env
    from deliberation.services.actors import load_actor
    from tests.page_session import user_id
    secretary_id = user_id(db, "hx_secretary")
    secretary = load_actor(db, secretary_id)
    issue = rows(db, "SELECT id, title FROM issues WHERE compound_id = ? AND merged_into_id IS NULL LIMIT 1",
                 [min(secretary.compound_ids)])[0]
    markup = "<b>加粗</b>[点我](javascript:alert(1))"
    update_issue(db, secretary, issue["id"], version_of(db, issue["id"]), title=markup,
                 internal_note=f"回访 {PERSONAL}")
    update_issue(db, secretary, issue["id"], version_of(db, issue["id"]), internal_note="已回访")
    audit = everything(open_page("audit", user=secretary_id))
    assert f"标题:「{issue['title']}」→「{markup}」" in audit          # a dataframe cell: literal text
    assert "内部备注:已修改(可能含个人信息,不记录内容)" in audit
    assert "13912345678" not in audit
    timeline = open_page("issue", user=secretary_id, query={"issue": issue["id"]})
    assert not timeline.exception
    shown = everything(timeline)
    assert f"标题:「{issue['title']}」→「{markup}」" in shown
    assert "内部备注:已修改(可能含个人信息,不记录内容)" in shown and "13912345678" not in shown
