"""Issue 13, item 3: the draft minutes can be corrected until approval (texts and votes, with
optimistic versions), approval locks them, a later correction is an amendment with a reason that
keeps the approved text readable, and the 公开版 preview is what publishing shows."""
from __future__ import annotations

import io
import json

import docx
import pytest

from deliberation.exports import minutes_docx, minutes_markdown
from deliberation.model.errors import DomainError, PermissionDenied, StaleRecord
from deliberation.services import meetings as meeting_svc
from deliberation.services.attendance import record_attendance
from deliberation.services.documents import minutes_view
from deliberation.services.minutes_workflow import amend_decision, amendments, correct_decision
from deliberation.store import one, rows
from tests.factories import held_meeting_with_quorum, item_of, make_issue, seat_id

MARKUP = "<script>alert(1)</script> **粗体** [链接](javascript:alert(1))"


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _held(world) -> tuple[int, int, int]:
    """A held meeting of compound A with one decided item: (meeting id, item id, issue id)."""
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    meeting_id = held_meeting_with_quorum(db, secretary, world.a, {issue_id: {
        "outcome": "deferred", "discussion": "业主代表称车位不足", "decision": "下次会议再议"}})
    return meeting_id, item_of(db, meeting_id, issue_id), issue_id


def _item(db, item_id: int) -> dict:
    return one(db, "SELECT * FROM agenda_items WHERE id = ?", [item_id])


def _events(db, item_id: int, kind: str) -> list[dict]:
    return [json.loads(e["data"]) for e in rows(db, "SELECT data FROM events WHERE kind = ? ORDER BY id", [kind])
            if json.loads(e["data"]).get("agenda_item_id") == item_id]


def test_a_draft_decision_is_corrected_with_its_votes_and_the_event_keeps_old_and_new(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id, item_id, _ = _held(world)
    owners = seat_id(db, world.a, "owners")
    correct_decision(db, secretary, item_id, expected_version=_item(db, item_id)["version"],
                     discussion="业主代表称地面车位不足 30 个", decision="下次会议再议", votes={owners: "for"})
    item = _item(db, item_id)
    assert item["discussion"] == "业主代表称地面车位不足 30 个" and item["decision"] == "下次会议再议"
    owners_name = one(db, "SELECT name FROM seats WHERE id = ?", [owners])["name"]
    assert [e["values"] for e in _events(db, item_id, "decision_corrected")] == [{
        "discussion": {"old": "业主代表称车位不足", "new": "业主代表称地面车位不足 30 个"},
        "votes": {"old": {}, "new": {owners_name: "for"}}}]
    view = minutes_view(db, secretary, meeting_id)
    assert view.items[0].discussion == "业主代表称地面车位不足 30 个" and view.items[0].votes


def test_a_stale_correction_is_refused_and_the_first_one_stands(world):
    """Two secretaries open the same draft; the second save was made on the old text."""
    db, secretary = world.db, world.actors["secretary_a"]
    _, item_id, _ = _held(world)
    seen = _item(db, item_id)["version"]
    correct_decision(db, secretary, item_id, expected_version=seen, discussion="甲的修改", decision="下次会议再议")
    with pytest.raises(StaleRecord, match="已被他人修改"):
        correct_decision(db, secretary, item_id, expected_version=seen, discussion="乙的修改", decision="下次会议再议")
    assert _item(db, item_id)["discussion"] == "甲的修改"


def test_a_correction_cannot_empty_a_decision_or_exceed_the_limit_or_vote_for_another_compound(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    meeting_id = held_meeting_with_quorum(db, secretary, world.a, {issue_id: {"outcome": "settled"}})
    item_id = item_of(db, meeting_id, issue_id)
    version = _item(db, item_id)["version"]
    with pytest.raises(DomainError, match="请填写决议内容"):
        correct_decision(db, secretary, item_id, expected_version=version, discussion="", decision="  ")
    with pytest.raises(DomainError, match="不能超过 2000 字"):
        correct_decision(db, secretary, item_id, expected_version=version, discussion="长" * 2001, decision="同意")
    with pytest.raises(DomainError, match="不属于本小区"):
        correct_decision(db, secretary, item_id, expected_version=version, discussion="", decision="同意",
                         votes={seat_id(db, world.compounds["B"], "owners"): "for"})
    assert _item(db, item_id)["version"] == version and _item(db, item_id)["decision"] == "形成决议"


def test_approval_locks_the_draft_texts_votes_and_attendance(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id, item_id, _ = _held(world)
    meeting_svc.approve_minutes(db, secretary, meeting_id)
    version = _item(db, item_id)["version"]
    with pytest.raises(DomainError, match="纪要已审定,不能直接修改"):
        correct_decision(db, secretary, item_id, expected_version=version, discussion="审定后偷改",
                         decision="下次会议再议")
    line = meeting_svc.attendance(db, secretary, meeting_id)[0]
    with pytest.raises(DomainError, match="会议开始后才能记录出席"):
        record_attendance(db, secretary, meeting_id, {line["member_id"]: ("absent", "")})
    assert _item(db, item_id)["discussion"] == "业主代表称车位不足"
    assert meeting_svc.attendance(db, secretary, meeting_id)[0]["status"] == line["status"]


def test_an_amendment_after_approval_needs_a_reason_and_keeps_both_versions(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id, item_id, issue_id = _held(world)
    meeting_svc.approve_minutes(db, secretary, meeting_id)
    version = _item(db, item_id)["version"]
    for reason in ("", "   "):
        with pytest.raises(DomainError, match="需要写明更正理由"):
            amend_decision(db, secretary, item_id, expected_version=version, discussion="更正后",
                           decision="下次会议再议", reason=reason)
    with pytest.raises(DomainError, match="内容没有变化"):
        amend_decision(db, secretary, item_id, expected_version=version, discussion="业主代表称车位不足",
                       decision="下次会议再议", reason="核对录音")
    amend_decision(db, secretary, item_id, expected_version=version, discussion=MARKUP, decision="下次会议再议",
                   reason="核对录音后更正")
    [amendment] = amendments(db, secretary, meeting_id)
    assert (amendment["field"], amendment["old_text"], amendment["new_text"], amendment["reason"]) == (
        "discussion", "业主代表称车位不足", MARKUP, "核对录音后更正")
    assert amendment["amended_by_label"] == secretary.label
    assert _item(db, item_id)["discussion"] == MARKUP                     # stored as typed, escaped when shown
    [event] = _events(db, item_id, "minutes_amended")
    assert event["values"] == {"discussion": {"old": "业主代表称车位不足", "new": MARKUP}}
    assert event["reason"] == "核对录音后更正"
    assert one(db, "SELECT issue_id FROM events WHERE kind = 'minutes_amended'")["issue_id"] == issue_id
    internal = minutes_view(db, secretary, meeting_id)
    assert internal.items[0].discussion == MARKUP
    assert internal.amendments == (f"{amendment['amended_at'][:10]} 更正议题一讨论情况（理由：核对录音后更正）",)
    assert "更正议题一讨论情况（理由：核对录音后更正）" in docx_text(minutes_docx(internal))
    assert "<script>" not in minutes_markdown(internal)                   # the exporter escapes typed markup
    assert minutes_view(db, secretary, meeting_id, public=True, preview=True).amendments == ()
    with pytest.raises(StaleRecord):                                      # the page still showed the old text
        amend_decision(db, secretary, item_id, expected_version=version, discussion="再改",
                       decision="下次会议再议", reason="再次核对")


def test_a_draft_is_not_amended_and_only_the_publisher_amends(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id, item_id, _ = _held(world)
    version = _item(db, item_id)["version"]
    with pytest.raises(DomainError, match="纪要尚未审定,请直接修改草稿"):
        amend_decision(db, secretary, item_id, expected_version=version, discussion="x", decision="y", reason="z")
    meeting_svc.approve_minutes(db, secretary, meeting_id)
    for name in ("officer", "secretary_b", "recorder_a"):      # recorder: runs meetings, does not approve
        with pytest.raises(PermissionDenied):
            amend_decision(db, world.actors[name], item_id, expected_version=version, discussion="x",
                           decision="y", reason="z")
    assert amendments(db, secretary, meeting_id) == []


def test_the_preview_of_the_public_minutes_is_what_publishing_shows_and_names_no_one(world):
    db, secretary = world.db, world.actors["secretary_a"]
    meeting_id, _, _ = _held(world)
    preview = minutes_view(db, secretary, meeting_id, public=True, preview=True)
    names = [r["name"] for r in rows(db, "SELECT name FROM members WHERE compound_id = ?", [world.a])]
    names.append(secretary.label)
    text = minutes_markdown(preview)
    assert names and not [n for n in names if n in text]
    assert "业主代表称车位不足" not in text                                   # 讨论情况 is internal
    meeting_svc.approve_minutes(db, secretary, meeting_id)
    before = minutes_markdown(minutes_view(db, secretary, meeting_id, public=True, preview=True))
    meeting_svc.publish_minutes(db, secretary, meeting_id, "已召开")
    published = minutes_view(db, secretary, meeting_id, public=True)
    assert minutes_markdown(published) == before
    assert minutes_docx(published)


def test_a_resident_representative_cannot_read_the_preview(world):
    db = world.db
    meeting_id, _, _ = _held(world)
    with pytest.raises(PermissionDenied):
        minutes_view(db, world.actors["seat_rep_owners_a"], meeting_id, public=True, preview=True)
