"""议题台账 widgets: the filter form, stage counts, the selectable table with its toolbar, and the
登记新议题 form. Forms keep stable keys so a refused submission keeps what was typed."""
from __future__ import annotations

from datetime import date

import streamlit as st

from ...model.defaults import CHANNELS, PRIORITIES, RAISED_BY_KINDS
from ...model.lifecycle import Stage
from ...model.roles import Action, Role
from ...services.agenda import add_to_agenda
from ...services.clock import today
from ...services.form_keys import new_form_key
from ...services.issues import issue_number, raise_issue
from ...services.permissions import may
from ...services.register import IssueFilter
from ...services.workbench import planned_meeting
from ..common.context import attempt
from ..common.flash import flash
from ..common.issue_links import label, link, title_cell, title_column
from ..common.nav import page_exists, page_path
from ..common.ui import demo_badge, plain_strict, stage_label

F = "register_filter_"          # filter widget keys
N = "register_new_"             # 登记新议题 widget keys
GENERATION = "register_generation"   # bumped when the rows change under the table: clears its selection
FORM_KEY = "register_form_key"      # the 登记新议题 form's idempotency key (not under N: clearing keeps it)
JUST_REGISTERED = "register_form_last_title"    # the title of the last issue this form registered


def filter_form(ctx, categories: list[dict], seats: list[dict]) -> IssueFilter:
    t = ctx.t
    with st.form("register_filters"):
        first, second, third = st.columns([2, 2, 2])
        stages = first.multiselect(t("register.f.stage"), [s.value for s in Stage], key=F + "stages",
                                   format_func=lambda s: stage_label(s, ctx.lang), placeholder=t("register.f.any"))
        names = {c["id"]: c["name"] for c in categories}
        category_ids = second.multiselect(t("register.f.category"), list(names), format_func=names.get,
                                          key=F + "categories", placeholder=t("register.f.any"))
        seat_names = {s["id"]: s["name"] for s in seats}
        seat_ids = third.multiselect(t("register.f.seat"), list(seat_names), format_func=seat_names.get,
                                     key=F + "seats", placeholder=t("register.f.any"))
        first, second, third = st.columns([2, 2, 2], vertical_alignment="bottom")
        text = first.text_input(t("register.f.text"), key=F + "text", placeholder=t("register.f.text_hint"))
        raised = second.date_input(t("register.f.raised"), value=(), key=F + "raised", max_value=today(),
                                   min_value=date(2000, 1, 1), format="YYYY-MM-DD")
        overdue = third.checkbox(t("register.f.overdue"), key=F + "overdue")
        if st.form_submit_button(t("common.search"), type="primary", icon=":material/search:"):
            st.session_state["register_page"] = 1
            st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    raised = tuple(raised or ())
    return IssueFilter(stages=tuple(stages), category_ids=tuple(category_ids), seat_ids=tuple(seat_ids),
                       overdue=overdue, text=text, raised_from=raised[0] if raised else None,
                       raised_to=raised[1] if len(raised) > 1 else (raised[0] if raised else None))


STAGE_COLORS = {"collected": "gray", "deliberating": "blue", "acting": "orange", "escalated": "red",
                "publicizing": "violet", "resolved": "green", "closed": "gray"}


def stage_counts(ctx, by_stage: dict[str, int], total: int) -> None:
    """One line of badges: how the issues found spread over the stages."""
    with st.container(horizontal=True, gap="small"):
        st.badge(ctx.t("register.total_n", n=total), color="primary")
        for stage in Stage:
            st.badge(f"{stage_label(stage.value, ctx.lang)} {by_stage.get(stage.value, 0)}",
                     color=STAGE_COLORS[stage.value])


def table_key() -> str:
    return f"register_table_{st.session_state.get(GENERATION, 0)}_{st.session_state.get('register_page', 1)}"


def selected(rows: list[dict]) -> list[dict]:
    """The rows ticked in the table (its state arrives before the table is drawn again)."""
    state = st.session_state.get(table_key())
    picked = state["selection"]["rows"] if state else []
    return [rows[i] for i in picked if i < len(rows)]


def toolbar(ctx, compound_id: int, chosen: list[dict]) -> bool:
    """打开 / 列入下次会议议程 for the ticked rows. Returns True when the register changed."""
    t = ctx.t
    may_plan = may(ctx.actor, Action.RUN_MEETING, compound_id)
    meeting = planned_meeting(ctx.db, ctx.actor, compound_id) if may_plan else None
    # Buttons on the left: the table's own hover toolbar (search, download) sits at its top right.
    with st.container(horizontal=True, vertical_alignment="center"):
        opened = st.button(t("register.open"), key="register_open", disabled=not chosen,
                           icon=":material/open_in_new:")
        planned = may_plan and st.button(t("register.to_agenda"), key="register_to_agenda", disabled=not chosen,
                                         icon=":material/playlist_add:",
                                         help=t("register.to_agenda_help", n=meeting["number"]) if meeting else None)
        hint = "register.select_hint" if may_plan else "register.select_hint_read"
        st.caption(t("register.selected", n=len(chosen)) if chosen else t(hint))
    if opened:
        st.switch_page(page_path("issue"), query_params={"issue": str(chosen[0]["id"])})
    if not planned:
        return False
    if meeting is None:
        st.warning(t("register.no_planned"), icon=":material/event_busy:")
        if page_exists(ctx.actor.role, "meetings"):
            link("meetings", t("register.to_meetings"), icon=":material/groups:")
        return False
    with st.container(border=True):       # one service call per issue, each result reported under its title
        st.markdown(f"**{t('register.results', n=meeting['number'])}**")
        for row in chosen:
            st.caption(plain_strict(f"#{row['number']} {row['title']}"))
            ok, _ = attempt(ctx.lang, add_to_agenda, ctx.db, ctx.actor, meeting["id"], row["id"])
            if ok:
                st.success(t("register.added", n=meeting["number"]), icon=":material/check:")
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    return True


def issue_table(ctx, rows: list[dict]) -> None:
    t = ctx.t
    records = [{
        t("register.col.id"): r["number"],
        t("register.col.title"): title_cell(r["id"], r["title"] + demo_badge(r["demo"], ctx.lang), ctx.lang),
        t("register.col.category"): r["category"],
        t("register.col.stage"): stage_label(r["stage"], ctx.lang)
        + ("" if r["accepted_at"] else t("register.not_accepted")),
        t("register.col.raised_by"): r["raised_by_seat_name"] or label(ctx.lang, "raised_by", r["raised_by_kind"]),
        t("register.col.raised_on"): r["raised_on"],
        t("register.col.households"): r["households"],
        t("register.col.overdue"): t("register.overdue") if r["overdue"] else "",
    } for r in rows]
    if not records:
        st.info(t("register.empty"))
        return
    # Up to 20 rows in view: fewer scrollbars inside the page for a 50-row page.
    st.dataframe(records, key=table_key(), on_select="rerun", selection_mode="multi-row", hide_index=True,
                 width="stretch", height=min(len(records), 20) * 35 + 38, column_config={
                     t("register.col.id"): st.column_config.NumberColumn(format="#%d", width="small"),
                     t("register.col.title"): title_column(width="medium")})


def new_issue_form(ctx, compound_id: int, categories: list[dict], seats: list[dict]) -> None:
    """登记新议题 → raise_issue. Cleared only after it succeeds.

    A double click registers one issue: the form carries a key (FORM_KEY) that raise_issue
    remembers with the issue it creates, so a second run with the same key gets that issue back;
    the key is replaced only after success, and the 登记 button's widget key contains it, so a
    click sent from the form as it was before the success no longer counts as a submission.
    Such a late click still brings that form's fields back (a form's fields reach the server only
    with a click): a run that is not this form's submission and finds the title just registered
    in the field clears the form again."""
    t, role = ctx.t, ctx.actor.role
    form_key = st.session_state.setdefault(FORM_KEY, new_form_key())
    submitting = bool(st.session_state.get(f"register_submit_{form_key}"))
    echo = not submitting and st.session_state.get(N + "title") == st.session_state.get(JUST_REGISTERED)
    seat_names = {s["id"]: s["name"] for s in seats}
    own_seat = next((s["id"] for s in seats if s["code"] == ctx.actor.seat_code), None)
    # Every field starts from these; they are set through the state (not the widgets' value=), so
    # clearing reaches the browser too: a deleted key would leave the old text on screen.
    blank = {"title": "", "category": None, "kind": next(iter(RAISED_BY_KINDS)), "seat": own_seat,
             "channel": next(iter(CHANNELS)), "raised_on": today(), "building": "", "priority": "normal",
             "description": "", "public_summary": "", "internal_note": ""}
    clear = st.session_state.pop("register_new_clear", False) or (echo and st.session_state.get(N + "title"))
    for name, value in blank.items():
        if clear or N + name not in st.session_state:
            st.session_state[N + name] = value
    with st.form("register_new_form"):
        title = st.text_input(t("register.n.title"), key=N + "title", max_chars=120)
        first, second, third = st.columns([2, 3, 2])      # the four 提出方 choices on one line
        names = {c["id"]: c["name"] for c in categories}
        category_id = first.selectbox(t("register.f.category"), list(names), format_func=names.get,
                                      key=N + "category", placeholder=t("register.n.choose"))
        kind = second.radio(t("register.n.kind"), list(RAISED_BY_KINDS), horizontal=True, key=N + "kind",
                            format_func=lambda v: label(ctx.lang, "raised_by", v))
        seat_ids = list(seat_names)
        seat_id = third.selectbox(t("register.n.seat"), seat_ids, format_func=seat_names.get, key=N + "seat",
                                  placeholder=t("register.n.choose"), help=t("register.n.seat_help"))
        first, second, third, fourth = st.columns(4)
        channel = first.selectbox(t("register.n.channel"), list(CHANNELS), key=N + "channel",
                                  format_func=lambda v: label(ctx.lang, "channel", v))
        raised_on = second.date_input(t("register.n.raised_on"), max_value=today(),
                                      key=N + "raised_on", format="YYYY-MM-DD")
        building = third.text_input(t("register.n.building"), key=N + "building")
        priority = fourth.radio(t("register.n.priority"), list(PRIORITIES), horizontal=True,
                                key=N + "priority", format_func=lambda v: label(ctx.lang, "priority", v))
        description = st.text_area(t("register.n.description"), key=N + "description")
        left, right = st.columns(2)
        public_summary = left.text_area(t("register.n.public_summary"), key=N + "public_summary")
        internal_note = ""
        if role != Role.SEAT_REP:      # a seat rep could not read an internal note back
            internal_note = right.text_area(t("register.n.internal_note"), key=N + "internal_note")
        if st.form_submit_button(t("register.n.submit"), type="primary", icon=":material/add:",
                                 key=f"register_submit_{form_key}"):
            ok, issue_id = attempt(ctx.lang, raise_issue, ctx.db, ctx.actor, compound_id, title=title,
                                   category_id=category_id, raised_by_kind=kind, raised_by_seat_id=seat_id,
                                   channel=channel, raised_on=raised_on, building=building, priority=priority,
                                   description=description, internal_note=internal_note,
                                   public_summary=public_summary, idempotency_key=form_key)
            if ok:
                st.session_state["register_new_clear"] = True
                st.session_state[FORM_KEY] = new_form_key()      # the next issue is a new submission
                st.session_state[JUST_REGISTERED] = title
                number = issue_number(ctx.db, ctx.actor, issue_id)
                st.session_state["register_new_issue"] = (issue_id, number)
                flash("register", t("register.n.done", number=number, title=plain_strict(title.strip())))
                st.rerun()


def just_raised(ctx) -> None:
    """The link to the issue registered a moment ago (shown once, under its flash)."""
    issue_id, number = st.session_state.pop("register_new_issue", (None, None))
    if issue_id:
        link("issue", ctx.t("register.n.open", number=number), icon=":material/open_in_new:",
             query_params={"issue": str(issue_id)})
