"""议题详情, 上报: each escalation as it climbed the ladder (社区 → 街道) — the request, every officer's
note passing it up, and the answer in full (not a cut-off table cell) — and, at the top of the
page, the answer that came back. Typed text is shown with st.text (literal)."""
from __future__ import annotations

from datetime import date

import streamlit as st

from ...services.clock import today
from ..common.ui import level_label, plain, plain_strict


def _first_area(escalation: dict, passes: list[dict]) -> str:
    """The area the compound sent it to (it may have been passed up since)."""
    return passes[0]["from_area"] if passes else escalation["area_name"]


def escalation_panel(ctx, detail: dict) -> None:
    t = ctx.t
    if not detail["escalations"]:
        st.caption(t("issue.esc.none"))
        return
    for e in detail["escalations"]:
        passes = [p for p in detail.get("escalation_passes", []) if p["escalation_id"] == e["id"]]
        with st.container(border=True):
            st.markdown("**" + plain_strict(t("issue.esc.sent", day=e["requested_on"],
                                               area=_first_area(e, passes))) + "**")
            st.caption(t("issue.esc.request"))
            st.text(e["request"])
            for p in passes:
                st.markdown(":material/arrow_upward: " + plain_strict(t(
                    "issue.esc.passed", day=p["passed_on"], from_area=p["from_area"], to_area=p["to_area"],
                    who=p["passed_by_label"] or "—")))
                st.text(p["note"])
            _outcome(ctx, e)


def _outcome(ctx, e: dict) -> None:
    t = ctx.t
    if e["answered_on"]:
        st.markdown(":material/check_circle: **" + plain_strict(t("issue.esc.answered", day=e["answered_on"],
                                                                   area=e["area_name"])) + "**")
        st.text(e["answer"] or "")
        if e.get("answered_level"):
            st.caption(t("issue.esc.counted", level=level_label(_counted(e["answered_level"]), ctx.lang)))
    elif e.get("withdrawn_on"):
        st.caption(t("issue.esc.withdrawn", day=e["withdrawn_on"]))
    else:
        days = (today() - date.fromisoformat(e["requested_on"])).days
        st.info(plain_strict(t("issue.esc.waiting", area=e["area_name"], days=days)), icon=":material/hourglass_top:")


def _counted(level: str) -> str:
    """The 721 figure has three levels: a 区 answer counts with 街道 (services/escalation._fix_level)."""
    return "subdistrict" if level == "district" else level


def answer_banner(ctx, detail: dict) -> None:
    """The latest answer from above, at the top of the page, while the issue acts on it."""
    answered = [e for e in detail["escalations"] if e["answered_on"]]
    if not answered or detail["issue"]["stage"] not in ("acting", "publicizing"):
        return
    latest = answered[-1]
    if any(e["id"] > latest["id"] for e in detail["escalations"]):
        return                                      # escalated again since: that one is the news
    banner = plain_strict(ctx.t("issue.esc.banner", area=latest["area_name"], day=latest["answered_on"]))
    st.success(f"**{banner}**  \n{plain(latest['answer'] or '')}", icon=":material/mark_chat_read:")
