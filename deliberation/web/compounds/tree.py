"""The tree a manager works on, as a table, and the labels the forms pick from. Built from one
service answer (management_tree): areas in tree order with their depth, compounds with their area."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..common.context import PageContext

INDENT = "\u3000"                       # a full-width space per level: the tree reads as an outline
COMPOUND_LEVELS = ("subdistrict", "community")


def area_paths(areas: list[dict], top: str = "") -> dict[int, str]:
    """{area id: "罗湖区/桂园街道/松园社区"} from the tree's rows (parents come first); `top` is the
    path above the tree's root (an officer's tree starts at their own area)."""
    paths: dict[int, str] = {}
    for area in areas:
        above = paths.get(area["parent_id"], top)
        paths[area["id"]] = f"{above}/{area['name']}" if above else area["name"]
    return paths


def live_areas(tree: dict) -> list[dict]:
    return [a for a in tree["areas"] if not a["retired_at"]]


def area_label(ctx: PageContext, tree: dict):
    """format_func for an area id: its path, marked when retired."""
    paths = area_paths(tree["areas"], tree["above"])
    retired = {a["id"] for a in tree["areas"] if a["retired_at"]}
    return lambda area_id: paths[area_id] + (ctx.t("compounds.retired_mark") if area_id in retired else "")


def compound_label(ctx: PageContext, tree: dict):
    paths = area_paths(tree["areas"], tree["above"])
    by_id = {c["id"]: c for c in tree["compounds"]}

    def label(compound_id: int) -> str:
        c = by_id[compound_id]
        return f"{c['name']} · {paths.get(c['area_id'], '')}" + (
            ctx.t("compounds.retired_mark") if c["retired_at"] else "")
    return label


def tree_table(ctx: PageContext, tree: dict) -> None:
    """Areas and, under each, its compounds; names are table cells (shown as typed, never as markup)."""
    if not tree["areas"]:
        st.info(ctx.t("compounds.empty"))
        return
    by_area: dict[int, list[dict]] = {}
    for c in tree["compounds"]:
        by_area.setdefault(c["area_id"], []).append(c)
    state = {False: ctx.t("compounds.state.live"), True: ctx.t("compounds.state.retired")}
    lines = []
    for area in tree["areas"]:
        lines.append({ctx.t("compounds.col.name"): INDENT * area["depth"] + area["name"],
                      ctx.t("compounds.col.kind"): ctx.t(f"compounds.level.{area['level']}"),
                      ctx.t("compounds.col.households"): "", ctx.t("compounds.col.branch"): "",
                      ctx.t("compounds.col.state"): state[bool(area["retired_at"])]})
        for c in by_area.get(area["id"], []):
            lines.append({ctx.t("compounds.col.name"): INDENT * (area["depth"] + 1) + c["name"],
                          ctx.t("compounds.col.kind"): ctx.t("compounds.level.compound"),
                          ctx.t("compounds.col.households"): "" if c["households"] is None else str(c["households"]),
                          ctx.t("compounds.col.branch"): c["branch_name"],
                          ctx.t("compounds.col.state"): state[bool(c["retired_at"])]})
    st.dataframe(pd.DataFrame(lines), hide_index=True, width="stretch", key="compounds_tree_table")
