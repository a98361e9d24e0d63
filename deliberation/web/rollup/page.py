"""区域汇总: every compound under the officer's area side by side, the 721 figure against its target,
where the concerns are, the escalations waiting for an answer, and the area's monthly report."""
import streamlit as st

from deliberation.services.area_report import areas_for, category_matrix, demo_compounds, waiting_escalations
from deliberation.services.rollup import area_rollup
from deliberation.web.common.context import attempt, page_context
from deliberation.web.common.downloads import render_report_downloads
from deliberation.web.common.ui import plain
from deliberation.web.rollup.posters import render_area_posters
from deliberation.web.rollup.escalations import escalation_forms
from deliberation.web.rollup.widgets import category_heatmap, compound_table, level_chart, rates_panel

ctx = page_context("rollup")
WINDOWS = {"365": 365, "1095": 1095, "all": 36500}
LEVEL_INDENT = "\u3000"   # an ideographic space per level of depth in the area picker

st.title(ctx.t("rollup.title"))
ok, areas = attempt(ctx.lang, areas_for, ctx.db, ctx.actor)
if not ok:
    st.stop()
if not areas:
    st.info(ctx.t("rollup.no_area"))
    st.stop()

names = {a["id"]: LEVEL_INDENT * a["depth"] + a["name"] for a in areas}
pick, period = st.columns([2, 1])
with pick:
    area_id = st.selectbox(ctx.t("rollup.area"), list(names), format_func=names.get, key="rollup_area",
                           disabled=len(areas) == 1)
with period:
    window = st.segmented_control(ctx.t("rollup.window"), list(WINDOWS), default="365", required=True,
                                  format_func=lambda w: ctx.t(f"rollup.window.{w}"), key="rollup_window")
days = WINDOWS[window or "365"]

ok, data = attempt(ctx.lang, area_rollup, ctx.db, ctx.actor, area_id, window_days=days)
if not ok:
    st.stop()
waiting = waiting_escalations(ctx.db, ctx.actor, area_id)
st.caption(ctx.t("rollup.caption", area=plain(names[area_id].strip(LEVEL_INDENT)), n=len(data["rows"]),
                 window=ctx.t(f"rollup.window.{window or '365'}")))

totals = data["totals"]
for column, (key, value) in zip(st.columns(6), (
        ("compounds", len(data["rows"])), ("open", totals["open"]), ("overdue", totals["overdue"]),
        ("resolved", totals["resolved"]), ("meetings", totals["meetings_90d"]), ("waiting", len(waiting)))):
    column.metric(ctx.t(f"rollup.metric.{key}"), value, border=True)

st.subheader(ctx.t("rollup.table.title"))
compound_table(ctx, data, demo_compounds(ctx.db, ctx.actor, area_id))
rates_panel(ctx, data)

left, right = st.columns([2, 3], gap="large")
with left:
    level_chart(ctx, data)
with right:
    category_heatmap(ctx, category_matrix(ctx.db, ctx.actor, area_id, window_days=days))

escalation_forms(ctx, waiting)

st.subheader(ctx.t("rollup.report.title"))
render_report_downloads(ctx, area_id=area_id, title=False)
render_area_posters(ctx, area_id, names[area_id].strip(LEVEL_INDENT))
