"""What every part of the meetings page shares: who may run or publish, labels of meeting statuses
and outcomes, the message after a write, the ?meeting= switch. User text is escaped by ui.plain."""
from __future__ import annotations

import streamlit as st

from ...model.roles import Action
from ...services.permissions import may
from ..common.flash import flash

STATUS_ORDER = ("planned", "in_progress", "held", "minutes_approved", "published")


def can_run_meetings(ctx) -> bool:
    return may(ctx.actor, Action.RUN_MEETING, ctx.compound_id)


def can_publish(ctx) -> bool:
    return may(ctx.actor, Action.PUBLISH, ctx.compound_id)


def status_label(ctx, status: str) -> str:
    return ctx.t(f"meetings.status.{status}")


def outcome_label(ctx, outcome: str | None) -> str:
    return ctx.t(f"meetings.outcome.{outcome or 'none'}")


def meeting_name(ctx, meeting: dict) -> str:
    return ctx.t("meetings.name", n=meeting["number"])


def done(ctx, key: str, **values) -> None:
    """A write succeeded: say so on the next run (which re-reads everything) and rerun now."""
    flash("meetings", ctx.t(key, **values))
    st.rerun()


def open_meeting(meeting_id: int | None) -> None:
    """Button callback: the console of one meeting lives at ?meeting=<id> (shareable)."""
    if meeting_id is None:
        st.query_params.pop("meeting", None)
    else:
        st.query_params["meeting"] = str(meeting_id)
