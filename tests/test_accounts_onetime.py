"""Accounts that start safely (issue 12): a one-time password, shown once, works for one sign-in,
which must set a new password before anything else; passwords have a maximum length (checked
before any hashing); the CLI asks no question when there is no terminal."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import deliberation.services.users as users_service
from deliberation.exports.account_sheet import AccountSheetRow, account_sheet_pdf
from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.model.roles import Action
from deliberation.services.accounts import (ONE_TIME_ALPHABET, add_account, create_account,
                                            new_one_time_password, prepare_one_time_passwords,
                                            reset_to_one_time_password)
from deliberation.services.actors import SYSTEM, load_actor
from deliberation.services.permissions import MUST_CHANGE_PASSWORD, may
from deliberation.services.sessions import resume_session, start_session
from deliberation.services.stats import compound_stats
from deliberation.services.use_case import changing
from deliberation.services.users import (LOGIN_FAILED, PASSWORD_MAX, PASSWORD_TOO_LONG, authenticate,
                                         change_password, create_user, reset_password)
from deliberation.store import one, rows
from tests.document_text import pdf_text
from tests.page_output import open_page

REPO = Path(__file__).resolve().parents[1]
NEW_PASSWORD = "Mine2026pw"


def new_secretary(world, username: str = "a_new_secretary"):
    return create_account(world.db, world.actors["admin"], username=username, display_name="新书记",
                          role="secretary", compound_ids=[world.a])


def flag(db, user_id: int) -> int:
    return one(db, "SELECT must_change_password FROM users WHERE id = ?", [user_id])["must_change_password"]


# --- the one-time password ---------------------------------------------------------------------

def test_a_one_time_password_signs_in_once_and_must_then_be_replaced(world):
    db = world.db
    account = new_secretary(world)
    assert flag(db, account.user_id) == 1
    assert authenticate(db, account.username, account.one_time_password) == account.user_id
    me = load_actor(db, account.user_id)
    assert me.must_change_password

    change_password(db, me, account.one_time_password, NEW_PASSWORD)
    assert flag(db, account.user_id) == 0 and not load_actor(db, account.user_id).must_change_password
    with pytest.raises(DomainError) as caught:
        authenticate(db, account.username, account.one_time_password)
    assert caught.value.message == LOGIN_FAILED
    assert authenticate(db, account.username, NEW_PASSWORD) == account.user_id


def test_the_new_password_must_differ_from_the_one_time_password(world):
    account = new_secretary(world)
    me = load_actor(world.db, account.user_id)
    with pytest.raises(DomainError, match="不能与原密码相同"):
        change_password(world.db, me, account.one_time_password, account.one_time_password)
    assert flag(world.db, account.user_id) == 1


def test_an_account_on_its_one_time_password_may_do_nothing_but_change_it(world):
    db = world.db
    account = new_secretary(world)
    me = load_actor(db, account.user_id)
    assert not may(me, Action.READ_COMPOUND, world.a)
    with pytest.raises(PermissionDenied) as caught:
        compound_stats(db, me, world.a)
    assert caught.value.message == MUST_CHANGE_PASSWORD
    refusal = rows(db, "SELECT kind, actor_id FROM events WHERE kind = 'refused' ORDER BY id DESC LIMIT 1")
    assert refusal == [{"kind": "refused", "actor_id": account.user_id}]

    change_password(db, me, account.one_time_password, NEW_PASSWORD)
    me = load_actor(db, account.user_id)
    assert may(me, Action.READ_COMPOUND, world.a)
    assert isinstance(compound_stats(db, me, world.a), dict)


def test_one_time_passwords_are_readable_random_and_mix_letters_and_digits():
    words = [new_one_time_password() for _ in range(300)]
    assert len(set(words)) == len(words)
    for word in words:
        assert len(word) == 12 and set(word) <= set(ONE_TIME_ALPHABET)
        assert any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    assert not set("0o1il") & set("".join(words))


def test_the_event_of_a_new_account_holds_ids_only(world):
    account = new_secretary(world, "zhang_markup<b>")
    event = rows(world.db, "SELECT note, data FROM events WHERE kind = 'user_created' ORDER BY id DESC LIMIT 1")[0]
    assert event["note"] == "" and "zhang" not in event["data"] and account.one_time_password not in event["data"]
    assert json.loads(event["data"]) == {"user_id": account.user_id, "role": "secretary", "compound_ids": [world.a],
                                         "area_id": None, "one_time_password": True}
    stored = one(world.db, "SELECT password_hash FROM users WHERE id = ?", [account.user_id])["password_hash"]
    assert account.one_time_password not in stored and stored.startswith("$argon2id$")


def test_accounts_added_inside_a_change_that_fails_are_not_written(world):
    db, admin = world.db, world.actors["admin"]
    prepared = prepare_one_time_passwords(2)
    with pytest.raises(DomainError, match="请至少指定一个小区"):
        with changing(db, admin, Action.MANAGE_USERS) as change:
            add_account(change, username="first_ok", display_name="甲", role="recorder",
                        compound_ids=[world.a], password=prepared[0])
            add_account(change, username="second_bad", display_name="乙", role="recorder", password=prepared[1])
    assert one(db, "SELECT id FROM users WHERE username IN ('first_ok', 'second_bad')") is None


def test_a_taken_username_or_a_missing_scope_is_refused_in_chinese(world):
    with pytest.raises(DomainError, match="已被使用"):
        new_secretary(world, "secretary_a")
    with pytest.raises(DomainError, match="请至少指定一个小区"):
        create_account(world.db, world.actors["admin"], username="x1", display_name="某", role="secretary")
    with pytest.raises(PermissionDenied):
        create_account(world.db, world.actors["secretary_a"], username="x2", display_name="某", role="recorder",
                       compound_ids=[world.a])


def test_a_reset_to_a_one_time_password_signs_the_user_out_and_must_be_replaced(world):
    db, admin, me = world.db, world.actors["admin"], world.actors["recorder_a"]
    token = start_session(db, me.user_id)
    password = reset_to_one_time_password(db, admin, me.user_id)
    assert resume_session(db, token) is None
    with pytest.raises(DomainError):
        authenticate(db, "recorder_a", "Test2026!pw")
    assert authenticate(db, "recorder_a", password) == me.user_id
    assert load_actor(db, me.user_id).must_change_password
    with pytest.raises(DomainError, match="不能为自己重置"):
        reset_to_one_time_password(db, admin, admin.user_id)


def test_a_temporary_password_typed_by_the_admin_must_be_replaced_too(world):
    db, me = world.db, world.actors["recorder_a"]
    reset_password(db, world.actors["admin"], me.user_id, "Temp2026pw")
    assert load_actor(db, me.user_id).must_change_password


# --- the maximum length --------------------------------------------------------------------------

def test_a_password_longer_than_128_characters_is_refused_where_it_is_set(world):
    db, admin, me = world.db, world.actors["admin"], world.actors["recorder_a"]
    longest = "a1" * (PASSWORD_MAX // 2)
    with pytest.raises(DomainError) as caught:
        create_user(db, admin, "long_one", "长", "admin", password=longest + "x")
    assert caught.value.message == PASSWORD_TOO_LONG == "密码不能超过 128 个字符"
    with pytest.raises(DomainError, match="不能超过 128"):
        reset_password(db, admin, me.user_id, longest + "x")
    with pytest.raises(DomainError, match="不能超过 128"):
        change_password(db, me, "Test2026!pw", longest + "x")
    change_password(db, me, "Test2026!pw", longest)          # 128 is allowed
    assert authenticate(db, "recorder_a", longest) == me.user_id


def test_a_20_mb_password_is_refused_before_any_hashing(world, monkeypatch):
    class NoHashing:
        def __getattr__(self, name):
            raise AssertionError(f"a 20 MB password reached argon2 ({name})")
    monkeypatch.setattr(users_service, "HASHER", NoHashing())
    huge = "x1" * 10_000_000
    for attempt in (lambda: authenticate(world.db, "secretary_a", huge),
                    lambda: change_password(world.db, world.actors["secretary_a"], "Test2026!pw", huge),
                    lambda: change_password(world.db, world.actors["secretary_a"], huge, "Fine2026pw"),
                    lambda: reset_password(world.db, world.actors["admin"], world.actors["recorder_a"].user_id, huge)):
        with pytest.raises(DomainError) as caught:
            attempt()
        assert "128" in caught.value.message or caught.value.message == "原密码不正确"
    with pytest.raises(DomainError, match="用户名不能超过 64 个字符"):
        authenticate(world.db, "u" * 20_000_000, "Test2026!pw")


# --- the account sheet ---------------------------------------------------------------------------

def test_the_account_sheet_carries_what_the_new_user_needs():
    rows_ = [AccountSheetRow("张书记", "xinhua_sec", "支部书记", "新花园", "49ttmfvn3y4p", "https://yishi.example.cn/"),
             AccountSheetRow("李记录", "xinhua_rec", "记录员", "新花园", "pv5bbh7vsv9t", None),
             AccountSheetRow("王干部", "nw_officer", "社区/街道干部", "罗湖区/南湾街道", "abcd2345efgh", None)]
    pdf = account_sheet_pdf(rows_)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2          # two cards to an A4 page
    text = pdf_text(pdf)
    for row in rows_:
        for value in (row.display_name, row.username, row.role_label, row.one_time_password):
            assert value in text
    assert text.count("首次登录须修改密码") == 3
    assert "https://yishi.example.cn/" in text and text.count("请向管理员询问") == 2


# --- pages: the first sign-in and the admin's user page -----------------------------------------

def test_every_page_shows_only_the_change_form_until_the_password_is_set(demo_env):
    admin = load_actor(demo_env, create_user(demo_env, SYSTEM, "c_admin", "管理员", "admin", password="Admin2026pw"))
    account = create_account(demo_env, admin, username="hx_new_secretary", display_name="新书记",
                             role="secretary", compound_ids=[1])
    for name, router in (("users", False), ("register", True), ("meetings", True), ("account", True),
                         ("home", True)):
        at = open_page(name, user=account.user_id, router=router)
        assert not at.exception
        assert [t.value for t in at.title] == ["请设置新密码"]
        assert not at.dataframe and not at.metric
    at.text_input(key="first_old").input(account.one_time_password)
    at.text_input(key="first_new").input(NEW_PASSWORD)
    at.text_input(key="first_repeat").input(NEW_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not [e for e in at.error if "密码" in e.value]
    # The change ended the session, as every change does: the sign-in form, with the new password.
    assert "user_id" not in at.session_state and [t.value for t in at.title] != ["请设置新密码"]
    assert [i.value for i in at.info] == ["新密码已设置,请牢记。请用新密码登录。"]
    assert flag(demo_env, account.user_id) == 0
    assert authenticate(demo_env, "hx_new_secretary", NEW_PASSWORD) == account.user_id


def test_a_wrong_one_time_password_on_the_change_form_changes_nothing(demo_env):
    admin = load_actor(demo_env, create_user(demo_env, SYSTEM, "c_admin", "管理员", "admin", password="Admin2026pw"))
    account = create_account(demo_env, admin, username="hx_new_recorder", display_name="新记录员",
                             role="recorder", compound_ids=[1])
    at = open_page("home", user=account.user_id, router=True)
    at.text_input(key="first_old").input("wrong-2026x")
    at.text_input(key="first_new").input(NEW_PASSWORD)
    at.text_input(key="first_repeat").input(NEW_PASSWORD)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["原密码不正确"]
    assert [t.value for t in at.title] == ["请设置新密码"] and flag(demo_env, account.user_id) == 1


def test_the_user_page_shows_a_new_one_time_password_once_with_its_sheet(demo_env):
    from tests.page_output import user_id
    at = open_page("users", user=user_id(demo_env, "admin"), state={"users_tab": "新建账号"})
    at.text_input(key="users_new_username").input("hx_recorder3")
    at.text_input(key="users_new_name").input("<b>赵</b>")
    at.selectbox(key="users_new_role").select("recorder")
    at.multiselect(key="users_new_compounds").select(1)
    at.button[0].click().run()
    assert not at.exception and not at.error
    password = at.code[0].value
    assert at.text_input(key="users_new_username").value == ""       # the next account starts blank
    assert authenticate(demo_env, "hx_recorder3", password) == user_id(demo_env, "hx_recorder3")
    assert any(b.proto.label == "下载账号通知单(PDF)" for b in at.get("download_button"))
    at.button(key="users_one_time_done").click().run()
    assert not at.code and password not in str(at._tree)


# --- the command line ----------------------------------------------------------------------------

def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "deliberation", *args, "--db", str(db)], cwd=REPO, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def test_create_user_without_a_terminal_fails_in_chinese_and_creates_nothing(tmp_path):
    db = tmp_path / "cli.db"
    result = cli("create-user", "first_admin", "--role", "admin", db=db)
    assert result.returncode != 0
    assert "没有可输入密码的终端" in result.stderr and "--generate-password" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout and "EOFError" not in result.stderr
    assert not db.exists()                                   # refused before the database was touched


def test_create_user_generates_a_one_time_password_printed_once(tmp_path):
    db = tmp_path / "cli.db"
    result = cli("create-user", "first_admin", "--role", "admin", "--name", "管理员", "--generate-password", db=db)
    assert result.returncode == 0, result.stderr
    password = result.stdout.split("一次性密码:")[1].strip()
    assert len(password) == 12
    assert (result.stdout + result.stderr).count(password) == 1
    assert "首次登录须修改密码" in result.stderr
    from deliberation.store import open_db
    opened = open_db(db)
    user_id = authenticate(opened, "first_admin", password)
    assert load_actor(opened, user_id).must_change_password


def test_create_user_refuses_both_a_password_and_a_generated_one(tmp_path):
    result = cli("create-user", "x", "--role", "admin", "--password", "Abc2026pw", "--generate-password",
                 db=tmp_path / "cli.db")
    assert result.returncode != 0 and "只能选一个" in result.stderr and "Traceback" not in result.stderr
