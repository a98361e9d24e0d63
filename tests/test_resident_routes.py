"""The residents' light board and issue page (web/resident/board.py, issue.py) over real HTTP
(uvicorn on loopback, a real SQLite file): what a resident reads, per-compound issue numbers,
tampered ids, markup shown as text, gzip, ETag/304 from the write token, and the query plans
that keep the cost flat as the district grows."""
from __future__ import annotations

import gzip
import html
import re

import pytest

from deliberation.services import public as public_svc
from deliberation.services.escalation import answer_escalation
from deliberation.services.issues import reject_concern
from deliberation.services.meetings import approve_minutes, publish_minutes
from deliberation.services.publicity import publish_result
from deliberation.services.roster import add_category
from deliberation.store import one, rows
from deliberation.web.resident import routes
from tests.factories import (db_path, escalated_issue, held_meeting_with_quorum, issue_in_stage, make_issue,
                             version_of)
from tests.resident_http import get, serving

CHINESE = re.compile(r"[\u4e00-\u9fff]")
MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>"'


@pytest.fixture
def board(world, monkeypatch):
    monkeypatch.setenv("DELIBERATION_DB", db_path(world.db))
    with serving(routes()) as port:
        yield port


def number_of(db, issue_id: int) -> int:
    return one(db, "SELECT number FROM issues WHERE id = ?", [issue_id])["number"]


def visible(page: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|head)\b[^>]*>.*?</\1>", " ", page, flags=re.S)))


def test_the_board_shows_stages_issues_publicity_meetings_and_escalations(world, actors, board):
    db, a, sec = world.db, world.a, actors["secretary_a"]
    resolved = issue_in_stage(db, sec, a, "resolved", title="楼道灯不亮")
    publicizing = issue_in_stage(db, sec, a, "publicizing", title="垃圾分类点异味")
    escalated, escalation = escalated_issue(db, sec, a, title="小区外道路积水")
    answer_escalation(db, actors["officer"], escalation, "社区已联系市政排水所疏通")
    meeting = held_meeting_with_quorum(db, sec, a, {make_issue(db, sec, a, title="充电桩不足"): {
        "outcome": "settled", "public_summary": "会上商定加装8个充电桩"}})
    approve_minutes(db, sec, meeting)
    publish_minutes(db, sec, meeting, "本次会议议定充电桩加装方案")

    answer = get(board, f"/board/{a}")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/html")
    text = visible(answer.text)
    assert "甲花园居民公示栏" in text and "我要反映" in text and "查进度" in text
    for issue_id, title in ((resolved, "楼道灯不亮"), (publicizing, "垃圾分类点异味"), (escalated, "小区外道路积水")):
        assert f'href="/board/{a}/issues/{number_of(db, issue_id)}"' in answer.text
        assert title in text
    assert "还剩 " in text and "已整改完毕" in text                      # 公示 with days left and its summary
    assert "社区已联系市政排水所疏通" in text                            # the escalation's answer
    assert "本次会议议定充电桩加装方案" in text and "会上商定加装8个充电桩" in text and "会上解决" in text
    assert f'href="/board/{a}/report"' in answer.text and f'href="/board/{a}/track"' in answer.text
    # Stages at a glance: the counts agree with the service.
    counts = public_svc.public_stage_counts(db, a)
    shown = dict(re.findall(r'\?stage=(\w+)#issues" title="[^"]+"[^>]*><span class="n">(\d+)</span>', answer.text))
    assert {k: int(v) for k, v in shown.items() if int(v)} == counts


def test_other_compounds_issues_are_not_on_the_board(world, actors, board):
    db, a, b = world.db, world.a, world.compounds["B"]
    make_issue(db, actors["secretary_b"], b, title="乙花园的议题")
    make_issue(db, actors["secretary_a"], a, title="甲花园的议题")
    text = visible(get(board, f"/board/{a}").text)
    assert "甲花园的议题" in text and "乙花园的议题" not in text


def test_the_issue_list_is_paged_and_filtered_with_plain_links(world, actors, board):
    db, a, sec = world.db, world.a, actors["secretary_a"]
    for n in range(23):
        make_issue(db, sec, a, title=f"分页议题{n:02d}")
    closed = issue_in_stage(db, sec, a, "closed", title="已撤回的议题")
    first, second = get(board, f"/board/{a}").text, get(board, f"/board/{a}?page=2").text
    titles = lambda page: set(re.findall(r"分页议题\d\d|已撤回的议题", page))
    assert len(titles(first)) == 20 and len(titles(second)) == 4 and not titles(first) & titles(second)
    assert f'href="/board/{a}?page=2#issues"' in first and "第 1 / 2 页" in first
    only_closed = get(board, f"/board/{a}?stage=closed").text
    assert titles(only_closed) == {"已撤回的议题"} and "提出方撤回" in visible(only_closed)
    assert f"/issues/{number_of(db, closed)}" in only_closed
    # A made-up filter or page shows the board, not an error.
    assert get(board, f"/board/{a}?stage=<b>&page=-3").status == 200
    assert "这一页没有议题" in visible(get(board, f"/board/{a}?page=99").text)


def test_the_issue_page_opens_by_the_compounds_own_number(world, actors, board):
    db, a, b, sec = world.db, world.a, world.compounds["B"], actors["secretary_a"]
    for _ in range(3):
        make_issue(db, actors["secretary_b"], b, title="乙花园先有的议题")
    issue = issue_in_stage(db, sec, a, "publicizing", title="电梯异响")
    number = number_of(db, issue)
    assert number != issue                           # B's issues came first: ids and numbers differ
    answer = get(board, f"/board/{a}/issues/{number}")
    assert answer.status == 200
    text = visible(answer.text)
    assert f"#{number} 电梯异响" in text and "已整改完毕" in text and "公示监督" in text
    assert "办理经过" in text and "合力干事 → 公示监督" in text        # the public timeline
    assert "异议期还剩" in text
    # The same number under the other compound is that compound's issue (or none): never this one.
    other = get(board, f"/board/{b}/issues/{number}")
    assert "电梯异响" not in other.text


TAMPERED = ("abc", "-1", "0", "00", "1.5", "1e3", "99999999999999999999999", "9223372036854775808", "%EF%BC%91",
            "%D9%A1", "1%20", "%3Cscript%3E")


@pytest.mark.parametrize("bad", TAMPERED)
def test_tampered_ids_get_a_chinese_404(world, actors, board, bad):
    a = world.a
    number = number_of(world.db, make_issue(world.db, actors["secretary_a"], a))
    for path in (f"/board/{bad}", f"/board/{a}/issues/{bad}", f"/board/{bad}/issues/{number}"):
        answer = get(board, path)
        assert answer.status == 404, path
        assert "找不到" in answer.text and "Traceback" not in answer.text and 'lang="zh-CN"' in answer.text
        assert "<script>" not in answer.text


def test_unknown_compounds_numbers_and_addresses_get_a_chinese_404(world, actors, board):
    a = world.a
    number = number_of(world.db, make_issue(world.db, actors["secretary_a"], a))
    for path in ("/board/9999", f"/board/{a}/issues/{number + 1}", f"/board/{a}/issues", f"/board/{a}/nothing",
                 "/board/", "/board"):
        answer = get(board, path)
        assert answer.status == 404 and CHINESE.search(visible(answer.text)), path
        assert "no-store" in answer.headers["cache-control"]


def test_an_unexpected_failure_is_a_short_chinese_apology(world, board, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /srv/x.py line 3")
    monkeypatch.setattr(public_svc, "public_stage_counts", broken)
    answer = get(board, f"/board/{world.a}")
    assert answer.status == 500 and "抱歉" in answer.text
    assert "secret internals" not in answer.text and "Traceback" not in answer.text


def test_markup_in_every_public_text_field_is_shown_as_text(world, actors, board):
    db, a, sec = world.db, world.a, actors["secretary_a"]
    category = add_category(db, sec, a, "类别" + MARKUP)
    issue = make_issue(db, sec, a, title="标题" + MARKUP, category_id=category, building="楼栋" + MARKUP)
    meeting = held_meeting_with_quorum(db, sec, a, {issue: {"outcome": "actions", "public_summary": "决议" + MARKUP}})
    approve_minutes(db, sec, meeting)
    publish_minutes(db, sec, meeting, "会议" + MARKUP)
    publish_result(db, sec, issue, summary="结果" + MARKUP)
    escalated, escalation = escalated_issue(db, sec, a, title="上报" + MARKUP)
    answer_escalation(db, actors["officer"], escalation, "答复" + MARKUP)
    rejected = make_issue(db, sec, a, raised_by_kind="resident", title="居民反映")
    reject_concern(db, sec, rejected, version_of(db, rejected), "理由" + MARKUP)
    pages = [get(board, f"/board/{a}").text, get(board, f"/board/{a}?stage=closed").text]
    pages += [get(board, f"/board/{a}/issues/{number_of(db, i)}").text for i in (issue, escalated, rejected)]
    everything = "\n".join(pages)
    assert "<script>" not in everything and "<img src=x" not in everything
    text = visible(everything)
    for field in ("类别", "标题", "楼栋", "决议", "会议", "结果", "上报", "答复", "理由"):
        assert field + MARKUP in text, field              # shown, as the characters typed


def test_pages_are_gzipped_when_the_client_accepts_it(world, actors, board):
    make_issue(world.db, actors["secretary_a"], world.a, title="压缩测试")
    plain = get(board, f"/board/{world.a}")
    packed = get(board, f"/board/{world.a}", {"Accept-Encoding": "gzip, deflate, br"})
    assert "content-encoding" not in plain.headers and packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed.raw).decode() == plain.raw.decode()
    assert len(packed.raw) < len(plain.raw) / 2
    assert plain.headers["vary"] == packed.headers["vary"] == "Accept-Encoding"
    refused = get(board, f"/board/{world.a}", {"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_etag_from_the_compounds_token_answers_304_until_it_changes(world, actors, board):
    db, a, sec = world.db, world.a, actors["secretary_a"]
    issue = make_issue(db, sec, a, title="缓存测试")
    paths = (f"/board/{a}", f"/board/{a}/issues/{number_of(db, issue)}")
    for path in paths:
        first = get(board, path, {"Accept-Encoding": "gzip"})
        assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
        etag = first.headers["etag"]
        again = get(board, path, {"Accept-Encoding": "gzip", "If-None-Match": etag})
        assert (again.status, again.raw, again.headers["etag"]) == (304, b"", etag)
        # The plain representation has its own tag: a gzip body is never revalidated for a plain client.
        assert get(board, path, {"If-None-Match": etag}).status == 200
    tags = {path: get(board, path)for path in paths}
    make_issue(db, sec, a, title="又一个议题")                       # any write in the compound makes its pages new
    for path, before in tags.items():
        after = get(board, path, {"If-None-Match": before.headers["etag"]})
        assert after.status == 200 and after.headers["etag"] != before.headers["etag"]
    assert "又一个议题" in visible(get(board, paths[0]).text)
    # Another page of the board is another tag.
    assert get(board, f"/board/{a}?page=2").headers["etag"] != get(board, paths[0]).headers["etag"]


def test_a_change_in_another_compound_leaves_this_boards_pages_as_they_were(world, actors, board):
    """At district scale another compound changes every few seconds: this board's cached pages and
    the phones' copies (ETag) stay valid; a change here, or of the area, renews them."""
    db, a, b = world.db, world.a, world.compounds["B"]
    first = get(board, f"/board/{a}", {"Accept-Encoding": "gzip"})
    make_issue(db, actors["secretary_b"], b, title="乙花园的事")
    assert get(board, f"/board/{a}", {"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}).status == 304
    assert "乙花园的事" in visible(get(board, f"/board/{b}").text)
    make_issue(db, actors["secretary_a"], a, title="甲花园新的事")
    again = get(board, f"/board/{a}", {"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]})
    assert again.status == 200 and "甲花园新的事" in visible(again.text)


def test_the_pages_load_nothing_from_outside_and_run_no_script(world, actors, board):
    issue = make_issue(world.db, actors["secretary_a"], world.a)
    for path in (f"/board/{world.a}", f"/board/{world.a}/issues/{number_of(world.db, issue)}", "/board/x"):
        answer = get(board, path)
        assert "<script" not in answer.text and "http://" not in answer.text and "https://" not in answer.text
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        assert 'lang="zh-CN"' in answer.text and 'href="#main"' in answer.text


def test_the_board_queries_go_by_compound_through_an_index(world):
    """Flat cost at 1 or 1,000 compounds: every board query starts from compound_id (or the issue's
    id) through an index, never a scan of every compound's issues."""
    db = world.db
    by_number = "SELECT id FROM public_issues WHERE compound_id = 1 AND number = 3"
    plan = " ".join(r["detail"] for r in rows(db, "EXPLAIN QUERY PLAN " + by_number))
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    assert "SCAN i" not in plan and "SCAN issues" not in plan, plan
    page = """SELECT id FROM public_issues WHERE compound_id = 1 AND merged_into_id IS NULL
              ORDER BY updated_at DESC, id DESC LIMIT 20"""
    plan = " ".join(r["detail"] for r in rows(db, "EXPLAIN QUERY PLAN " + page))
    assert "SCAN i " not in plan + " " and "SCAN issues" not in plan, plan


def test_a_resident_first_on_a_new_database_file_gets_a_404_not_a_failure(tmp_path, monkeypatch):
    """The light pages may be the first to open the file (no staff page yet): it is migrated then."""
    monkeypatch.setenv("DELIBERATION_DB", str(tmp_path / "new.db"))
    with serving(routes()) as port:
        answer = get(port, "/board/1")
    assert answer.status == 404 and "找不到该小区" in answer.text
