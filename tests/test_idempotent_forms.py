"""Issue 13, item 6: a form is submitted once. raise_issue takes the form's key; whatever a
careless user or a resent run does with the same key, one issue exists (#157/#158 were one
double click). Real SQLite file, real threads on their own connections, the real page."""
from __future__ import annotations

import threading

import pytest

from deliberation.model.errors import DomainError
from deliberation.services.actors import load_actor
from deliberation.services.form_keys import STALE, new_form_key
from deliberation.services.issues import raise_issue
from deliberation.store import one, open_db
from tests.page_session import button, expand, open_page, texts, user_id

TITLE = "三栋电梯按钮失灵"


@pytest.fixture
def db(demo_env):
    return demo_env


def compound(db, name: str = "鸿翔花园") -> tuple[int, int]:
    found = one(db, "SELECT c.id AS compound_id, (SELECT id FROM categories WHERE compound_id = c.id AND "
                    "retired_at IS NULL ORDER BY id LIMIT 1) AS category_id FROM compounds c WHERE c.name = ?", [name])
    return found["compound_id"], found["category_id"]


def register(db, username: str, key, *, title: str = TITLE, name: str = "鸿翔花园") -> int:
    compound_id, category_id = compound(db, name)
    return raise_issue(db, load_actor(db, user_id(db, username)), compound_id, title=title,
                       category_id=category_id, raised_by_kind="resident", idempotency_key=key)


def count(db, title: str = TITLE) -> int:
    return one(db, "SELECT count(*) AS n FROM issues WHERE title = ?", [title])["n"]


def raised_events(db, issue_id: int) -> int:
    return one(db, "SELECT count(*) AS n FROM events WHERE issue_id = ? AND kind = 'raised'", [issue_id])["n"]


def test_the_same_key_twice_is_one_issue_and_one_event(db):
    key = new_form_key()
    first = register(db, "hx_secretary", key)
    again = register(db, "hx_secretary", key)
    assert again == first and count(db) == 1 and raised_events(db, first) == 1


def test_a_second_issue_with_a_new_key_is_registered(db):
    first = register(db, "hx_secretary", new_form_key())
    second = register(db, "hx_secretary", new_form_key())
    assert first != second and count(db) == 2


def test_a_refused_submission_does_not_use_up_its_key(db):
    key = new_form_key()
    with pytest.raises(DomainError, match="议题标题不能为空"):
        register(db, "hx_secretary", key, title="   ")
    issue_id = register(db, "hx_secretary", key)          # corrected and sent again with the same form
    assert count(db) == 1 and register(db, "hx_secretary", key) == issue_id


def test_without_a_key_nothing_changes_for_the_cli_and_imports(db):
    register(db, "hx_secretary", None)
    register(db, "hx_secretary", None)
    assert count(db) == 2


def database_file(db) -> str:
    return db.execute("PRAGMA database_list").fetchone()[2]


def submit(path, key, title, barrier, results, errors) -> None:
    """One tab's submission, on its own connection, released with the other's."""
    own = open_db(path)
    try:
        barrier.wait()
        results.append(register(own, "hx_secretary", key, title=title))
    except Exception as exc:        # noqa: BLE001  (asserted empty by the test, with the type shown)
        errors.append(exc)
    finally:
        own.close()


def test_two_tabs_sending_the_same_key_at_once_make_one_issue(db):
    """Two submissions on their own connections, released together, several rounds."""
    path = database_file(db)
    for round_ in range(5):
        key, title = new_form_key(), f"{TITLE}{round_}"
        barrier, results, errors = threading.Barrier(2), [], []
        threads = [threading.Thread(target=submit, args=(path, key, title, barrier, results, errors))
                   for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and len(results) == 2 and results[0] == results[1]
        assert count(db, title) == 1


@pytest.mark.parametrize("tampered", ["", "short", "x" * 65, "含中文的表单标识符号一二三四五六七", "abc def ghi jkl mno",
                                      "'; DROP TABLE issues; --aaaaaa", 12345678901234567890, ["a" * 20]])
def test_a_tampered_key_is_refused_in_chinese_and_creates_nothing(db, tampered):
    before = one(db, "SELECT count(*) AS n FROM issues")["n"]
    with pytest.raises(DomainError) as refused:
        register(db, "hx_secretary", tampered)
    assert str(refused.value) == STALE
    assert one(db, "SELECT count(*) AS n FROM issues")["n"] == before


def test_someone_elses_key_never_answers_with_their_issue(db):
    key = new_form_key()
    register(db, "hx_secretary", key)
    with pytest.raises(DomainError, match="表单已失效"):        # another person in the same compound
        register(db, "hx_recorder", key, title="别人的议题")
    with pytest.raises(DomainError, match="表单已失效"):        # the same key sent into another compound
        register(db, "yl_secretary", key, title="别处的议题", name="怡乐花园")
    assert count(db) == 1 and count(db, "别人的议题") == 0 and count(db, "别处的议题") == 0


# The page: the form's key, its clearing and a resent run.

def fill(db, at, title: str = TITLE):
    at.text_input(key="register_new_title").input(title)
    at.selectbox(key="register_new_category").set_value(compound(db)[1])
    at.radio(key="register_new_kind").set_value("resident")
    return at


def test_the_form_clears_and_gets_a_new_key_after_success(db):
    at = expand(open_page("register", user_id(db, "hx_secretary")), "register_new_open")
    key = at.session_state["register_form_key"]
    fill(db, at)
    button(at, "登记").click().run()
    assert not at.exception and count(db) == 1
    assert at.text_input(key="register_new_title").value == ""
    assert at.session_state["register_form_key"] != key


def test_a_run_resent_with_the_form_as_it_was_registers_nothing_new(db):
    """What a second click does when it reaches the server with the first click's form: the same
    key and the same fields again. The first issue is shown again, not a second one."""
    at = expand(open_page("register", user_id(db, "hx_secretary")), "register_new_open")
    key = at.session_state["register_form_key"]
    fill(db, at)
    button(at, "登记").click().run()
    first = one(db, "SELECT id, number FROM issues WHERE title = ?", [TITLE])
    at.session_state["register_form_key"] = key                 # the form as it was before the success
    at = expand(at.run(), "register_new_open")
    fill(db, at)
    button(at, "登记").click().run()
    assert not at.exception and count(db) == 1
    assert f"已登记议题 #{first['number']}:{TITLE}" in texts(at)


def test_a_reload_after_submitting_shows_one_issue_and_an_empty_form(db):
    uid = user_id(db, "hx_secretary")
    at = fill(db, expand(open_page("register", uid), "register_new_open"))
    button(at, "登记").click().run()
    reloaded = expand(open_page("register", uid), "register_new_open")      # a new browser session
    assert not reloaded.exception and count(db) == 1
    assert reloaded.text_input(key="register_new_title").value == ""
    assert reloaded.session_state["register_form_key"] != at.session_state["register_form_key"]
