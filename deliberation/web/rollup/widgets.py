"""Panels of the 区域汇总 page: the compound table, the 721 chart and the category heat map (the
escalations waiting for an answer are web/rollup/escalations.py). Plain Streamlit elements and
plotly; user text shown literally."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ...model.lifecycle import Level
from ..common.ui import chart_text, demo_badge, level_label

HEAT_MAX_COMPOUNDS = 40          # a district holds hundreds; the heat map shows the busiest
NO_VALUE = "—"                   # a figure without data yet (no issue resolved, no meeting held)


def compound_table(ctx, data: dict, demo: frozenset[int]) -> None:
    t = lambda key: ctx.t(f"rollup.col.{key}")  # noqa: E731
    frame = pd.DataFrame([{
        t("compound"): r["compound"] + demo_badge(r["compound_id"] in demo, ctx.lang), t("area"): r["area"],
        t("open"): r["open"], t("overdue"): r["overdue"], t("resolution_rate"): _figure(r["resolution_rate"], "{:.0%}"),
        t("median_days"): _figure(r["median_days"], "{:.1f}"), t("meetings_90d"): r["meetings_90d"],
        t("attendance_rate"): _figure(r["attendance_rate"], "{:.0%}"),
        **_rate_cells(ctx, r["rates"])} for r in data["rows"]])
    right = st.column_config.TextColumn(alignment="right")
    st.dataframe(frame, hide_index=True, key="rollup_table", height=min(38 + 35 * max(1, len(frame)), 900),
                 column_config={t(key): right for key in ("resolution_rate", "median_days", "attendance_rate")})
    st.caption(ctx.t("rollup.table.help"))


def _figure(value: float | None, shown: str) -> str:
    """A figure as text, "—" without data (no issue resolved, no meeting held): the grid draws an
    empty number as "None", whatever the format, so these cells are text, as the 三率 are."""
    return NO_VALUE if value is None else shown.format(value)


def _rate_cells(ctx, rates) -> dict:
    """响应率/解决率/满意率 as shown text: "80.0%", or "—" without data (never 0%)."""
    return {ctx.t(f"rollup.rates.{rate.kind}"): rate.shown for rate in rates}


def rates_panel(ctx, data: dict) -> None:
    """The area's 三率 with their formulas, and each community/subdistrict's when there are several."""
    st.subheader(ctx.t("rollup.rates.title"))
    for column, rate in zip(st.columns(3), data["rates"]):
        with column:
            st.metric(ctx.t(f"rollup.rates.{rate.kind}"), rate.shown, border=True)
            st.caption(rate.formula(ctx.lang))
    if len(data["area_rates"]) > 1:
        frame = pd.DataFrame([{ctx.t("rollup.col.area"): a["area"], ctx.t("rollup.metric.compounds"): a["compounds"],
                               **_rate_cells(ctx, a["rates"])} for a in data["area_rates"]])
        st.dataframe(frame, hide_index=True, key="rollup_area_rates")
    st.caption(ctx.t("rollup.rates.help"))


def level_chart(ctx, data: dict) -> None:
    """Actual share of resolved issues per level against the 70/20/10 target."""
    st.subheader(ctx.t("rollup.721.title"))
    levels = [lv.value for lv in Level]
    counts = data["levels"]
    total = sum(counts.values())
    if not total:
        st.info(ctx.t("rollup.721.none"))
        return
    names = [level_label(lv, ctx.lang) for lv in levels]
    actual = [counts[lv] / total for lv in levels]
    target = [data["targets"][lv] for lv in levels]
    figure = go.Figure([
        go.Bar(name=ctx.t("rollup.721.actual"), x=names, y=actual, text=[f"{v:.0%}" for v in actual],
               customdata=[counts[lv] for lv in levels], hovertemplate="%{x}: %{y:.0%} (%{customdata})<extra></extra>"),
        go.Bar(name=ctx.t("rollup.721.target"), x=names, y=target, text=[f"{v:.0%}" for v in target],
               marker_color="#c9d3df", hovertemplate="%{x}: %{y:.0%}<extra></extra>"),
    ])
    figure.update_layout(barmode="group", yaxis_tickformat=".0%", yaxis_range=[0, 1], height=320,
                         margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=1.12))
    st.plotly_chart(figure, key="rollup_721_chart", config={"displayModeBar": False})
    st.caption(ctx.t("rollup.721.counts", total=total, **counts))


def category_heatmap(ctx, cells: list[dict]) -> None:
    st.subheader(ctx.t("rollup.heat.title"))
    if not cells:
        st.info(ctx.t("rollup.heat.none"))
        return
    cells = pd.DataFrame(cells)
    names = cells.drop_duplicates("compound_id").set_index("compound_id")["compound"]
    twice = set(names[names.duplicated(keep=False)])          # same name in two areas: tell them apart
    cells["compound"] = [f"{name} #{cid}" if name in twice else name
                         for cid, name in zip(cells["compound_id"], cells["compound"])]
    frame = cells.pivot_table(index="compound", columns="category", values="n", aggfunc="sum", fill_value=0)
    frame = frame.loc[frame.sum(axis=1).sort_values(ascending=False).index]
    if len(frame) > HEAT_MAX_COMPOUNDS:
        frame = frame.head(HEAT_MAX_COMPOUNDS)
        st.caption(ctx.t("rollup.heat.top", n=HEAT_MAX_COMPOUNDS))
    frame = frame[frame.sum(axis=0).sort_values(ascending=False).index]
    figure = go.Figure(go.Heatmap(
        z=frame.values, x=[chart_text(c) for c in frame.columns], y=[chart_text(c) for c in frame.index],
        colorscale="Blues",
        text=[[str(n) if n else "" for n in row] for row in frame.values], texttemplate="%{text}", showscale=False,
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>"))
    figure.update_layout(height=120 + 24 * len(frame), margin=dict(l=10, r=10, t=10, b=10),
                         yaxis=dict(autorange="reversed"), xaxis=dict(side="top", tickangle=-40))
    st.plotly_chart(figure, key="rollup_heatmap", config={"displayModeBar": False})
