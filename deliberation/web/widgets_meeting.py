"""What every part of the meetings page shares: labels of meeting statuses and outcomes, the
flash message that survives the rerun after a write. User text is escaped by ui.plain."""
from __future__ import annotations

import streamlit as st

from ..model.roles import Action, role_may
from .widgets_issues import issue_link, page_exists

STATUS_ORDER = ("planned", "in_progress", "held", "minutes_approved", "published")


def can_run_meetings(ctx) -> bool:
    return role_may(ctx.actor.role, Action.RUN_MEETING)


def can_publish(ctx) -> bool:
    return role_may(ctx.actor.role, Action.PUBLISH)


def status_label(ctx, status: str) -> str:
    return ctx.t(f"meetings.status.{status}")


def outcome_label(ctx, outcome: str | None) -> str:
    return ctx.t(f"meetings.outcome.{outcome or 'none'}")


def meeting_name(ctx, meeting: dict) -> str:
    return ctx.t("meetings.name", n=meeting["number"])


def done(ctx, key: str, **values) -> None:
    """A write succeeded: say so on the next run (which re-reads everything) and rerun now."""
    st.session_state["meetings_flash"] = ctx.t(key, **values)
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop("meetings_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def open_meeting(meeting_id: int | None) -> None:
    """Button callback: the console of one meeting lives at ?meeting=<id> (shareable)."""
    if meeting_id is None:
        st.query_params.pop("meeting", None)
    else:
        st.query_params["meeting"] = str(meeting_id)


def schedule_rule_text(ctx, rule) -> str:
    """The standing "3 fixed" rule in the reader's language, e.g. 每月第二个周二 19:00."""
    return ctx.t("meetings.rule_fmt", nth=ctx.t(f"meetings.nth.{rule.nth}"),
                 weekday=ctx.t(f"meetings.weekday.{rule.weekday}"), at=f"{rule.at:%H:%M}")


def link_to_issue(ctx, issue_id: int, title: str | None = None) -> None:
    """A link to 议题详情 (the issue's timeline and actions), once that page exists for the role."""
    if not page_exists(ctx.actor.role, "issue.py"):
        return
    text = f"#{issue_id} {title}" if title else ctx.t("meetings.open_issue", id=issue_id)
    issue_link(issue_id, text, icon=":material/open_in_new:")       # escapes the (user) title
