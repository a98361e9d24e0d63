"""Accounts that hold: lockout after five failures (for unknown names too, with one message), idle
sign-out, sign-out, password change, the admin's user page and the audit page."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.audit import AuditFilter, audit_events
from deliberation.services.actors import load_actor
from deliberation.services.meetings import schedule_meeting
from deliberation.services.users import (LOGIN_FAILED, authenticate, change_password, list_users, reset_password,
                                         set_user_scope, unlock_user)
from deliberation.store import one, rows
from tests.page_output import markdown_sources, open_page, user_id

PASSWORD = "Test2026!pw"
T0 = datetime(2026, 3, 10, 9, 0)


def refused(db, username: str, password: str, at: datetime) -> str:
    with pytest.raises(DomainError) as caught:
        authenticate(db, username, password, at=at)
    return caught.value.message


def test_a_right_password_signs_in(world):
    assert authenticate(world.db, "secretary_a", PASSWORD, at=T0) == world.actors["secretary_a"].user_id


def test_five_failures_lock_the_account_for_fifteen_minutes(world):
    db = world.db
    for n in range(5):
        assert refused(db, "secretary_a", "wrong-pass1", T0 + timedelta(seconds=n)) == LOGIN_FAILED
    assert refused(db, "secretary_a", PASSWORD, T0 + timedelta(minutes=14)) == LOGIN_FAILED
    assert authenticate(db, "secretary_a", PASSWORD, at=T0 + timedelta(minutes=15, seconds=5)) == \
        world.actors["secretary_a"].user_id


def test_an_unknown_username_fails_and_locks_with_the_same_message(world):
    db = world.db
    messages = {refused(db, "nobody", "wrong-pass1", T0 + timedelta(seconds=n)) for n in range(6)}
    messages |= {refused(db, "secretary_a", "wrong-pass1", T0 + timedelta(seconds=n)) for n in range(6)}
    assert messages == {LOGIN_FAILED}
    locks = {r["username"]: r["locked_until"] for r in rows(db, "SELECT username, locked_until FROM login_failures")}
    assert locks == {"nobody": "2026-03-10 09:15:04", "secretary_a": "2026-03-10 09:15:04"}


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(world):
    db = world.db
    for n in range(8):
        refused(db, "secretary_a", "wrong-pass1", T0 + timedelta(minutes=16 * n))
    assert authenticate(db, "secretary_a", PASSWORD, at=T0 + timedelta(minutes=16 * 8)) is not None


def test_a_success_clears_the_failure_count(world):
    db = world.db
    for n in range(4):
        refused(db, "secretary_a", "wrong-pass1", T0 + timedelta(seconds=n))
    authenticate(db, "secretary_a", PASSWORD, at=T0 + timedelta(seconds=5))
    assert one(db, "SELECT count(*) AS n FROM login_failures") == {"n": 0}


def test_failed_sign_ins_are_in_the_audit_trail_for_known_and_unknown_names(world):
    db = world.db
    refused(db, "secretary_a", "wrong-pass1", T0)
    refused(db, "nobody", "wrong-pass1", T0)
    trail = audit_events(db, world.actors["admin"], AuditFilter(kinds=("login_failed",))).rows
    assert [(e["actor_label"], e["note"]) for e in trail] == [("未知用户名「nobody」", "登录失败"),
                                                              ("测试secretary_a", "登录失败")]


def test_a_deactivated_account_cannot_sign_in(world):
    db, admin = world.db, world.actors["admin"]
    target = world.actors["recorder_a"].user_id
    set_user_scope(db, admin, target, role="recorder", compound_ids=[world.a], active=False)
    assert refused(db, "recorder_a", PASSWORD, T0) == LOGIN_FAILED


def test_changing_the_password_needs_the_old_one_and_a_strong_new_one(world):
    db, me = world.db, world.actors["recorder_a"]
    with pytest.raises(DomainError, match="原密码不正确"):
        change_password(db, me, "not-it-1", "NewPass2026")
    with pytest.raises(DomainError, match="至少 8 位"):
        change_password(db, me, PASSWORD, "short1")
    change_password(db, me, PASSWORD, "NewPass2026")
    assert authenticate(db, "recorder_a", "NewPass2026") == me.user_id
    assert refused(db, "recorder_a", PASSWORD, datetime.now()) == LOGIN_FAILED


def test_guessing_the_old_password_on_an_open_session_locks_the_account(world):
    db, me = world.db, world.actors["recorder_a"]
    for _ in range(5):
        with pytest.raises(DomainError, match="原密码不正确"):
            change_password(db, me, "guess-123", "NewPass2026")
    with pytest.raises(DomainError, match="暂时锁定"):
        change_password(db, me, PASSWORD, "NewPass2026")


def test_an_admin_resets_a_password_and_lifts_the_lock(world):
    db, admin = world.db, world.actors["admin"]
    for n in range(5):
        refused(db, "recorder_a", "wrong-pass1", datetime.now() + timedelta(seconds=n))
    assert [u["locked_until"] is not None for u in list_users(db, admin) if u["username"] == "recorder_a"] == [True]
    reset_password(db, admin, world.actors["recorder_a"].user_id, "Temp2026pw")
    assert authenticate(db, "recorder_a", "Temp2026pw") == world.actors["recorder_a"].user_id


def test_an_admin_unlocks_an_account(world):
    db, admin = world.db, world.actors["admin"]
    for n in range(5):
        refused(db, "recorder_a", "wrong-pass1", datetime.now() + timedelta(seconds=n))
    unlock_user(db, admin, world.actors["recorder_a"].user_id)
    assert authenticate(db, "recorder_a", PASSWORD) == world.actors["recorder_a"].user_id


def test_only_an_admin_manages_users(world):
    db = world.db
    for name in ("secretary_a", "officer", "recorder_a", "seat_rep_owners_a"):
        with pytest.raises(PermissionDenied):
            list_users(db, world.actors[name])
        with pytest.raises(PermissionDenied):
            set_user_scope(db, world.actors[name], world.actors[name].user_id, role="admin", compound_ids=[])


def test_an_admin_cannot_lock_themself_out(world):
    admin = world.actors["admin"]
    with pytest.raises(DomainError, match="不能停用自己的账号"):
        set_user_scope(world.db, admin, admin.user_id, role="admin", compound_ids=[], active=False)


def test_a_changed_scope_applies_to_the_next_page_load(world):
    db = world.db
    target = world.actors["secretary_a"].user_id
    set_user_scope(db, world.actors["admin"], target, role="secretary", compound_ids=[world.compounds["B"]])
    assert load_actor(db, target).compound_ids == {world.compounds["B"]}


def test_a_secretary_audits_only_their_compounds(world):
    db = world.db
    secretary_b = world.actors["secretary_b"]
    with pytest.raises(PermissionDenied):
        audit_events(db, world.actors["secretary_a"], AuditFilter(compound_id=world.compounds["B"]))
    seen = audit_events(db, world.actors["secretary_a"], AuditFilter(), page_size=500).rows
    assert {e["compound_id"] for e in seen} <= {world.a}
    # The attempt on 乙花园 is 乙花园's business: its secretary sees it, the one who tried does not.
    refusal = audit_events(db, secretary_b, AuditFilter(refusals_only=True)).rows
    assert [e["note"] for e in refusal] == [f"支部书记「{world.actors['secretary_a'].label}」无权查看审计日志"]
    assert audit_events(db, world.actors["secretary_a"], AuditFilter(refusals_only=True)).rows == []


def test_residents_and_other_roles_cannot_read_the_audit_trail(world):
    for name in ("resident", "officer", "recorder_a", "seat_rep_owners_a"):
        with pytest.raises(PermissionDenied):
            audit_events(world.db, world.actors[name])


# --- the pages ---------------------------------------------------------------------------



@pytest.mark.parametrize("username", ["admin", "songyuan_officer", "hx_secretary", "hx_recorder", "hx_property"])
def test_every_signed_in_role_sees_their_account_page(demo_env, username):
    at = open_page("account", user=user_id(demo_env, username))
    assert not at.exception
    assert at.title[0].value == "我的账号"
    assert any("修改密码" in s for s in markdown_sources(at))


def test_the_account_page_changes_the_password(demo_env):
    me = user_id(demo_env, "hx_recorder")
    at = open_page("account", user=me)
    at.text_input(key="account_old_password").input("Demo2026!")
    at.text_input(key="account_new_password").input("Fresh2026pw")
    at.text_input(key="account_repeat_password").input("Fresh2026pw")
    at.button[0].click().run()
    assert not at.exception
    # The change ended every session of the account, this one too: sign in again with the new one.
    assert "user_id" not in at.session_state
    assert [i.value for i in at.info] == ["密码已修改,所有已登录的浏览器都已退出。请用新密码重新登录。"]
    assert authenticate(demo_env, "hx_recorder", "Fresh2026pw") == me


def test_a_wrong_old_password_on_the_account_page_keeps_what_was_typed(demo_env):
    at = open_page("account", user=user_id(demo_env, "hx_recorder"))
    at.text_input(key="account_old_password").input("not-it-2026")
    at.text_input(key="account_new_password").input("Fresh2026pw")
    at.text_input(key="account_repeat_password").input("Fresh2026pw")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["原密码不正确"]
    assert at.text_input(key="account_new_password").value == "Fresh2026pw"


def test_a_session_idle_for_thirty_minutes_is_signed_out(demo_env):
    at = open_page("account", user=user_id(demo_env, "hx_secretary"), idle_seconds=31 * 60)
    assert [w.value for w in at.warning] == ["请先登录。"]
    assert "user_id" not in at.session_state
    assert [i.value for i in at.info] == ["长时间未操作,已自动退出,请重新登录。"]


def test_a_session_used_within_thirty_minutes_stays_signed_in(demo_env):
    at = open_page("account", user=user_id(demo_env, "hx_secretary"), idle_seconds=29 * 60)
    assert at.title[0].value == "我的账号"
    assert time.time() - at.session_state["last_seen"] < 60


def test_the_admin_sees_every_account_on_the_user_page(demo_env):
    at = open_page("users", user=user_id(demo_env, "admin"))
    assert not at.exception
    table = at.dataframe[0].value
    assert {"hx_secretary", "yl_secretary", "nanwan_officer"} <= set(table["用户名"])


def test_the_admin_creates_an_account_on_the_user_page(demo_env):
    at = open_page("users", user=user_id(demo_env, "admin"), state={"users_tab": "新建账号"})
    at.text_input(key="users_new_username").input("hx_recorder2")
    at.text_input(key="users_new_name").input("王小红(鸿翔花园记录员)")
    at.selectbox(key="users_new_role").select("recorder")
    at.multiselect(key="users_new_compounds").select(1)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["账号 hx\\_recorder2 的一次性密码(只显示这一次):"]
    one_time = at.code[0].value                   # shown once; the account must change it at first sign-in
    assert authenticate(demo_env, "hx_recorder2", one_time) == user_id(demo_env, "hx_recorder2")


def test_a_refused_new_account_keeps_what_the_admin_typed(demo_env):
    at = open_page("users", user=user_id(demo_env, "admin"), state={"users_tab": "新建账号"})
    at.text_input(key="users_new_username").input("hx_recorder2")
    at.text_input(key="users_new_name").input("王小红")
    at.selectbox(key="users_new_role").select("recorder")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["请至少指定一个小区"]
    assert at.text_input(key="users_new_username").value == "hx_recorder2"


@pytest.mark.parametrize("username", ["hx_secretary", "songyuan_officer", "hx_recorder", "hx_property"])
def test_only_the_admin_opens_the_user_page(demo_env, username):
    at = open_page("users", user=user_id(demo_env, username))
    assert [e.value for e in at.error] == ["您的角色不能查看此页面。"]
    assert not at.dataframe


def test_the_admin_audit_page_lists_failed_sign_ins(demo_env):
    with pytest.raises(DomainError):
        authenticate(demo_env, "ghost", "wrong-2026")
    at = open_page("audit", user=user_id(demo_env, "admin"))
    assert not at.exception
    table = at.dataframe[0].value
    assert table.iloc[0]["类型"] == "登录失败" and table.iloc[0]["操作人"] == "未知用户名「ghost」"


def test_the_secretary_audit_page_shows_their_compound_and_their_refusals(demo_env):
    secretary = user_id(demo_env, "hx_secretary")
    with pytest.raises(PermissionDenied):         # the property manager's rep tries to schedule a meeting
        schedule_meeting(demo_env, load_actor(demo_env, user_id(demo_env, "hx_property")), 1)
    with pytest.raises(PermissionDenied):         # and in 怡乐花园, which the secretary does not see
        schedule_meeting(demo_env, load_actor(demo_env, user_id(demo_env, "yl_property")), 2)
    at = open_page("audit", user=secretary, state={"audit_refusals": True})
    at.button[0].click().run()
    table = at.dataframe[0].value
    assert list(table["类型"]) == ["被拒绝的操作"]
    at = open_page("audit", user=secretary)
    assert set(at.dataframe[0].value["小区"]) == {"鸿翔花园"}


@pytest.mark.parametrize("username", ["songyuan_officer", "hx_recorder", "hx_property"])
def test_other_roles_cannot_open_the_audit_page(demo_env, username):
    at = open_page("audit", user=user_id(demo_env, username))
    assert [e.value for e in at.error] == ["您的角色不能查看此页面。"]
