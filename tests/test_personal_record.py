"""Issue 10, items 5 and 6: personal data never enters the permanent record, and leaves the
database on time. Written as the careless secretary would work: a phone typed into a title, an
escalation request naming a resident, a 讨论情况 quoting a flat — then corrected or redacted. The
marker must then be in no public output (services, public page, public minutes md/docx/pdf, notice)
and in no event at all."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deliberation import cli
from deliberation.exports.minutes import minutes_docx, minutes_markdown, minutes_pdf
from deliberation.exports.notice import notice_docx, notice_pdf
from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services import meetings as meeting_svc
from deliberation.services import public as board
from deliberation.services.actors import RESIDENT, SYSTEM
from deliberation.services.clock import clock_at
from deliberation.services.documents import notice_view
from deliberation.services.escalation import escalate
from deliberation.services.issue_view import issue_detail
from deliberation.services.issues import accept_concern, update_issue
from deliberation.services.minutes import minutes_view, set_item_public_summary
from deliberation.services.privacy import REDACTED, erase_resident, purge_personal, redact
from deliberation.services.publicity import close_expired_windows, give_feedback, publish_result
from deliberation.services.concerns import raise_concern
from deliberation.store import one, rows, scalar
from tests.document_text import docx_text, pdf_text
from tests.factories import (category_id, db_path, decide, issue_in_stage, item_of, make_issue, open_meeting,
                             stage_of, version_of)
from tests.page_output import everything, open_page

PHONE = "13800009999"
UNIT = "3栋502"


def public_outputs(db, compound_id: int) -> str:
    """Everything a resident can get of the compound without signing in, as one string."""
    parts = []
    issues, _ = board.public_issues(db, compound_id, page_size=1000)
    for issue in issues:
        parts += [repr(issue), repr(board.public_timeline(db, issue.id)),
                  repr(board.public_feedback_counts(db, issue.id))]
    parts += [repr(board.public_meetings(db, compound_id)), repr(board.public_escalations(db, compound_id))]
    for meeting in board.public_meetings(db, compound_id):
        view = minutes_view(db, RESIDENT, meeting["id"], public=True)
        parts += [minutes_markdown(view), docx_text(minutes_docx(view)), pdf_text(minutes_pdf(view))]
    notice = notice_view(db, SYSTEM, compound_id)
    parts += [repr(notice), docx_text(notice_docx(notice)), pdf_text(notice_pdf(notice))]
    return "\n".join(parts)


def events_text(db) -> str:
    return json.dumps(rows(db, "SELECT note, data FROM events"), ensure_ascii=False)


def publish_meeting(db, actor, meeting_id: int) -> None:
    meeting_svc.finish_meeting(db, actor, meeting_id)
    meeting_svc.approve_minutes(db, actor, meeting_id)
    meeting_svc.publish_minutes(db, actor, meeting_id, "第一次会议已召开,审议议题一项。")


# --- the issue's three scenarios ------------------------------------------------------------

def test_a_title_with_a_phone_corrected_leaves_no_trace_in_public_output_or_events(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, title=f"{UNIT}王阿姨家漏水 电话{PHONE}")
    update_issue(db, secretary, issue_id, version_of(db, issue_id), title="3栋漏水")
    meeting_id = open_meeting(db, secretary, world.a, [issue_id])
    decide(db, secretary, meeting_id, issue_id, outcome="actions", public_summary="物业负责修复3栋漏水")
    publish_meeting(db, secretary, meeting_id)
    publish_result(db, secretary, issue_id, summary="已修复")

    out = public_outputs(db, world.a)
    assert "3栋漏水" in out and "物业负责修复3栋漏水" in out        # the corrected texts are shown
    assert PHONE not in out and "王阿姨" not in out
    assert PHONE not in events_text(db)
    # The internal timeline shows the title as it is now, too.
    assert PHONE not in json.dumps(issue_detail(db, secretary, issue_id)["timeline"], ensure_ascii=False)


def test_an_escalation_request_with_a_phone_is_neither_public_nor_in_an_event(world, actors):
    db, secretary, officer = world.db, actors["secretary_a"], actors["officer"]
    issue_id = issue_in_stage(db, secretary, world.a, "acting")
    request = "请协调5栋1203居民甲(13912345601)家的漏水"
    escalation_id = escalate(db, secretary, issue_id, "community", request)
    out = public_outputs(db, world.a)
    assert "13912345601" not in out and "居民甲" not in out
    assert "上报社区" in json.dumps(board.public_timeline(db, issue_id), ensure_ascii=False)
    assert "13912345601" not in events_text(db)
    # Staff still read the request as it is; once redacted it is gone there too.
    timeline = json.dumps(issue_detail(db, secretary, issue_id)["timeline"], ensure_ascii=False)
    assert "13912345601" in timeline
    redact(db, secretary, "escalation", escalation_id, "request")
    detail = issue_detail(db, secretary, issue_id)
    assert "13912345601" not in json.dumps(detail, ensure_ascii=False, default=str)
    assert detail["escalations"][0]["request"] == REDACTED
    assert officer  # the officer's answer path is covered in test_escalation


def test_the_discussion_never_reaches_the_public_minutes_only_the_public_summary(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, title="楼道堆物")
    meeting_id = open_meeting(db, secretary, world.a, [issue_id])
    decide(db, secretary, meeting_id, issue_id, outcome="settled",
           discussion=f"{UNIT}住户称邻居{PHONE}堆物", decision=f"由物业联系{UNIT}清理")
    publish_meeting(db, secretary, meeting_id)
    out = public_outputs(db, world.a)
    assert PHONE not in out and UNIT not in out
    assert "公开版" in out
    # The secretary writes the public summary afterwards; it shows at once, nothing else does.
    set_item_public_summary(db, secretary, item_of(db, meeting_id, issue_id), "物业已清理楼道堆物")
    out = public_outputs(db, world.a)
    assert "物业已清理楼道堆物" in out and PHONE not in out and UNIT not in out
    # The decision's text is referenced by the events, not copied into them.
    assert PHONE not in events_text(db) and UNIT not in events_text(db)
    # The internal minutes still carry the discussion for the branch.
    assert PHONE in minutes_markdown(minutes_view(db, secretary, meeting_id))


def test_a_redacted_public_summary_disappears_from_the_public_page(world, actors, monkeypatch):
    db, secretary = world.db, actors["secretary_a"]
    monkeypatch.setenv("DELIBERATION_DB", db_path(db))
    issue_id = issue_in_stage(db, secretary, world.a, "acting")
    publish_result(db, secretary, issue_id, summary=f"已为{UNIT}住户修好,电话{PHONE}")
    assert PHONE in public_outputs(db, world.a)        # the careless secretary published it …
    redact(db, secretary, "issue", issue_id, "public_summary")
    assert PHONE not in public_outputs(db, world.a)    # … and it is gone everywhere at once
    assert PHONE not in events_text(db)
    at = open_page("public", query={"compound": world.a, "issue": issue_id})
    assert not at.exception
    assert PHONE not in everything(at)
    event = one(db, "SELECT * FROM events WHERE kind = 'redacted' ORDER BY id DESC LIMIT 1")
    assert json.loads(event["data"]) == {"kind": "issue", "id": issue_id, "field": "public_summary"}
    assert event["actor_id"] == secretary.user_id


def test_old_events_with_typed_notes_are_not_shown_on_the_public_timeline(world, actors):
    """Databases from before issue 10 keep their notes (events cannot be updated): the public
    timeline no longer reads notes at all."""
    db, secretary = world.db, actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a, title="3栋漏水")
    with db.conn:
        db["events"].insert({"compound_id": world.a, "issue_id": issue_id, "kind": "raised", "public": 1,
                             "note": f"{UNIT}王阿姨家漏水 电话{PHONE}", "data": "{}", "created_at": "2024-01-01",
                             "to_stage": "collected"})
        db["events"].insert({"compound_id": world.a, "issue_id": issue_id, "kind": "transition", "public": 1,
                             "from_stage": "acting", "to_stage": "escalated", "data": "{}",
                             "note": f"上报松园社区:请协调居民甲({PHONE})", "created_at": "2024-01-02"})
    timeline = board.public_timeline(db, issue_id)
    assert PHONE not in json.dumps(timeline, ensure_ascii=False)
    assert [e["note"] for e in timeline][-2:] == ["3栋漏水", "上报社区/街道"]


# --- who may redact and erase ---------------------------------------------------------------

@pytest.mark.parametrize("role", ["recorder_a", "seat_rep_property_a", "officer"])
def test_only_the_publish_right_redacts_and_each_refusal_is_audited(world, actors, role):
    db = world.db
    issue_id = make_issue(db, actors["secretary_a"], world.a, title=f"电话{PHONE}")
    before = scalar(db, "SELECT count(*) FROM events WHERE kind = 'refused'")
    with pytest.raises(PermissionDenied):
        redact(db, actors[role], "issue", issue_id, "title")
    assert scalar(db, "SELECT count(*) FROM events WHERE kind = 'refused'") == before + 1
    assert PHONE in one(db, "SELECT title FROM issues WHERE id = ?", [issue_id])["title"]


def test_redacting_an_unknown_field_is_refused_in_chinese_naming_it(world, actors):
    issue_id = make_issue(world.db, actors["secretary_a"], world.a)
    with pytest.raises(DomainError, match="stage"):
        redact(world.db, actors["secretary_a"], "issue", issue_id, "stage")
    with pytest.raises(DomainError, match="不能隐去"):
        redact(world.db, actors["secretary_a"], "issue", issue_id, "title; DROP TABLE issues")


def test_erasing_one_resident_keeps_households_stage_and_the_other_residents(world, actors):
    db, secretary = world.db, actors["secretary_a"]
    category = category_id(db, world.a, "停车")
    issue_id = raise_concern(db, world.a, category_id=category, description=f"{UNIT}门口车位被占 {PHONE}",
                             building="3栋", contact=PHONE, session_key="k1")
    raise_concern(db, world.a, category_id=category, description="另一户门口也被占", building="4栋",
                  contact="13700001111", session_key="k2")
    reports = rows(db, "SELECT id, issue_id FROM reports ORDER BY id")
    households = scalar(db, "SELECT count(*) FROM reports")
    erase_resident(db, secretary, reports[0]["id"])
    assert scalar(db, "SELECT count(*) FROM reports") == households
    first = one(db, "SELECT * FROM reports WHERE id = ?", [reports[0]["id"]])
    assert (first["unit"], first["contact"], first["reporter_name"]) == ("", "", "")
    assert first["words"] == ""
    assert one(db, "SELECT contact FROM reports WHERE id = ?", [reports[1]["id"]])["contact"] == "13700001111"
    assert stage_of(db, issue_id) == "collected"
    assert PHONE not in json.dumps(rows(db, "SELECT * FROM issues"), ensure_ascii=False)
    assert PHONE not in json.dumps(rows(db, "SELECT * FROM reports"), ensure_ascii=False)
    assert PHONE not in events_text(db)
    with pytest.raises(PermissionDenied):
        erase_resident(db, actors["recorder_a"], reports[1]["id"])


# --- retention: purge-personal --------------------------------------------------------------

ENDED_ON = date(2024, 2, 20)


def _ended_concern(db, world, actors, *, contact: str, comment: str = "") -> int:
    """A resident's concern, accepted, decided, published, rated with a comment and resolved when
    its window closed (2024-02-20): long past a year ago."""
    secretary = actors["secretary_a"]
    with clock_at(datetime(2024, 1, 10, 9)):
        issue_id = raise_concern(db, world.a, category_id=category_id(db, world.a, "停车"),
                                 description=f"{UNIT}的车位被占 {contact}", building="3栋", contact=contact,
                                 session_key=f"s-{len(contact)}-{contact[-2:]}x")
        accept_concern(db, secretary, issue_id, version_of(db, issue_id), title="车位被占")
        meeting_id = open_meeting(db, secretary, world.a, [issue_id])
        decide(db, secretary, meeting_id, issue_id, outcome="actions")
        meeting_svc.finish_meeting(db, secretary, meeting_id)
        publish_result(db, secretary, issue_id, summary="已处理")
        if comment:
            give_feedback(db, issue_id, "satisfied", comment, session_key=f"s-{len(contact)}-{contact[-2:]}x")
    with clock_at(datetime.combine(ENDED_ON, time(2))):
        close_expired_windows(db, SYSTEM)
    assert stage_of(db, issue_id) == "resolved"
    return issue_id


def test_purge_dry_run_changes_nothing_and_reports_numbers(world, actors, capsys):
    db = world.db
    _ended_concern(db, world, actors, contact="13911112222", comment="谢谢,我家电话13911112222")
    before = {t: rows(db, f"SELECT * FROM {t}") for t in ("issues", "reports", "feedback", "events")}
    result = purge_personal(db, SYSTEM, dry_run=True)
    assert (result.issues, result.reports, result.comments) == (1, 1, 1)
    assert {t: rows(db, f"SELECT * FROM {t}") for t in before} == before
    # Not yet a year after it ended: nothing to do.
    assert purge_personal(db, SYSTEM, dry_run=True, on=ENDED_ON + timedelta(days=300)).issues == 0
    assert cli.main(["purge-personal", "--dry-run", "--db", db_path(db)]) == 0
    printed = capsys.readouterr().out
    assert "议题 1 个" in printed and "居民反映 1 条" in printed and "试运行" in printed
    assert {t: rows(db, f"SELECT * FROM {t}") for t in before} == before


def test_purge_erases_personal_fields_and_keeps_counts(world, actors, capsys):
    db = world.db
    issue_id = _ended_concern(db, world, actors, contact="13933334444", comment="电话13933334444")
    open_issue = raise_concern(db, world.a, category_id=category_id(db, world.a, "停车"),
                               description="仍在办理的问题 13955556666", contact="13955556666", session_key="open")
    counts = {t: scalar(db, f"SELECT count(*) FROM {t}") for t in ("issues", "reports", "feedback")}
    stages = rows(db, "SELECT id, stage, resolved_level, version FROM issues ORDER BY id")
    rating = board.public_feedback_counts(db, issue_id)
    assert cli.main(["purge-personal", "--db", db_path(db)]) == 0
    assert "已删除个人信息" in capsys.readouterr().out
    assert "13933334444" not in json.dumps({t: rows(db, f"SELECT * FROM {t}") for t in
                                            ("issues", "reports", "feedback", "events")}, ensure_ascii=False)
    assert {t: scalar(db, f"SELECT count(*) FROM {t}") for t in counts} == counts
    assert rows(db, "SELECT id, stage, resolved_level, version FROM issues ORDER BY id") == stages
    assert board.public_feedback_counts(db, issue_id) == rating
    # The open issue keeps its resident's contact: it has not ended.
    assert one(db, "SELECT contact FROM reports WHERE issue_id = ?", [open_issue])["contact"] == "13955556666"
    # Run again (cron): nothing left to do.
    assert purge_personal(db, SYSTEM).issues == 0


def test_purge_refuses_a_nonsense_retention_in_chinese(world, monkeypatch):
    with pytest.raises(DomainError, match="-5"):
        purge_personal(world.db, SYSTEM, days=-5)
    monkeypatch.setenv("DELIBERATION_RETENTION_DAYS", "一年")
    with pytest.raises(DomainError, match="一年"):
        purge_personal(world.db, SYSTEM)


def test_the_concern_form_says_how_long_personal_data_is_kept(world, monkeypatch):
    monkeypatch.setenv("DELIBERATION_DB", db_path(world.db))
    at = open_page("public", query={"compound": world.a}, state={"public_tab": "我要反映"})
    assert "一年后" in everything(at)


# --- property: nothing a secretary does puts a seeded phone or unit into public output ---------

SEED_PHONE, SEED_UNIT = "13566667777", "9栋1801"
STEPS = st.lists(st.sampled_from([
    "edit_title_clean", "edit_title_dirty", "redact_title", "publish_dirty", "redact_summary",
    "escalation_dirty", "redact_request", "purge", "erase", "decide_dirty", "summary_dirty", "redact_item",
]), min_size=1, max_size=8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_no_sequence_of_edits_redactions_and_purges_leaks_a_seeded_phone_or_unit(world_template, tmp_path_factory,
                                                                                 steps):
    """Dirty values are typed into non-public fields or redacted before the check; the public
    output must never contain the seeded phone or unit, nor may any event."""
    from tests.factories import copy_db, rebind
    from deliberation.store import open_db
    template_db, template_world = world_template[0], world_template[1]
    db = open_db(tmp_path_factory.mktemp("prop") / "p.db")
    copy_db(template_db, db.conn)
    world = rebind(template_world, db)
    secretary = world.actors["secretary_a"]
    dirty = f"{SEED_UNIT}住户 {SEED_PHONE}"
    issue_id = raise_concern(db, world.a, category_id=category_id(db, world.a, "停车"), description=dirty,
                             building="9栋", contact=SEED_PHONE, session_key="prop")
    accept_concern(db, secretary, issue_id, version_of(db, issue_id), title="车位被占")
    escalation_id = item_id = meeting_id = None
    for step in steps:
        stage = stage_of(db, issue_id)
        try:
            if step == "edit_title_clean":
                update_issue(db, secretary, issue_id, version_of(db, issue_id), title="车位问题")
            elif step == "edit_title_dirty":
                update_issue(db, secretary, issue_id, version_of(db, issue_id), title=dirty)
                redact(db, secretary, "issue", issue_id, "title")
            elif step == "redact_title":
                redact(db, secretary, "issue", issue_id, "title")
            elif step == "publish_dirty" and stage == "acting":
                publish_result(db, secretary, issue_id, summary=dirty)
                redact(db, secretary, "issue", issue_id, "public_summary")
            elif step == "redact_summary":
                redact(db, secretary, "issue", issue_id, "public_summary")
            elif step == "escalation_dirty" and stage == "acting":
                escalation_id = escalate(db, secretary, issue_id, "community", dirty)
            elif step == "redact_request" and escalation_id:
                redact(db, secretary, "escalation", escalation_id, "request")
            elif step == "purge":
                purge_personal(db, SYSTEM, on=date.today() + timedelta(days=800))
            elif step == "erase":
                erase_resident(db, secretary, one(db, "SELECT min(id) AS id FROM reports WHERE issue_id = ?",
                                                  [issue_id])["id"])
            elif step == "decide_dirty" and stage in ("collected", "deliberating") and meeting_id is None:
                meeting_id = open_meeting(db, secretary, world.a, [issue_id])
                item_id = item_of(db, meeting_id, issue_id)
                decide(db, secretary, meeting_id, issue_id, outcome="actions", discussion=dirty, decision=dirty)
                publish_meeting(db, secretary, meeting_id)
            elif step == "summary_dirty" and item_id:
                set_item_public_summary(db, secretary, item_id, dirty)
                redact(db, secretary, "agenda_item", item_id, "public_summary")
            elif step == "redact_item" and item_id:
                redact(db, secretary, "agenda_item", item_id, "public_summary")
        except DomainError:
            pass            # a step the issue's stage does not allow: the sequence goes on
        out = public_outputs(db, world.a)
        assert SEED_PHONE not in out and SEED_UNIT not in out, step
        assert SEED_PHONE not in events_text(db) and SEED_UNIT not in events_text(db), step
