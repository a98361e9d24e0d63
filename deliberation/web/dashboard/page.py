"""概览: how the compound's concerns move through the "3+4" stages, meeting after meeting."""
import pandas as pd
import plotly.express as px
import streamlit as st

from deliberation.services import dashboard as data
from deliberation.web.common.context import page_context
from deliberation.web.common.downloads import render_report_downloads
from deliberation.web.common.ui import chart_text, level_label, plain, stage_label

ctx = page_context("dashboard", needs_compound=True)

compound = ctx.compound()
st.title(ctx.t("dashboard.title", compound=plain(compound.name)))
if compound.demo:
    st.caption(ctx.t("demo.note"))
t = ctx.t
STAGE_COLOURS = {"collected": "#9aa5b1", "deliberating": "#f0a202", "acting": "#2a9d8f", "escalated": "#e76f51",
                 "publicizing": "#457b9d", "resolved": "#2b9348", "closed": "#6c757d"}
LEVEL_COLOURS = {"compound": "#2b9348", "community": "#457b9d", "subdistrict": "#e76f51"}   # the "721" levels


def show(fig, key: str, height: int = 340) -> None:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="")
    st.plotly_chart(fig, key=key, config={"displaylogo": False})


stages = pd.DataFrame(data.issues_by_stage(ctx.db, ctx.actor, ctx.compound_id))
by_meeting = pd.DataFrame(data.open_issues_by_meeting(ctx.db, ctx.actor, ctx.compound_id))
counts = dict(zip(stages["stage"], stages["n"]))
outcomes = data.outcome_counts(ctx.db, ctx.actor, ctx.compound_id)     # 合并 apart from 已关闭(未解决)
total_col, open_col, resolved_col, closed_col, merged_col, meetings_col = st.columns(6)
total_col.metric(t("dashboard.metric.issues"), int(stages["n"].sum()))
open_col.metric(t("dashboard.metric.open"), sum(counts[s] for s in ("collected", "deliberating", "acting",
                                                                      "escalated", "publicizing")))
resolved_col.metric(t("dashboard.metric.resolved"), outcomes["resolved"])
closed_col.metric(t("dashboard.metric.closed"), outcomes["closed"])
merged_col.metric(t("dashboard.metric.merged"), outcomes["merged"])
meetings_col.metric(t("dashboard.metric.meetings"), len(by_meeting))

# 三率 over the compound's whole history (like the figures above), each with its formula under it.
st.subheader(t("dashboard.rates.title"))
for column, rate in zip(st.columns(3), data.three_rates(ctx.db, ctx.actor, ctx.compound_id)):
    with column:
        st.metric(t(f"dashboard.rates.{rate.kind}"), rate.shown, border=True)
        st.caption(rate.formula(ctx.lang))
st.caption(t("dashboard.rates.period"))

# Meeting after meeting: the problems raised so far, and how many were still open.
st.subheader(t("dashboard.progress.title"))
if by_meeting.empty:
    st.info(t("dashboard.none"))
else:
    long = by_meeting.melt(id_vars=["number", "day"], value_vars=["raised", "open"], var_name="series", value_name="n")
    long["series"] = long["series"].map({"raised": t("dashboard.progress.raised"),
                                         "open": t("dashboard.progress.open")})
    fig = px.line(long, x="number", y="n", color="series", markers=True, hover_data={"day": True},
                  labels={"number": t("dashboard.axis.meeting"), "n": t("dashboard.axis.issues"),
                          "day": t("dashboard.axis.day")})
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(rangemode="tozero")
    show(fig, "dashboard_progress")

stage_col, category_col = st.columns(2)
with stage_col:
    stages["label"] = stages["stage"].map(lambda s: stage_label(s, ctx.lang))
    fig = px.bar(stages, x="label", y="n", color="stage", color_discrete_map=STAGE_COLOURS, text="n",
                 title=t("dashboard.stage.title"),
                 labels={"label": t("dashboard.axis.stage"), "n": t("dashboard.axis.issues")})
    fig.update_traces(textposition="outside", cliponaxis=False)
    fig.update_layout(showlegend=False)
    show(fig, "dashboard_stages")
with category_col:
    categories = pd.DataFrame(data.issues_by_category(ctx.db, ctx.actor, ctx.compound_id),
                              columns=["category", "open", "done"])
    categories["category"] = categories["category"].map(chart_text)      # plotly renders <a>, <b>, <br>
    long = categories.melt(id_vars="category", value_vars=["open", "done"], var_name="state", value_name="n")
    long["state"] = long["state"].map({"open": t("dashboard.state.open"), "done": t("dashboard.state.done")})
    fig = px.bar(long, x="n", y="category", color="state", orientation="h", title=t("dashboard.category.title"),
                 color_discrete_map={t("dashboard.state.open"): STAGE_COLOURS["deliberating"],
                                     t("dashboard.state.done"): STAGE_COLOURS["resolved"]},
                 labels={"category": t("dashboard.axis.category"), "n": t("dashboard.axis.issues")})
    fig.update_yaxes(categoryorder="total ascending")
    show(fig, "dashboard_categories")

raiser_col, days_col = st.columns(2)
with raiser_col:
    raisers = pd.DataFrame(data.issues_by_raiser(ctx.db, ctx.actor, ctx.compound_id), columns=["kind", "seat", "n"])
    raisers["who"] = [chart_text(seat) if kind == "seat" else t(f"dashboard.raiser.{kind}") for kind, seat in
                      zip(raisers["kind"], raisers["seat"])]
    fig = px.bar(raisers, x="n", y="who", orientation="h", title=t("dashboard.raiser.title"),
                 labels={"who": t("dashboard.axis.raiser"), "n": t("dashboard.axis.issues")})
    fig.update_yaxes(categoryorder="total ascending")
    show(fig, "dashboard_raisers")
with days_col:
    days = pd.DataFrame(data.days_to_resolve(ctx.db, ctx.actor, ctx.compound_id),
                        columns=["title", "category", "level", "days"])
    if days.empty:
        st.info(t("dashboard.days.none"))
    else:
        days["level"] = days["level"].map(lambda lv: level_label(lv, ctx.lang))
        fig = px.histogram(days, x="days", color="level", nbins=12, title=t("dashboard.days.title"),
                           color_discrete_map={level_label(lv, ctx.lang): c for lv, c in LEVEL_COLOURS.items()},
                           labels={"days": t("dashboard.axis.days"), "level": t("dashboard.axis.level")})
        fig.update_yaxes(title_text=t("dashboard.axis.issues"))
        show(fig, "dashboard_days")

st.subheader(t("dashboard.attendance.title"))
attendance = pd.DataFrame(data.attendance_by_seat(ctx.db, ctx.actor, ctx.compound_id))
if attendance.empty:
    st.info(t("dashboard.none"))
else:
    attendance["seat"] = attendance["seat"].map(chart_text)                  # seat names are typed by staff
    order = attendance.sort_values("position")["seat"].drop_duplicates().tolist()
    grid = attendance.pivot_table(index="seat", columns="number", values="present").reindex(order)
    fig = px.imshow(grid, color_continuous_scale="Greens", zmin=0, zmax=1, aspect="auto",
                    labels={"x": t("dashboard.axis.meeting"), "y": t("dashboard.axis.seat"),
                            "color": t("dashboard.axis.present")})
    fig.update_xaxes(dtick=1, side="top")
    show(fig, "dashboard_attendance", height=max(260, 34 * len(order) + 80))
    st.caption(t("dashboard.attendance.hint"))

# Documents: this compound's monthly report (月报) as DOCX/XLSX, for the roles that may report.
render_report_downloads(ctx, compound_id=ctx.compound_id)
