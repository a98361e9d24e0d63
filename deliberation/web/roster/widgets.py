"""协商成员 panels: seats and their members, the standing rules, the category list.
Each form is one service call; `manage` is False for a recorder, who only reads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...model.defaults import DEFAULT_STAGE_DAYS
from ...model.schedule import ORDINALS, ScheduleRule
from ...services.clock import today
from ...services.compounds import update_compound_rules
from ...services.roster import (add_category, add_member, add_seat, end_membership, list_categories, list_members,
                               list_seats, rename_seat, retire_category, retire_seat, set_category_stage_days)
from ..common.context import attempt
from ..common.flash import flash
from ..common.ui import stage_label


def _done(ctx, key: str) -> None:
    flash("roster", ctx.t(key))
    st.rerun()


def _submit(ctx, label_key: str, icon: str = ":material/save:") -> bool:
    return st.form_submit_button(ctx.t(label_key), icon=icon)


def render_seats_and_members(ctx, manage: bool) -> None:
    seats = list_seats(ctx.db, ctx.compound_id, include_retired=True)
    members = list_members(ctx.db, ctx.actor, ctx.compound_id)
    live = [s for s in seats if not s["retired_at"]]
    st.subheader(ctx.t("roster.seats.title"))
    st.dataframe(pd.DataFrame([{
        ctx.t("roster.col.seat"): s["name"],
        ctx.t("roster.col.required"): ctx.t("roster.yes") if s["quorum_required"] else "",
        ctx.t("roster.col.members"): sum(1 for m in members if m["seat_id"] == s["id"]),
        ctx.t("roster.col.state"): ctx.t("roster.retired") if s["retired_at"] else ctx.t("roster.active"),
    } for s in seats]), hide_index=True, key="roster_seats_table")
    if manage:
        # Tracked (key + rerun) so it stays open after the rerun of its own forms: an untracked
        # expander is re-created closed when the flash above shifts the page (seen on a loaded machine).
        with st.expander(ctx.t("roster.seats.manage"), icon=":material/edit:", key="roster_seats_manage",
                         on_change="rerun"):
            new_col, rename_col, retire_col = st.columns(3, gap="medium")
            with new_col:
                _new_seat_form(ctx)
            with rename_col:
                _rename_seat_form(ctx, live)
            with retire_col:
                _retire_seat_form(ctx, [s for s in live if s["code"] != "party"])
    st.subheader(ctx.t("roster.members.title"))
    st.dataframe(pd.DataFrame([{
        ctx.t("roster.col.seat"): m["seat_name"], ctx.t("roster.col.name"): m["name"],
        ctx.t("roster.col.title"): m["title"], ctx.t("roster.col.phone"): m["phone"],
        ctx.t("roster.col.from"): m["active_from"], ctx.t("roster.col.to"): m["active_to"] or "",
    } for m in members]), hide_index=True, key="roster_members_table")
    if manage:
        add_col, end_col = st.columns(2, gap="medium")
        with add_col.expander(ctx.t("roster.members.add"), icon=":material/person_add:",
                              key="roster_members_add", on_change="rerun"):
            _add_member_form(ctx, live)
        with end_col.expander(ctx.t("roster.members.end"), icon=":material/person_remove:",
                              key="roster_members_end", on_change="rerun"):
            _end_member_form(ctx, members)


def _add_member_form(ctx, seats: list[dict]) -> None:
    names = {s["id"]: s["name"] for s in seats}
    with st.form("roster_add_member_form", border=False):
        left, right = st.columns(2)
        seat = left.selectbox(ctx.t("roster.col.seat"), list(names), format_func=names.get,
                              key="roster_add_member_seat")
        name = right.text_input(ctx.t("roster.col.name"), max_chars=40, key="roster_add_member_name")
        title = left.text_input(ctx.t("roster.col.title"), max_chars=60, key="roster_add_member_title")
        phone = right.text_input(ctx.t("roster.col.phone"), max_chars=20, key="roster_add_member_phone")
        since = left.date_input(ctx.t("roster.col.from"), value=today(), key="roster_add_member_from")
        if _submit(ctx, "roster.members.add", ":material/person_add:"):
            ok, _ = attempt(ctx.lang, add_member, ctx.db, ctx.actor, ctx.compound_id, seat, name, title=title,
                            phone=phone, active_from=since)
            if ok:
                _done(ctx, "roster.members.added")


def _end_member_form(ctx, members: list[dict]) -> None:
    names = {m["id"]: f"{m['seat_name']} · {m['name']}" for m in members}
    with st.form("roster_end_member_form", border=False):
        st.caption(ctx.t("roster.members.end_hint"))
        member = st.selectbox(ctx.t("roster.col.name"), list(names), index=None, format_func=names.get,
                              placeholder=ctx.t("roster.pick"), key="roster_end_member_pick")
        until = st.date_input(ctx.t("roster.col.to"), value=today(), key="roster_end_member_on")
        if _submit(ctx, "roster.members.end", ":material/person_remove:"):
            if member is None:
                st.error(ctx.t("roster.pick_first"))
            else:
                ok, _ = attempt(ctx.lang, end_membership, ctx.db, ctx.actor, member, until)
                if ok:
                    _done(ctx, "roster.members.ended")


def _new_seat_form(ctx) -> None:
    with st.form("roster_new_seat_form"):
        name = st.text_input(ctx.t("roster.seats.new"), max_chars=40, key="roster_new_seat_name")
        if _submit(ctx, "roster.seats.add", ":material/add:"):
            ok, _ = attempt(ctx.lang, add_seat, ctx.db, ctx.actor, ctx.compound_id, name)
            if ok:
                _done(ctx, "roster.seats.added")


def _rename_seat_form(ctx, seats: list[dict]) -> None:
    names = {s["id"]: s["name"] for s in seats}
    with st.form("roster_rename_seat_form"):
        seat = st.selectbox(ctx.t("roster.seats.rename_which"), list(names), format_func=names.get,
                            key="roster_rename_seat_pick")
        name = st.text_input(ctx.t("roster.seats.rename_to"), max_chars=40, key="roster_rename_seat_name")
        if _submit(ctx, "roster.seats.rename", ":material/edit:"):
            ok, _ = attempt(ctx.lang, rename_seat, ctx.db, ctx.actor, seat, name)
            if ok:
                _done(ctx, "roster.seats.renamed")


def _retire_seat_form(ctx, seats: list[dict]) -> None:
    _retire_form(ctx, "roster_retire_seat_form", "roster_retire_seat_pick", {s["id"]: s["name"] for s in seats},
                 "roster.seats", retire_seat, hint=ctx.t("roster.seats.retire_hint"))


def _retire_form(ctx, form_key: str, pick_key: str, names: dict[int, str], prefix: str, retire,
                 hint: str | None = None) -> None:
    """Pick one seat or category and retire it (`prefix`.retire_which / .retire / .retired labels)."""
    with st.form(form_key):
        chosen = st.selectbox(ctx.t(f"{prefix}.retire_which"), list(names), index=None, format_func=names.get,
                              placeholder=ctx.t("roster.pick"), key=pick_key)
        if hint:
            st.caption(hint)
        if _submit(ctx, f"{prefix}.retire", ":material/block:"):
            if chosen is None:
                st.error(ctx.t("roster.pick_first"))
            else:
                ok, _ = attempt(ctx.lang, retire, ctx.db, ctx.actor, chosen)
                if ok:
                    _done(ctx, f"{prefix}.retired")


REQUIRED_KEY = "roster_rules_required"


def _sync_required_seats(seats: list[dict]) -> None:
    """The browser keeps a multiselect's choice as the shown labels (seat names), so after a seat is
    added, renamed or retired the kept choice no longer matches: start it again from the database
    whenever the seats differ from those it was made from, instead of carrying stale names along."""
    seen = tuple((s["code"], s["name"], bool(s["quorum_required"])) for s in seats)
    if st.session_state.get(f"{REQUIRED_KEY}_seats") != seen:
        st.session_state[f"{REQUIRED_KEY}_seats"] = seen
        st.session_state[REQUIRED_KEY] = [s["code"] for s in seats if s["quorum_required"]]


def render_rules(ctx, manage: bool) -> None:
    """The "3 fixed" schedule and place, the quorum rule, the 公示 settings: one versioned update."""
    compound = ctx.compound()
    seats = list_seats(ctx.db, ctx.compound_id)
    seat_names = {s["code"]: s["name"] for s in seats}
    rule = compound.schedule
    with st.form("roster_rules_form"):
        st.markdown(f"**{ctx.t('roster.rules.schedule')}**")
        nth_col, day_col, time_col, place_col = st.columns([1, 1, 1, 2])
        nth = nth_col.selectbox(ctx.t("roster.rules.nth"), list(ORDINALS), index=list(ORDINALS).index(rule.nth),
                                format_func=lambda n: ctx.t(f"meetings.nth.{n}"), key="roster_rules_nth")
        weekday = day_col.selectbox(ctx.t("roster.rules.weekday"), range(7), index=rule.weekday,
                                    format_func=lambda d: ctx.t(f"meetings.weekday.{d}"), key="roster_rules_weekday")
        at = time_col.time_input(ctx.t("meetings.field.time"), value=rule.at, key="roster_rules_time")
        place = place_col.text_input(ctx.t("meetings.field.place"), value=compound.place, max_chars=100,
                                     key="roster_rules_place")
        st.markdown(f"**{ctx.t('roster.rules.quorum')}**")
        required_col, min_col = st.columns([3, 1])
        _sync_required_seats(seats)
        required = required_col.multiselect(
            ctx.t("roster.rules.required"), list(seat_names), format_func=lambda code: seat_names.get(code, code),
            key=REQUIRED_KEY)
        min_seats = min_col.number_input(ctx.t("roster.rules.min_seats"), 1, 20, compound.quorum_min_seats,
                                         key="roster_rules_min_seats")
        st.markdown(f"**{ctx.t('roster.rules.publicity')}**")
        window_col, threshold_col, limit_col = st.columns(3)
        window = window_col.number_input(ctx.t("roster.rules.window"), 1, 60, compound.objection_window_days,
                                         key="roster_rules_window")
        threshold = threshold_col.number_input(ctx.t("roster.rules.threshold"), 1, 1000, compound.objection_threshold,
                                               key="roster_rules_threshold")
        # No min/max on the widget: the service refuses outside 1–720 with its own message.
        limit_hours = limit_col.number_input(ctx.t("roster.rules.response_limit"), value=compound.response_limit_hours,
                                             step=1, help=ctx.t("roster.rules.response_limit_help"),
                                             key="roster_rules_response_limit")
        submitted = st.form_submit_button(ctx.t("roster.rules.save"), type="primary", disabled=not manage,
                                          icon=":material/save:")
    if submitted:
        ok, _ = attempt(ctx.lang, update_compound_rules, ctx.db, ctx.actor, ctx.compound_id, compound.version,
                        schedule=ScheduleRule(nth, weekday, at), place=place, quorum_min_seats=int(min_seats),
                        required_seat_codes=required, objection_window_days=int(window),
                        objection_threshold=int(threshold), response_limit_hours=int(limit_hours))
        if ok:
            _done(ctx, "roster.rules.saved")


STAGES_WITH_DAYS = tuple(DEFAULT_STAGE_DAYS)


def render_categories(ctx, manage: bool) -> None:
    categories = list_categories(ctx.db, ctx.compound_id)
    st.dataframe(pd.DataFrame([{ctx.t("roster.col.category"): c["name"],
                                **{stage_label(s, ctx.lang): c["stage_days"][s] for s in STAGES_WITH_DAYS}}
                               for c in categories]), hide_index=True, key="roster_categories_table")
    st.caption(ctx.t("roster.categories.days_hint"))
    if not manage:
        return
    names = {c["id"]: c["name"] for c in categories}
    add_col, retire_col = st.columns(2, gap="large")
    with add_col, st.form("roster_add_category_form"):
        name = st.text_input(ctx.t("roster.categories.new"), max_chars=30, key="roster_add_category_name")
        if _submit(ctx, "roster.categories.add", ":material/add:"):
            ok, _ = attempt(ctx.lang, add_category, ctx.db, ctx.actor, ctx.compound_id, name)
            if ok:
                _done(ctx, "roster.categories.added")
    with retire_col:
        _retire_form(ctx, "roster_retire_category_form", "roster_retire_category", names, "roster.categories",
                     retire_category)
    _stage_days_form(ctx, categories)


def _stage_days_form(ctx, categories: list[dict]) -> None:
    if not categories:
        return
    names = {c["id"]: c["name"] for c in categories}
    st.markdown(f"**{ctx.t('roster.categories.days_title')}**")
    category_id = st.selectbox(ctx.t("roster.categories.days_which"), list(names), format_func=names.get,
                               key="roster_days_category")
    current = next(c for c in categories if c["id"] == category_id)["stage_days"]
    with st.form(f"roster_days_form_{category_id}"):
        columns = st.columns(len(STAGES_WITH_DAYS))
        days = {stage: int(column.number_input(stage_label(stage, ctx.lang), 1, 365, current[stage],
                                               key=f"roster_days_{category_id}_{stage}"))
                for column, stage in zip(columns, STAGES_WITH_DAYS)}
        if _submit(ctx, "roster.categories.days_save"):
            ok, _ = attempt(ctx.lang, set_category_stage_days, ctx.db, ctx.actor, category_id, days)
            if ok:
                _done(ctx, "roster.categories.days_saved")
