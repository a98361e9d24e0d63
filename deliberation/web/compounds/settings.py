"""A compound's settings (address, households, party branch, the standing schedule and place, quorum,
公示 and response limits) and, for the admin, which officers may manage compounds."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...model.schedule import ORDINALS, ScheduleRule
from ...services.compounds import get_compound, update_compound_settings
from ...services.managing import officers_and_rights, set_compound_management
from ..common.context import PageContext, attempt
from ..common.ui import plain
from .forms import done
from .tree import area_paths, compound_label

FIELDS = ("address", "households", "branch", "nth", "weekday", "time", "place", "min_seats", "window",
          "threshold", "limit")


def _keys(compound_id: int) -> dict[str, str]:
    """Widget keys per compound: switching compounds shows that compound's values."""
    return {f: f"compounds_settings_{compound_id}_{f}" for f in FIELDS}


def _load(compound, keys: dict[str, str], version_key: str) -> None:
    """Put the stored settings into the form's widgets (before they exist in this run) and keep the
    version read with them: an edit made meanwhile by someone else is then refused as stale."""
    rule = compound.schedule
    values = {"address": compound.address, "households": compound.households, "branch": compound.branch_name,
              "nth": rule.nth, "weekday": rule.weekday, "time": rule.at, "place": compound.place,
              "min_seats": compound.quorum_min_seats, "window": compound.objection_window_days,
              "threshold": compound.objection_threshold, "limit": compound.response_limit_hours}
    for field, value in values.items():
        st.session_state[keys[field]] = value
    st.session_state[version_key] = compound.version


def settings_form(ctx: PageContext, tree: dict) -> None:
    compounds = {c["id"]: c for c in tree["compounds"]}
    if not compounds:
        st.info(ctx.t("compounds.no_compounds"))
        return
    ordered = sorted(compounds, key=lambda i: (bool(compounds[i]["retired_at"]), i))
    compound_id = st.selectbox(ctx.t("compounds.pick_compound"), ordered, format_func=compound_label(ctx, tree),
                               key="compounds_settings_pick")
    compound = get_compound(ctx.db, compound_id)
    st.caption(ctx.t("compounds.settings.caption", path=plain(compound.area_path)))
    if compounds[compound_id]["retired_at"]:
        st.info(ctx.t("compounds.settings.retired"))
        return
    keys, version_key = _keys(compound_id), f"compounds_settings_{compound_id}_version"
    if version_key not in st.session_state:          # first look, after a save, or after "load the latest"
        _load(compound, keys, version_key)
    with st.form(f"compounds_settings_form_{compound_id}"):
        st.markdown(f"**{ctx.t('compounds.settings.identity')}**")
        address = st.text_input(ctx.t("compounds.field.address"), max_chars=200, key=keys["address"])
        left, right = st.columns([1, 2])
        households = left.number_input(ctx.t("compounds.field.households"), 0, 100000, step=1, key=keys["households"])
        branch = right.text_input(ctx.t("compounds.field.branch_edit"), max_chars=60, key=keys["branch"])
        st.markdown(f"**{ctx.t('compounds.settings.rules')}**")
        nth_col, day_col, time_col, place_col = st.columns([1, 1, 1, 2])
        nth = nth_col.selectbox(ctx.t("roster.rules.nth"), list(ORDINALS), key=keys["nth"],
                                format_func=lambda n: ctx.t(f"meetings.nth.{n}"))
        weekday = day_col.selectbox(ctx.t("roster.rules.weekday"), range(7), key=keys["weekday"],
                                    format_func=lambda d: ctx.t(f"meetings.weekday.{d}"))
        at = time_col.time_input(ctx.t("meetings.field.time"), key=keys["time"])
        place = place_col.text_input(ctx.t("meetings.field.place"), max_chars=100, key=keys["place"])
        min_col, window_col, threshold_col, limit_col = st.columns(4)
        min_seats = min_col.number_input(ctx.t("roster.rules.min_seats"), 1, 20, key=keys["min_seats"])
        window = window_col.number_input(ctx.t("roster.rules.window"), 1, 60, key=keys["window"])
        threshold = threshold_col.number_input(ctx.t("roster.rules.threshold"), 1, 1000, key=keys["threshold"])
        # No min/max: the service refuses outside 1–720 hours with its own message.
        limit = limit_col.number_input(ctx.t("roster.rules.response_limit"), step=1, key=keys["limit"])
        submitted = st.form_submit_button(ctx.t("compounds.settings.save"), type="primary", icon=":material/save:")
    if submitted:
        ok, changed = attempt(
            ctx.lang, update_compound_settings, ctx.db, ctx.actor, compound_id, st.session_state[version_key],
            address=address, households=None if households is None else int(households), branch_name=branch,
            schedule=ScheduleRule(nth, weekday, at), place=place, quorum_min_seats=int(min_seats),
            objection_window_days=int(window), objection_threshold=int(threshold), response_limit_hours=int(limit))
        if ok:
            st.session_state.pop(version_key, None)
            done(ctx, ctx.t("compounds.settings.saved" if changed else "compounds.settings.unchanged",
                            name=plain(compound.name)))
    st.button(ctx.t("compounds.settings.reload"), key=f"compounds_settings_{compound_id}_reload",
              on_click=lambda: st.session_state.pop(version_key, None))


def grants_panel(ctx: PageContext, tree: dict) -> None:
    """Admin only (the page offers it to the admin; the services refuse anyone else)."""
    ok, officers = attempt(ctx.lang, officers_and_rights, ctx.db, ctx.actor)
    if not ok:
        return
    officers = [o for o in officers if o["area_id"]]
    st.caption(ctx.t("compounds.grants.caption"))
    if not officers:
        st.info(ctx.t("compounds.grants.none"))
        return
    paths = area_paths(tree["areas"], tree["above"])
    yes, no = ctx.t("compounds.yes"), ctx.t("compounds.no")
    st.dataframe(pd.DataFrame([{ctx.t("users.col.username"): o["username"], ctx.t("users.col.name"): o["display_name"],
                                ctx.t("compounds.grants.col.area"): paths.get(o["area_id"], ""),
                                ctx.t("compounds.grants.col.allowed"): yes if o["manages_compounds"] else no}
                               for o in officers]), hide_index=True, width="stretch", key="compounds_grants_table")
    by_id = {o["id"]: o for o in officers}
    user_id = st.selectbox(ctx.t("compounds.grants.officer"), list(by_id), key="compounds_grants_pick",
                           format_func=lambda i: f"{by_id[i]['username']} · {by_id[i]['display_name']}")
    with st.form(f"compounds_grants_form_{user_id}"):
        allowed = st.checkbox(ctx.t("compounds.grants.allowed"), value=bool(by_id[user_id]["manages_compounds"]),
                              key=f"compounds_grants_{user_id}_allowed")
        submitted = st.form_submit_button(ctx.t("compounds.grants.save"), type="primary")
    if submitted and attempt(ctx.lang, set_compound_management, ctx.db, ctx.actor, user_id, allowed)[0]:
        done(ctx, ctx.t("compounds.grants.saved", username=plain(by_id[user_id]["username"])))
