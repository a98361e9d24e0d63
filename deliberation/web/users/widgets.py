"""Forms of the admin's user page: one form, one service call each."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...model.defaults import DEFAULT_SEATS
from ...services.accounts import create_account, reset_to_one_time_password
from ...services.users import PASSWORD_MAX, reset_password, set_user_scope, unlock_user
from ..common.context import PageContext, attempt
from ..common.flash import flash
from . import one_time

ROLES = ("secretary", "recorder", "seat_rep", "officer", "admin")
SEATS = dict(DEFAULT_SEATS)


def users_table(ctx: PageContext, users: list[dict], compounds: dict[int, str], areas: dict[int, str]) -> None:
    yes, no = ctx.t("users.yes"), ctx.t("users.no")
    st.dataframe(pd.DataFrame([{
        ctx.t("users.col.username"): u["username"], ctx.t("users.col.name"): u["display_name"],
        ctx.t("users.col.role"): ctx.t(f"users.role.{u['role']}"),
        ctx.t("users.col.compounds"): "、".join(compounds.get(int(c), c)
                                               for c in (u["compound_ids"] or "").split(",") if c),
        ctx.t("users.col.area"): areas.get(u["area_id"], ""),
        ctx.t("users.col.seat"): SEATS.get(u["seat_code"], u["seat_code"] or ""),
        ctx.t("users.col.active"): yes if u["active"] else no,
        ctx.t("users.col.locked"): u["locked_until"] or "",
        ctx.t("users.col.first_sign_in"): ctx.t("users.first_sign_in.pending") if u["must_change_password"] else "",
        ctx.t("users.col.demo"): yes if u["demo"] else "",
    } for u in users]), hide_index=True, width="stretch")


def scope_inputs(ctx: PageContext, prefix: str, compounds: dict[int, str], areas: dict[int, str],
                 current: dict | None = None) -> dict:
    """Role, compounds, area and seat; `prefix` keeps the keys of each form apart."""
    current = current or {}
    role = st.selectbox(ctx.t("users.role"), ROLES, key=f"{prefix}_role",
                        index=ROLES.index(current["role"]) if current.get("role") in ROLES else 0,
                        format_func=lambda r: ctx.t(f"users.role.{r}"))
    chosen = [int(c) for c in (current.get("compound_ids") or "").split(",") if c]
    compound_ids = st.multiselect(ctx.t("users.compounds"), list(compounds), default=chosen,
                                  format_func=compounds.get, key=f"{prefix}_compounds",
                                  placeholder=ctx.t("users.compounds.placeholder"))
    area_options = [None, *areas]
    area_id = st.selectbox(ctx.t("users.area"), area_options, key=f"{prefix}_area",
                           index=area_options.index(current.get("area_id")) if current.get("area_id") in areas else 0,
                           format_func=lambda a: areas[a] if a else ctx.t("users.area.none"))
    seat_options = [None, *SEATS]
    seat = current.get("seat_code")
    seat_code = st.selectbox(ctx.t("users.seat"), seat_options, key=f"{prefix}_seat",
                             index=seat_options.index(seat) if seat in SEATS else 0,
                             format_func=lambda s: SEATS[s] if s else ctx.t("users.seat.none"))
    return {"role": role, "compound_ids": compound_ids, "area_id": area_id, "seat_code": seat_code}


def new_user_form(ctx: PageContext, compounds: dict[int, str], areas: dict[int, str]) -> None:
    with st.form("users_new_form"):
        left, right = st.columns(2)
        username = left.text_input(ctx.t("users.username"), max_chars=64, key="users_new_username")
        name = right.text_input(ctx.t("users.name"), max_chars=60, key="users_new_name")
        scope = scope_inputs(ctx, "users_new", compounds, areas)
        st.caption(ctx.t("users.onetime.hint"))
        submitted = st.form_submit_button(ctx.t("users.create"), type="primary")
    if submitted:
        ok, account = attempt(ctx.lang, create_account, ctx.db, ctx.actor, username=username, display_name=name,
                              **scope)
        if ok:
            one_time.keep(ctx, username=account.username, display_name=name, role=scope["role"],
                          scope=one_time.scope_text(ctx, scope["compound_ids"], scope["area_id"], compounds, areas),
                          password=account.one_time_password)
            st.rerun()


def edit_user_forms(ctx: PageContext, user: dict, compounds: dict[int, str], areas: dict[int, str]) -> None:
    """Scope and activity of one account, then its password and lock. Keys carry the user id so
    switching accounts shows that account's values."""
    prefix = f"users_edit_{user['id']}"
    with st.form(f"{prefix}_form"):
        scope = scope_inputs(ctx, prefix, compounds, areas, user)
        active = st.checkbox(ctx.t("users.active"), value=bool(user["active"]), key=f"{prefix}_active")
        submitted = st.form_submit_button(ctx.t("users.save_scope"), type="primary")
    if submitted:
        ok, _ = attempt(ctx.lang, set_user_scope, ctx.db, ctx.actor, user["id"], active=active, **scope)
        if ok:
            flash("users", ctx.t("users.scope_saved", username=user["username"]))
            st.rerun()
    if user["locked_until"]:
        st.warning(ctx.t("users.locked", until=user["locked_until"]))
        if st.button(ctx.t("users.unlock"), key=f"{prefix}_unlock"):
            ok, _ = attempt(ctx.lang, unlock_user, ctx.db, ctx.actor, user["id"])
            if ok:
                flash("users", ctx.t("users.unlocked", username=user["username"]))
                st.rerun()
    st.caption(ctx.t("users.reset"))
    if st.button(ctx.t("users.reset.onetime"), key=f"{prefix}_reset_onetime", icon=":material/key:"):
        ok, password = attempt(ctx.lang, reset_to_one_time_password, ctx.db, ctx.actor, user["id"])
        if ok:
            chosen = [c for c in (user["compound_ids"] or "").split(",") if c]
            one_time.keep(ctx, username=user["username"], display_name=user["display_name"], role=user["role"],
                          scope=one_time.scope_text(ctx, chosen, user["area_id"], compounds, areas), password=password)
            st.rerun()
    with st.form(f"{prefix}_reset_form"):
        password = st.text_input(ctx.t("users.reset.new"), type="password", max_chars=PASSWORD_MAX,
                                 key=f"{prefix}_reset_password")
        submitted = st.form_submit_button(ctx.t("users.reset.submit"))
    if submitted:
        ok, _ = attempt(ctx.lang, reset_password, ctx.db, ctx.actor, user["id"], password)
        if ok:
            flash("users", ctx.t("users.reset.done", username=user["username"]))
            st.rerun()
