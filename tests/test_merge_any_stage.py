"""Duplicates at any stage (issue 13, item 7): an issue merged into another of its compound, from any
open stage, moves its households, reports and photos there, with an event on both; merged issues are
counted as 合并, apart from 已办结 and 已关闭(未解决). Written as a careless or hostile user would try
it: into itself, into a merged or closed issue, into another compound's, a second click, a stale page."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from deliberation.model.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    StaleRecord,
)
from deliberation.model.lifecycle import Stage
from deliberation.services.actions import action_changes_for_next_meeting
from deliberation.services.agenda import add_to_agenda
from deliberation.services.clock import clock_at, now
from deliberation.services.concerns import join_concern, submit_concern
from deliberation.services.escalation import pending_escalations
from deliberation.services.issues import accept_concern, merge_issues, transition_issue
from deliberation.services.meetings import schedule_meeting
from deliberation.services.photos import attach_photos, public_photos_of_issue
from deliberation.services.public import (
    public_escalations,
    public_issue,
    public_timeline,
)
from deliberation.services.rollup import area_rollup
from deliberation.services.stats import compound_stats
from deliberation.services.tracking import track_concern
from deliberation.store import one, rows
from deliberation.web.resident import routes
from tests.factories import (
    category_id,
    db_path,
    dump,
    escalated_issue,
    household_codes,
    is_chinese,
    issue_in_stage,
    make_issue,
    seat_id,
    stage_of,
    version_of,
)
from tests.resident_http import get, serving

OPEN = ["collected", "deliberating", "acting", "escalated", "publicizing"]


def resident_issue(db, compound_id: int, codes: list[str], *, session: str = "s") -> int:
    """A resident's concern raised with the first household code and joined by the others."""
    issue_id = submit_concern(db, compound_id, category_id=category_id(db, compound_id), session_key=f"{session}0",
                              description="地下车库入口夜间车位被长期占用", household_code=codes[0]).issue_id
    for n, code in enumerate(codes[1:], 1):
        join_concern(db, issue_id, session_key=f"{session}{n}", household_code=code)
    return issue_id


def households(db, issue_id: int) -> int:
    return one(db, "SELECT households FROM public_issues WHERE id = ?", [issue_id])["households"]


def merge(world, duplicate: int, into, who: str = "secretary_a") -> None:
    merge_issues(world.db, world.actors[who], duplicate, into, expected_version=version_of(world.db, duplicate))


def test_merging_an_accepted_issue_sums_its_households_and_counts_it_as_merged(world):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    codes = household_codes(db, a, 5)
    kept = resident_issue(db, a, codes[:2], session="k")
    duplicate = resident_issue(db, a, codes[2:], session="d")
    for issue_id in (kept, duplicate):
        accept_concern(db, secretary, issue_id, version_of(db, issue_id))
    assert (households(db, kept), households(db, duplicate)) == (2, 3)

    merge(world, duplicate, kept)

    assert households(db, kept) == 5
    merged = one(db, "SELECT stage, closed_reason, merged_into_id FROM issues WHERE id = ?", [duplicate])
    assert merged == {"stage": "closed", "closed_reason": "duplicate", "merged_into_id": kept}
    stats = compound_stats(db, secretary, a)
    assert (stats["issues"], stats["resolved"], stats["closed"], stats["merged"]) == (1, 0, 0, 1)
    rollup = area_rollup(db, world.actors["admin"], world.areas["松园社区"])
    row = next(r for r in rollup["rows"] if r["compound_id"] == a)
    assert (row["closed"], row["merged"]) == (0, 1) and rollup["totals"]["merged"] == 1
    kinds = {r["issue_id"]: r["kind"] for r in rows(db, "SELECT issue_id, kind FROM events ORDER BY id DESC LIMIT 2")}
    assert kinds == {duplicate: "transition", kept: "merged"}


@pytest.mark.parametrize("stage", OPEN)
def test_a_duplicate_merges_from_every_open_stage_with_an_event_on_both(world, stage):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    # Raised by two parties (物业, 业委会): both count on the issue kept.
    duplicate = issue_in_stage(db, secretary, a, stage, title="高空抛物(重复)", raised_by_seat_id=seat_id(db, a, "property"))
    kept = make_issue(db, secretary, a, title="高空抛物")
    number_kept = one(db, "SELECT number FROM issues WHERE id = ?", [kept])["number"]
    number_dup = one(db, "SELECT number FROM issues WHERE id = ?", [duplicate])["number"]

    merge(world, duplicate, kept)

    closing = one(db, "SELECT * FROM events WHERE issue_id = ? ORDER BY id DESC LIMIT 1", [duplicate])
    assert (closing["kind"], closing["from_stage"], closing["to_stage"], closing["public"]) == (
        "transition", stage, "closed", 1)
    assert '"transition": "merge"' in closing["data"] and f'"into_number": {number_kept}' in closing["data"]
    joined = one(db, "SELECT * FROM events WHERE issue_id = ? ORDER BY id DESC LIMIT 1", [kept])
    assert (joined["kind"], joined["note"]) == ("merged", f"并入重复议题 #{number_dup},转入 1 条反映")
    assert public_issue(db, duplicate).merged_into == number_kept
    assert f"并入重复议题 #{number_dup}" in [e["note"] for e in public_timeline(db, kept)]
    assert compound_stats(db, secretary, a)["merged"] == 1


def test_open_actions_of_a_merged_issue_are_cancelled_and_the_next_meeting_is_told(world):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    duplicate = issue_in_stage(db, secretary, a, "acting")
    kept = make_issue(db, secretary, a)
    number = one(db, "SELECT number FROM issues WHERE id = ?", [kept])["number"]
    with clock_at(now() + timedelta(minutes=5)):          # after the meeting that assigned the action ended
        merge(world, duplicate, kept)
    assert [r["status"] for r in rows(db, "SELECT status FROM actions WHERE issue_id = ?", [duplicate])] == ["cancelled"]
    [told] = action_changes_for_next_meeting(db, secretary, a)
    assert told["kind"] == "cancelled" and "已并入该议题" in told["reason"] and f"#{number}" in told["reason"]


def test_a_waiting_escalation_is_withdrawn_when_its_issue_is_merged(world):
    db, a, secretary, officer = world.db, world.a, world.actors["secretary_a"], world.actors["officer"]
    duplicate, escalation_id = escalated_issue(db, secretary, a, "community")
    kept = make_issue(db, secretary, a)
    assert [e["id"] for e in pending_escalations(db, officer)] == [escalation_id]
    merge(world, duplicate, kept)
    assert pending_escalations(db, officer) == []                 # nobody above answers a duplicate
    assert one(db, "SELECT withdrawn_on IS NOT NULL AS w FROM escalations WHERE id = ?", [escalation_id])["w"] == 1
    assert public_escalations(db, a) == []
    with pytest.raises(DomainError, match="上报已撤回"):
        from deliberation.services.escalation import answer_escalation
        answer_escalation(db, officer, escalation_id, "社区答复")


def test_a_duplicate_on_a_coming_agenda_comes_off_it(world):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    duplicate, kept = make_issue(db, secretary, a), make_issue(db, secretary, a)
    meeting = schedule_meeting(db, secretary, a)
    add_to_agenda(db, secretary, meeting, duplicate)
    merge(world, duplicate, kept)
    assert rows(db, "SELECT issue_id FROM agenda_items WHERE meeting_id = ?", [meeting]) == []


def test_a_duplicate_already_voted_on_in_a_running_meeting_is_not_merged(world):
    from deliberation.store import agenda as agenda_store
    from deliberation.store import write
    from tests.factories import item_of, open_meeting
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    duplicate, kept = make_issue(db, secretary, a), make_issue(db, secretary, a)
    meeting = open_meeting(db, secretary, a, [duplicate])
    # Votes taken in the room before the decision is written up (the draft may record them first).
    seats = rows(db, "SELECT id, name FROM seats WHERE compound_id = ? ORDER BY position", [a])
    with write(db):
        agenda_store.replace_votes(db, item_of(db, meeting, duplicate),
                                   [{"seat_id": s["id"], "seat_name": s["name"], "vote": "for"} for s in seats])
    before = dump(db)
    with pytest.raises(DomainError, match="已有表决记录"):
        merge(world, duplicate, kept)
    assert dump(db) == before


def test_a_household_that_reported_both_counts_once_and_can_still_track_either(world):
    db, a = world.db, world.a
    both, other = household_codes(db, a, 2)
    kept = resident_issue(db, a, [both], session="k")
    receipt = submit_concern(db, a, category_id=category_id(db, a), session_key="d0", household_code=both,
                             description="地下车库入口夜间车位被长期占用")
    join_concern(db, receipt.issue_id, session_key="d1", household_code=other)
    merge(world, receipt.issue_id, kept)
    assert households(db, kept) == 2                              # `both` once, `other` once
    tracked = track_concern(db, a, receipt.number, receipt=receipt.secret, session_key="t")
    kept_number = one(db, "SELECT number FROM issues WHERE id = ?", [kept])["number"]
    assert (tracked.merged_into, tracked.households) == (kept_number, 2)
    assert track_concern(db, a, receipt.number, household_code=other, session_key="t").merged_into == kept_number


def test_a_chain_of_merges_is_followed_and_cannot_loop(world):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    code = household_codes(db, a, 1)[0]
    first = resident_issue(db, a, [code])
    second, third = make_issue(db, secretary, a), make_issue(db, secretary, a)
    merge(world, first, second)
    before = dump(db)
    with pytest.raises(DomainError, match="已并入议题"):
        merge(world, second, first)                               # into a merged issue: refused, no cycle
    assert dump(db) == before
    merge(world, second, third)
    number = one(db, "SELECT number FROM issues WHERE id = ?", [first])["number"]
    third_number = one(db, "SELECT number FROM issues WHERE id = ?", [third])["number"]
    assert track_concern(db, a, number, household_code=code, session_key="t").merged_into == third_number
    assert households(db, third) == 2               # the resident, and 业委会 once (it raised #2 and #3)


def test_photos_move_with_the_duplicate(world):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    duplicate, kept = make_issue(db, secretary, a), make_issue(db, secretary, a)
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 200)).save(picture, "JPEG")
    [photo] = attach_photos(db, secretary, duplicate, [picture.getvalue()], kind="issue", public=True)
    merge(world, duplicate, kept)
    assert [p["id"] for p in public_photos_of_issue(db, kept)] == [photo]
    assert public_photos_of_issue(db, duplicate) == []


# --- what a careless or hostile user tries ------------------------------------------------------

def refused(world, duplicate, into, pattern, *, who="secretary_a", error=DomainError, version=None) -> str:
    db = world.db
    before = dump(db)
    with pytest.raises(error, match=pattern) as caught:
        merge_issues(db, world.actors[who], duplicate, into,
                     expected_version=version_of(db, duplicate) if version is None else version)
    assert is_chinese(caught.value.message)
    after = dump(db)
    if error is PermissionDenied:                                 # the refusal is audited, nothing else
        assert len(after.pop("events")) == len(before.pop("events")) + 1
    assert after == before
    return caught.value.message


def test_an_issue_is_not_merged_into_itself(world):
    issue_id = make_issue(world.db, world.actors["secretary_a"], world.a)
    refused(world, issue_id, issue_id, "不能把议题合并到自身")


def test_a_second_click_merges_once(world):
    db = world.db
    duplicate = make_issue(db, world.actors["secretary_a"], world.a, raised_by_seat_id=seat_id(db, world.a, "property"))
    kept = make_issue(db, world.actors["secretary_a"], world.a)
    seen = version_of(db, duplicate)
    merge_issues(db, world.actors["secretary_a"], duplicate, kept, expected_version=seen)
    number = one(db, "SELECT number FROM issues WHERE id = ?", [kept])["number"]
    refused(world, duplicate, kept, re.escape(f"该议题已并入议题 #{number},不能再次合并"), version=seen)
    assert households(db, kept) == 2


def test_a_stale_page_is_refused(world):
    from deliberation.services.issues import update_issue
    db, secretary = world.db, world.actors["secretary_a"]
    duplicate, kept = make_issue(db, secretary, world.a), make_issue(db, secretary, world.a)
    seen = version_of(db, duplicate)
    update_issue(db, world.actors["recorder_a"], duplicate, seen, description="补充:已核实")
    refused(world, duplicate, kept, "已被他人修改", error=StaleRecord, version=seen)


def test_a_closed_or_resolved_issue_is_neither_merged_nor_merged_into(world):
    db, secretary = world.db, world.actors["secretary_a"]
    closed = issue_in_stage(db, secretary, world.a, "closed")
    resolved = issue_in_stage(db, secretary, world.a, "resolved")
    open_one = make_issue(db, secretary, world.a)
    refused(world, closed, open_one, "不能再合并")
    refused(world, resolved, open_one, "不能再合并")
    refused(world, open_one, closed, "已关闭,不能合并到它")


@pytest.mark.parametrize("into", [None, "1", True, 10**12, -5, 3.0])
def test_a_tampered_target_is_refused(world, into):
    issue_id = make_issue(world.db, world.actors["secretary_a"], world.a)
    refused(world, issue_id, into, "请选择本小区的另一个议题")


def test_another_compounds_issue_is_refused_without_saying_it_exists(world):
    db = world.db
    ours = make_issue(db, world.actors["secretary_a"], world.a)
    theirs = make_issue(db, world.actors["secretary_b"], world.compounds["B"])
    message = refused(world, ours, theirs, "请选择本小区的另一个议题")
    assert message == refused(world, ours, 999_999, "请选择本小区的另一个议题")


@pytest.mark.parametrize("who", ["secretary_b", "seat_rep_property_a", "officer", "resident"])
def test_who_may_not_merge_is_refused_and_recorded(world, who):
    db = world.db
    duplicate, kept = make_issue(db, world.actors["secretary_a"], world.a), make_issue(db, world.actors["secretary_a"], world.a)
    refused(world, duplicate, kept, "权限", who=who, error=PermissionDenied)


def test_a_result_in_publicity_is_merged_only_with_the_publish_right(world):
    db, secretary = world.db, world.actors["secretary_a"]
    duplicate = issue_in_stage(db, secretary, world.a, "publicizing")
    kept = make_issue(db, secretary, world.a)
    refused(world, duplicate, kept, "权限", who="recorder_a", error=PermissionDenied)
    merge(world, duplicate, kept)
    assert stage_of(db, duplicate) == Stage.CLOSED.value


def test_a_tampered_duplicate_id_finds_nothing(world):
    with pytest.raises(NotFound):
        merge_issues(world.db, world.actors["secretary_a"], 999_999, 1)


def test_closing_as_duplicate_without_merging_is_refused(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = make_issue(db, secretary, world.a)
    before = dump(db)
    with pytest.raises(DomainError, match="合并到"):
        transition_issue(db, secretary, issue_id, "closed", expected_version=version_of(db, issue_id),
                         reason="duplicate")
    assert dump(db) == before


def test_a_plain_close_is_not_a_merge_from_later_stages(world):
    """The table's merge moves (合力干事 → 已关闭 …) are only the merge's: 关闭 from the issue page is refused."""
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = issue_in_stage(db, secretary, world.a, "acting")
    before = dump(db)
    with pytest.raises(DomainError, match="不能直接转为"):
        transition_issue(db, secretary, issue_id, "closed", expected_version=version_of(db, issue_id),
                         reason="withdrawn")
    assert dump(db) == before


def test_an_old_record_closed_as_duplicate_counts_as_merged_not_unresolved(world):
    db, secretary = world.db, world.actors["secretary_a"]
    issue_id = issue_in_stage(db, secretary, world.a, "closed")
    issue_in_stage(db, secretary, world.a, "closed")
    # Before merging existed (or in an imported 台账), a duplicate was closed with the reason 重复.
    db.execute("UPDATE issues SET closed_reason = 'duplicate' WHERE id = ?", [issue_id])
    db.conn.commit()
    stats = compound_stats(db, secretary, world.a)
    assert (stats["closed"], stats["merged"]) == (1, 1)
    row = next(r for r in area_rollup(db, world.actors["admin"], world.areas["松园社区"])["rows"]
               if r["compound_id"] == world.a)
    assert (row["closed"], row["merged"]) == (1, 1)


def test_the_residents_page_of_a_merged_issue_says_where_it_went(world, monkeypatch):
    db, a, secretary = world.db, world.a, world.actors["secretary_a"]
    duplicate, kept = issue_in_stage(db, secretary, a, "acting"), make_issue(db, secretary, a)
    merge(world, duplicate, kept)
    numbers = {r["id"]: r["number"] for r in rows(db, "SELECT id, number FROM issues WHERE id IN (?, ?)", [duplicate, kept])}
    monkeypatch.setenv("DELIBERATION_DB", db_path(db))
    with serving(routes()) as port:
        page = get(port, f"/board/{a}/issues/{numbers[duplicate]}").text
        board = get(port, f"/board/{a}").text
    assert f'已并入 <a href="/board/{a}/issues/{numbers[kept]}">#{numbers[kept]}</a> 一并办理' in page
    assert f"/board/{a}/issues/{numbers[duplicate]}\"" not in board      # the board lists the live one only
