"""工作台 panels. Each panel lists a few items with a link to the issue and a one-line caption;
long lists stop at LIMIT and point to the register."""
from __future__ import annotations

import streamlit as st

from ..common.issue_links import issue_link, link
from ..common.nav import page_exists
from ..common.ui import demo_badge, plain_strict, schedule_rule_text

LIMIT = 8


def metrics(ctx, wb, pending_for_me: list[dict] | None) -> None:
    t, meeting = ctx.t, wb.next_meeting
    cells = [(t("home.m.next"), f"{meeting.scheduled_at:%m-%d}", t("home.m.next_help")),
             (t("home.m.concerns"), len(wb.concerns_to_accept), None),
             (t("home.m.agenda"), len(wb.agenda_waiting), None),
             (t("home.m.overdue"), len(wb.overdue_actions), None),
             (t("home.m.windows"), len(wb.closing_windows), None),
             (t("home.m.escalations"), len(wb.open_escalations), None)]
    if pending_for_me is not None:
        cells.append((t("home.m.for_me"), len(pending_for_me), None))
    for column, (name, value, tip) in zip(st.columns(len(cells)), cells):
        column.metric(name, value, help=tip, border=True)


def _weekday(ctx, moment) -> str:
    return ctx.t(f"home.weekday.{moment.weekday()}")


def next_meeting_panel(ctx, meeting) -> None:
    t = ctx.t
    with st.container(border=True):
        st.markdown(f"#### {t('home.next.title')}")
        when = f"{meeting.scheduled_at:%Y-%m-%d} {_weekday(ctx, meeting.scheduled_at)} {meeting.scheduled_at:%H:%M}"
        if meeting.planned:
            status = t(f"issue.meeting_status.{meeting.status}")
            st.markdown(f"**{plain_strict(t('home.next.planned', n=meeting.number, status=status))}**")
        else:
            st.markdown(f"**{plain_strict(t('home.next.by_rule', n=meeting.number))}**")
        st.text(t("issue.pair", name=t("home.next.when"), value=when) + "\n"
                + t("issue.pair", name=t("home.next.place"), value=meeting.place or "—"))
        st.caption(plain_strict(t("home.next.rule", rule=schedule_rule_text(ctx, ctx.compound().schedule))))
        if not meeting.planned:
            st.info(t("home.next.not_scheduled"), icon=":material/event_upcoming:")
        if page_exists(ctx.actor.role, "meetings"):
            link("meetings", t("home.next.to_meetings"), icon=":material/groups:")


def _panel(ctx, title_key: str, items: list[dict], line, empty_key: str, *, limit: int | None = LIMIT) -> None:
    """A bordered panel: one link per issue with a caption under it."""
    t = ctx.t
    with st.container(border=True):
        st.markdown(f"#### {t(title_key)}({len(items)})")
        if not items:
            st.caption(t(empty_key))
            return
        for item in items[:limit]:
            issue_link(item["issue_id"], f"#{item['number']} {item['title']}{demo_badge(item['demo'], ctx.lang)}")
            st.caption(plain_strict(line(item)))
        if limit is not None and len(items) > limit:
            link("register", t("home.more", n=len(items) - limit), icon=":material/list_alt:")


def concerns_panel(ctx, items: list[dict]) -> None:
    rows = [{**r, "issue_id": r["id"]} for r in items]
    _panel(ctx, "home.concerns.title", rows,
           lambda r: f"{r['category']} · {ctx.t('home.raised_on', day=r['raised_on'])} · "
                     f"{ctx.t('issue.households', n=r['households'])}", "home.concerns.empty")


def response_clock_panel(ctx, items, limit_hours: int) -> None:
    """待响应的居民反映: concerns near (≥ 3/4 of the limit gone) or past the response limit, the
    most urgent first, each marked 即将超时 / 已超时 with the hours left or over."""
    t = ctx.t
    with st.container(border=True):
        st.markdown(f"#### {t('home.clock.title')}({len(items)})")
        st.caption(t("home.clock.rule", hours=limit_hours))
        if not items:
            st.caption(t("home.clock.empty"))
            return
        for c in items:
            mark = (t("home.clock.past", hours=f"{c.hours_over:g}") if c.past
                    else t("home.clock.near", hours=f"{c.hours_left:g}"))
            issue_link(c.id, f"#{c.number} {c.title}{demo_badge(c.demo, ctx.lang)}",
                       icon=":material/alarm:" if c.past else ":material/schedule:")
            colour = "red" if c.past else "orange"
            st.markdown(f":{colour}-badge[{mark}] " + plain_strict(
                t("home.clock.line", received=c.received_at[:16], due=f"{c.due_at:%Y-%m-%d %H:%M}")))


def agenda_panel(ctx, items: list[dict]) -> None:
    rows = [{**r, "issue_id": r["id"]} for r in items]
    _panel(ctx, "home.agenda.title", rows,
           lambda r: f"{ctx.t('home.agenda.' + r['reason'])} · {r['category']} · "
                     f"{ctx.t('home.raised_on', day=r['raised_on'])}", "home.agenda.empty")


def overdue_panel(ctx, items: list[dict]) -> None:
    rows = [{**r, "title": r["issue_title"]} for r in items]
    _panel(ctx, "home.overdue.title", rows,
           lambda r: ctx.t("home.overdue.line", seat=r["seat_name"], task=r["task"], due=r["due_on"],
                           days=r["days_overdue"]), "home.overdue.empty")


def windows_panel(ctx, items: list[dict]) -> None:
    def line(r):
        if r["days_left"] is not None and r["days_left"] < 0:
            when = ctx.t("home.windows.expired", day=r["objection_closes_on"])
        else:
            when = ctx.t("home.windows.left", day=r["objection_closes_on"], days=r["days_left"])
        return f"{when} · {ctx.t('home.windows.objections', n=r['objections'], threshold=r['objection_threshold'])}"
    _panel(ctx, "home.windows.title", [{**r, "issue_id": r["id"]} for r in items], line, "home.windows.empty")


def escalations_panel(ctx, items: list[dict], *, title_key: str) -> None:
    def line(r):
        return ctx.t("home.esc.line", where="", area=r["area_name"], day=r["requested_on"],
                     days=r["days_waiting"], request=r["request"])
    _panel(ctx, title_key, items, line, "home.esc.empty")


def inbox_panel(ctx, items: list[dict]) -> None:
    """An officer's escalations from every compound of the area: all of them (the register is per
    compound, so there is no "more" to send them to); answering happens on the area roll-up."""
    def line(r):
        return ctx.t("home.esc.line", where=f"{r['compound']} → ", area=r["area_name"], day=r["requested_on"],
                     days=r["days_waiting"], request=r["request"])
    _panel(ctx, "home.esc.for_me", items, line, "home.esc.empty", limit=None)
    if items and page_exists(ctx.actor.role, "rollup"):
        link("rollup", ctx.t("home.esc.to_rollup"), icon=":material/account_tree:")
