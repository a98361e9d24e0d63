"""Issue 13, item 6: an issue is opened by clicking its title: in the register's grid (a link
column), on the 工作台, and from 议题详情 opened from the menu (a finder, not a dead end)."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

import pytest

from deliberation.services.actors import load_actor
from deliberation.services.issues import raise_issue
from deliberation.store import one, rows
from tests.page_session import open_page, texts, user_id

DISPLAY = re.compile(r"^[^#]*#(.*)$")           # what the grid shows of a link cell (TITLE_IN_LINK)


@pytest.fixture
def db(demo_env):
    return demo_env


def hx_category(db) -> tuple[int, int]:
    found = one(db, "SELECT compound_id, id FROM categories WHERE retired_at IS NULL AND compound_id = "
                    "(SELECT id FROM compounds WHERE name = '鸿翔花园') ORDER BY id LIMIT 1")
    return found["compound_id"], found["id"]


def register_links(at) -> list[str]:
    return list(at.dataframe[0].value["议题"] if "议题" in at.dataframe[0].value else at.dataframe[0].value["Issue"])


def issue_of_link(db, cell: str) -> dict:
    """The issue a link cell opens, read the way the browser resolves it: a relative address."""
    address = cell.partition("#")[0]
    assert address.startswith("issue?")                  # relative: never javascript:, never another host
    query = parse_qs(address.partition("?")[2])
    return {"issue": one(db, "SELECT id, number, title FROM issues WHERE id = ?", [int(query["issue"][0])]),
            "shown": DISPLAY.match(cell).group(1), "lang": query.get("lang", ["zh"])[0]}


def test_every_title_in_the_register_links_to_its_own_issue(db):
    at = open_page("register", user_id(db, "hx_secretary"))
    assert not at.exception
    cells = register_links(at)
    assert len(cells) == one(db, "SELECT count(*) AS n FROM issues i JOIN compounds c ON c.id = i.compound_id "
                                 "WHERE c.name = '鸿翔花园' AND i.merged_into_id IS NULL")["n"]
    for cell in cells:
        found = issue_of_link(db, cell)
        assert found["shown"].replace(" 〔示例〕", "") == found["issue"]["title"]
        assert found["lang"] == "zh"
    # The link column is the title column, shown by the regex that takes what follows the "#".
    config = json.loads(at.dataframe[0].proto.columns)["议题"]
    assert config["type_config"] == {"type": "link", "display_text": "^[^#]*#(.*)$"}


def test_in_english_the_links_keep_english(db):
    at = open_page("register", user_id(db, "hx_secretary"), lang="en")
    assert not at.exception
    cells = register_links(at)
    assert cells and all(issue_of_link(db, cell)["lang"] == "en" for cell in cells)


def test_a_hostile_title_stays_text_and_the_link_still_opens_its_issue(db):
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    compound_id, category_id = hx_category(db)
    evil = "javascript:alert(1)#x [点我](https://evil.example) \n第二行"
    issue_id = raise_issue(db, secretary, compound_id, title=evil, category_id=category_id, raised_by_kind="resident")
    at = open_page("register", user_id(db, "hx_secretary"))
    cell = next(c for c in register_links(at) if issue_of_link(db, c)["issue"]["id"] == issue_id)
    found = issue_of_link(db, cell)
    assert found["shown"] == "javascript:alert(1)#x [点我](https://evil.example) 第二行"   # one line, all of it
    assert cell.startswith(f"issue?issue={issue_id}#")


def page_links(at) -> list[tuple[str, dict]]:
    return [(link.proto.label, parse_qs(link.proto.query_string)) for link in at.get("page_link")]


def test_the_workbench_lists_issues_as_links_to_them(db):
    secretary = load_actor(db, user_id(db, "hx_secretary"))
    compound_id, category_id = hx_category(db)
    new_id = raise_issue(db, secretary, compound_id, title="楼道灯不亮", category_id=category_id,
                         raised_by_kind="resident")
    at = open_page("home", user_id(db, "hx_secretary"))
    assert not at.exception
    to_issues = [(label, query) for label, query in page_links(at) if "issue" in query]
    assert new_id in [int(query["issue"][0]) for _, query in to_issues]       # waiting for the agenda
    for label, query in to_issues:
        number = int(re.match(r"\\?#(\d+) ", label).group(1))     # "#" escaped for Markdown
        issue = one(db, "SELECT number, compound_id FROM issues WHERE id = ?", [int(query["issue"][0])])
        assert issue["number"] == number            # the number shown is the compound's number of that issue


def test_the_issue_page_from_the_menu_finds_an_issue_by_number_or_words(db):
    uid = user_id(db, "hx_secretary")
    at = open_page("issue", uid)
    assert not at.exception
    newest = rows(db, "SELECT i.id FROM issues i JOIN compounds c ON c.id = i.compound_id WHERE c.name = '鸿翔花园' "
                      "AND i.merged_into_id IS NULL ORDER BY i.raised_on DESC, i.id DESC LIMIT 20")
    assert f"最近的 {len(newest)} 个议题" in texts(at)
    assert [int(q["issue"][0]) for _, q in page_links(at) if "issue" in q] == [r["id"] for r in newest]
    target = one(db, "SELECT i.id, i.number, i.title FROM issues i JOIN compounds c ON c.id = i.compound_id "
                     "WHERE c.name = '鸿翔花园' AND i.title LIKE '%车位不足%' LIMIT 1")
    at.text_input(key="issue_find_text").input(f"#{target['number']}").run()
    assert not at.exception
    found = [(label, q) for label, q in page_links(at) if "issue" in q]
    shown = [(label.replace("\\", "").replace(" 〔示例〕", ""), q) for label, q in found]   # Markdown escapes off
    assert f"#{target['number']} {target['title']}" in [label for label, _ in shown]
    assert [int(q["issue"][0]) for label, q in shown if label.startswith(f"#{target['number']} ")] == [target["id"]]
    at.text_input(key="issue_find_text").input("车位不足").run()
    assert target["id"] in [int(q["issue"][0]) for _, q in page_links(at) if "issue" in q]
    at.text_input(key="issue_find_text").input("没有这样的议题xyz").run()
    assert not at.exception and "没有找到相符的议题。" in texts(at)


def test_the_finder_lists_only_the_compounds_own_issues(db):
    at = open_page("issue", user_id(db, "yl_secretary"))
    ids = [int(q["issue"][0]) for _, q in page_links(at) if "issue" in q]
    compounds = {r["name"] for r in rows(db, f"SELECT DISTINCT c.name FROM issues i JOIN compounds c ON "
                                             f"c.id = i.compound_id WHERE i.id IN ({','.join('?' * len(ids))})", ids)}
    assert compounds == {"怡乐花园"}

