"""Adding, renaming, moving and retiring areas and compounds: one form, one service call each. A
refused form keeps what was typed (its widgets keep their keys); a saved one is emptied on the next
run, through the Session State API before the widgets exist (so the browser shows it emptied too)."""
from __future__ import annotations

import streamlit as st

from ...services.compound_admin import (move_area, move_compound, rename_area, rename_compound, retire_area,
                                        retire_compound)
from ...services.compounds import create_area, create_compound
from ..common.context import PageContext, attempt
from ..common.flash import flash
from ..common.ui import plain
from .tree import COMPOUND_LEVELS, area_label, compound_label, live_areas

LEVELS = ("district", "subdistrict", "community")
PAGE = "compounds"
PENDING = "compounds_reset"


def done(ctx: PageContext, message: str, reset: dict | None = None) -> None:
    """The change is saved: say so on the next run, put the widgets in `reset` back to the given
    values (on the next run, before they exist), re-read everything."""
    st.session_state[PENDING] = reset or {}
    flash(PAGE, message)
    st.rerun()


def apply_resets() -> None:
    """Called by the page before any widget: the values `done` asked for."""
    for key, value in st.session_state.pop(PENDING, {}).items():
        st.session_state[key] = value


def add_forms(ctx: PageContext, tree: dict) -> None:
    label = area_label(ctx, tree)
    area_col, compound_col = st.columns(2, gap="large")
    with area_col, st.form("compounds_add_area_form"):
        st.markdown(f"**{ctx.t('compounds.add_area')}**")
        name = st.text_input(ctx.t("compounds.field.area_name"), max_chars=60, key="compounds_area_name")
        level = st.selectbox(ctx.t("compounds.field.level"), LEVELS, index=1, key="compounds_area_level",
                             format_func=lambda lv: ctx.t(f"compounds.level.{lv}"))
        parents = ([None] if tree["top_level"] else []) + [a["id"] for a in live_areas(tree)]
        parent = st.selectbox(ctx.t("compounds.field.parent"), parents, key="compounds_area_parent",
                              format_func=lambda a: label(a) if a else ctx.t("compounds.top"))
        submitted = st.form_submit_button(ctx.t("compounds.create_area"), type="primary", icon=":material/add:")
    if submitted:
        ok, _ = attempt(ctx.lang, create_area, ctx.db, ctx.actor, name, level, parent)
        if ok:
            done(ctx, ctx.t("compounds.area_created", name=plain(name.strip())), {"compounds_area_name": ""})
    homes = [a["id"] for a in live_areas(tree) if a["level"] in COMPOUND_LEVELS]
    with compound_col:
        if not homes:
            st.info(ctx.t("compounds.no_compound_area"))
            return
        with st.form("compounds_add_compound_form"):
            st.markdown(f"**{ctx.t('compounds.add_compound')}**")
            fields = ("compounds_compound_name", "compounds_compound_address", "compounds_compound_households",
                      "compounds_compound_branch")
            name = st.text_input(ctx.t("compounds.field.compound_name"), max_chars=60, key=fields[0])
            area_id = st.selectbox(ctx.t("compounds.field.compound_area"), homes, format_func=label,
                                   key="compounds_compound_area")
            address = st.text_input(ctx.t("compounds.field.address"), max_chars=200, key=fields[1])
            households = st.number_input(ctx.t("compounds.field.households"), min_value=0, max_value=100000,
                                         value=None, step=1, key=fields[2])
            branch = st.text_input(ctx.t("compounds.field.branch"), max_chars=60, key=fields[3])
            submitted = st.form_submit_button(ctx.t("compounds.create_compound"), type="primary", icon=":material/add:")
        if submitted:
            ok, _ = attempt(ctx.lang, create_compound, ctx.db, ctx.actor, area_id, name, address=address,
                            households=None if households is None else int(households), branch_name=branch)
            if ok:
                done(ctx, ctx.t("compounds.compound_created", name=plain(name.strip())),
                     {**dict.fromkeys(fields, ""), fields[2]: None})


def _confirmed(ctx: PageContext, key: str) -> bool:
    if st.session_state.get(key):
        return True
    st.error(ctx.t("compounds.confirm_needed"))
    return False


def area_change_forms(ctx: PageContext, tree: dict) -> None:
    """The areas below the officer's own (the admin: all) that are still in use: pick one, then
    rename, move or retire it."""
    label = area_label(ctx, tree)
    movable = [a["id"] for a in live_areas(tree) if a["id"] != tree["own_area_id"]]
    if not movable:
        st.info(ctx.t("compounds.nothing_to_change"))
        return
    area_id = st.selectbox(ctx.t("compounds.pick_area"), movable, format_func=label, key="compounds_change_area")
    parents = ([None] if tree["top_level"] else []) + [a["id"] for a in live_areas(tree)]
    rename_col, move_col, retire_col = st.columns(3)
    with rename_col, st.form("compounds_rename_area_form"):
        name = st.text_input(ctx.t("compounds.new_name"), max_chars=60, key="compounds_rename_area_name")
        if st.form_submit_button(ctx.t("compounds.rename")):
            if attempt(ctx.lang, rename_area, ctx.db, ctx.actor, area_id, name)[0]:
                done(ctx, ctx.t("compounds.renamed"), {"compounds_rename_area_name": ""})
    with move_col, st.form("compounds_move_area_form"):
        parent = st.selectbox(ctx.t("compounds.new_parent"), parents, key="compounds_move_area_parent",
                              format_func=lambda a: label(a) if a else ctx.t("compounds.top"))
        if st.form_submit_button(ctx.t("compounds.move")):
            if attempt(ctx.lang, move_area, ctx.db, ctx.actor, area_id, parent)[0]:
                done(ctx, ctx.t("compounds.moved"))
    with retire_col, st.form("compounds_retire_area_form"):
        st.checkbox(ctx.t("compounds.retire_confirm"), key="compounds_retire_area_ok")
        if st.form_submit_button(ctx.t("compounds.retire")) and _confirmed(ctx, "compounds_retire_area_ok"):
            if attempt(ctx.lang, retire_area, ctx.db, ctx.actor, area_id)[0]:
                done(ctx, ctx.t("compounds.retired"), {"compounds_retire_area_ok": False})


def compound_change_forms(ctx: PageContext, tree: dict) -> None:
    """Pick a compound in use, then rename, move or retire it (each with the version just read)."""
    live = {c["id"]: c for c in tree["compounds"] if not c["retired_at"]}
    if not live:
        st.info(ctx.t("compounds.no_compounds"))
        return
    compound_id = st.selectbox(ctx.t("compounds.pick_compound"), list(live), format_func=compound_label(ctx, tree),
                               key="compounds_change_compound")
    version, where = live[compound_id]["version"], area_label(ctx, tree)
    homes = [a["id"] for a in live_areas(tree) if a["level"] in COMPOUND_LEVELS]
    rename_col, move_col, retire_col = st.columns(3)
    with rename_col, st.form("compounds_rename_compound_form"):
        name = st.text_input(ctx.t("compounds.new_name"), max_chars=60, key="compounds_rename_compound_name")
        if st.form_submit_button(ctx.t("compounds.rename")):
            if attempt(ctx.lang, rename_compound, ctx.db, ctx.actor, compound_id, version, name)[0]:
                done(ctx, ctx.t("compounds.renamed"), {"compounds_rename_compound_name": ""})
    with move_col, st.form("compounds_move_compound_form"):
        area_id = st.selectbox(ctx.t("compounds.new_area"), homes, format_func=where, key="compounds_move_compound_to")
        if st.form_submit_button(ctx.t("compounds.move")):
            if attempt(ctx.lang, move_compound, ctx.db, ctx.actor, compound_id, version, area_id)[0]:
                done(ctx, ctx.t("compounds.moved"))
    with retire_col, st.form("compounds_retire_compound_form"):
        st.checkbox(ctx.t("compounds.retire_confirm"), key="compounds_retire_compound_ok")
        if st.form_submit_button(ctx.t("compounds.retire")) and _confirmed(ctx, "compounds_retire_compound_ok"):
            if attempt(ctx.lang, retire_compound, ctx.db, ctx.actor, compound_id, version)[0]:
                done(ctx, ctx.t("compounds.retired"), {"compounds_retire_compound_ok": False})
