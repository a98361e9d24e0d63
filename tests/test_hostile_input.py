"""Hostile input (issue 10, item 9): a malformed id in any URL parameter gets "找不到…" and a way
back, never the generic error box; markup typed into a display name, a place, a category name or
the minutes is shown as text — no Markdown image or link, no autolinked bare URL, no plotly <a>."""
from __future__ import annotations

import json
import re

import pytest

from deliberation.exports import minutes_markdown
from deliberation.exports.views import AgendaLine, AttendanceLine, MinutesView
from deliberation.web.common.query import MAX_ID, parse_id
from deliberation.web.common.ui import plain, plain_strict
from tests.page_output import literal_texts, markdown_sources, open_page, user_id
from tests.xss_payloads import EVIL_HOST, HONGXIANG, MARKUP, seed_markup

MALFORMED = ("²", "-1", "99999999999999999999", "1e3", "", "abc", " 1", "1.0", "１", "0x1", "9223372036854775808")
GENERIC = "抱歉,系统出了点问题"


@pytest.mark.parametrize("raw", MALFORMED)
def test_a_malformed_id_parses_to_nothing(raw):
    assert parse_id(raw) is None


def test_a_well_formed_id_parses_within_sqlite_range():
    assert parse_id("12") == 12
    assert parse_id("007") == 7
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id("0") is None and parse_id(None) is None


def alerts(at) -> list[str]:
    return [e.value for e in list(at.error) + list(at.warning)]


def assert_not_found(at, what: str) -> None:
    assert not at.exception, at.exception
    shown = alerts(at)
    assert not [a for a in shown if GENERIC in a]
    assert any(f"找不到该{what}" in a for a in shown), shown


# (page, parameter, what the message names, username or None for the public board)
URL_PAGES = [("issue", "issue", "议题", "hx_secretary"), ("meetings", "meeting", "会议", "hx_secretary"),
             ("public", "compound", "小区", None), ("register", "compound", "小区", "hx_secretary"),
             ("meetings", "compound", "小区", "hx_secretary"), ("home", "compound", "小区", "hx_secretary"),
             ("tasks", "compound", "小区", "hx_property"), ("dashboard", "compound", "小区", "hx_secretary"),
             ("roster", "compound", "小区", "hx_secretary"), ("issue", "compound", "小区", "hx_secretary")]


@pytest.mark.parametrize("raw", ["²", "-1", "99999999999999999999", "1e3", "", "abc"])
@pytest.mark.parametrize("page,param,what,username", URL_PAGES,
                         ids=[f"{p}-{q}" for p, q, _, _ in URL_PAGES])
def test_a_malformed_id_in_the_url_says_not_found(demo_env, page, param, what, username, raw):
    user = user_id(demo_env, username) if username else None
    at = open_page(page, user=user, query={param: raw}, router=username is not None)
    assert_not_found(at, what)


def test_a_malformed_compound_on_the_rollup_says_not_found(demo_env):
    at = open_page("rollup", user=user_id(demo_env, "luohu_officer"), query={"compound": "²"}, router=True)
    assert_not_found(at, "小区")


def test_an_unknown_but_well_formed_issue_still_says_not_found_with_a_way_back(demo_env):
    at = open_page("issue", user=user_id(demo_env, "hx_secretary"), query={"issue": str(MAX_ID)}, router=True)
    assert_not_found(at, "议题")
    assert [link.label for link in at.get("page_link")] == ["去议题台账"]


def test_the_malformed_issue_message_links_back_to_the_register(demo_env):
    at = open_page("issue", user=user_id(demo_env, "hx_secretary"), query={"issue": "²"}, router=True)
    assert [link.label for link in at.get("page_link")] == ["返回议题台账"]


def test_the_message_is_english_on_an_english_page(demo_env):
    at = open_page("issue", user=user_id(demo_env, "hx_secretary"), query={"issue": "1e3", "lang": "en"},
                   router=True)
    assert [e.value for e in at.error] == ["Issue not found"]


# --- markup shown literally --------------------------------------------------------------

# A bare URL or e-mail that GFM would link: the trigger must be broken in every Markdown source.
_AUTOLINKABLE = re.compile(r"(?i)https?\\?:|www\\?\.|@\\?[a-z0-9]")
# An image, a link or a tag whose opening mark is not backslash-escaped.
_RAW_MARKUP = re.compile(r"(?<!\\)!(?<!\\)\[|(?<!\\)\]\(|(?<!\\)<[a-z/]", re.I)


@pytest.mark.parametrize("text", [MARKUP["meeting_place"], MARKUP["compound_place"], "见 HTTPS://x.cn 与 a@b.cn"])
def test_plain_and_plain_strict_break_every_autolink(text):
    for escaped in (plain(text), plain_strict(text)):
        assert not _AUTOLINKABLE.search(escaped)
        assert escaped.replace("\u2060", "").replace("\\", "") == text.replace("\\", "")


@pytest.fixture
def marked(demo_env, password_hash):
    return {"db": demo_env, **seed_markup(demo_env, "Test2026!pw")}


def assert_no_live_markup(at) -> None:
    assert not at.exception
    for source in markdown_sources(at):
        assert not _AUTOLINKABLE.search(source), source
        assert not _RAW_MARKUP.search(source), source


def test_the_sidebar_shows_an_image_in_the_display_name_as_text(marked):
    at = open_page("home", user=marked["user"], router=True)
    assert_no_live_markup(at)
    caption = next(c.value for c in at.sidebar.caption if "当前用户" in c.value)
    assert caption.startswith("当前用户:\\!\\[头像\\]")


def test_the_public_header_and_meeting_card_do_not_link_bare_urls(marked):
    at = open_page("public", query={"compound": HONGXIANG}, state={"public_tab": "议事会议"})
    assert_no_live_markup(at)
    text = "\n".join(markdown_sources(at)).replace("\u2060", "").replace("\\", "")
    assert MARKUP["compound_place"] in text and MARKUP["meeting_place"] in text


def test_the_meeting_console_shows_the_place_and_discussion_as_text(marked):
    at = open_page("meetings", user=user_id(marked["db"], "hx_secretary"), query={"meeting": marked["meeting"]},
                   router=True)
    assert_no_live_markup(at)


def test_the_dashboard_charts_escape_a_category_name(marked):
    at = open_page("dashboard", user=user_id(marked["db"], "hx_secretary"), router=True)
    assert not at.exception
    specs = json.dumps([json.loads(chart.proto.spec) for chart in at.get("plotly_chart")], ensure_ascii=False)
    assert "&lt;a href=\\\"http://evil.example/c\\\"&gt;停车&lt;b&gt;乱&lt;/b&gt;&lt;/a&gt;&lt;br&gt;x" in specs
    # (plotly's own hover templates hold <br>: only the name's tags must be absent)
    assert "<a href" not in specs and "<b>乱" not in specs and "</a><br>x" not in specs


def test_the_rollup_heat_map_escapes_a_category_name(marked):
    at = open_page("rollup", user=user_id(marked["db"], "luohu_officer"), router=True)
    assert not at.exception
    specs = json.dumps([json.loads(chart.proto.spec) for chart in at.get("plotly_chart")], ensure_ascii=False)
    assert "&lt;a href=" in specs and "<a href" not in specs and "<b>乱" not in specs


def test_the_register_table_shows_the_category_verbatim(marked):
    at = open_page("register", user=user_id(marked["db"], "hx_secretary"), router=True)
    assert not at.exception
    assert MARKUP["category"] in literal_texts(at)


# --- the Markdown minutes ------------------------------------------------------------------

def minutes(**given) -> MinutesView:
    line = AgendaLine(position=1, title=given.pop("title", "车棚漏雨"), discussion=given.pop("discussion", ""),
                      decision=given.pop("decision", ""), outcome="分工落实")
    return MinutesView(compound=given.pop("compound", "鸿翔花园"), number=3, starts_at="2024-03-09 19:00",
                       place=given.pop("place", "活动室"), chair="张书记", recorder="李记录",
                       attendance=[AttendanceLine(seat="物业", name="王经理", status="出席")], items=[line])


def test_the_markdown_minutes_escape_an_img_onerror_in_the_discussion():
    md = minutes_markdown(minutes(discussion=MARKUP["discussion"]))
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert f"http://{EVIL_HOST}" not in md                        # the bare URL is no autolink


@pytest.mark.parametrize("field", ["compound", "title", "discussion", "decision", "place"])
def test_no_user_text_reaches_the_markdown_minutes_as_markup(field):
    payload = "![x](http://evil.example/i.png) [y](javascript:alert(1)) <b>粗</b> **星** | 管道"
    md = minutes_markdown(minutes(**{field: payload}))
    assert "![x](" not in md and "[y](" not in md and "<b>" not in md and "**星**" not in md
    assert "\\!\\[x\\]" in md and "&lt;b&gt;粗&lt;/b&gt;" in md and "\\*\\*星\\*\\*" in md


def test_a_line_break_in_the_discussion_stays_inside_its_list_item():
    md = minutes_markdown(minutes(discussion="第一行\n# 不是标题\n- 不是列表"))
    assert "\n# 不是标题" not in md and "\n- 不是列表" not in md
    assert "第一行  \n  \\# 不是标题  \n  - 不是列表" in md
