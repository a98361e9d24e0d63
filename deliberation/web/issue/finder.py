"""议题详情 opened without ?issue= (from the menu): find one of the compound's issues by its number
or words of its title and open it, instead of a dead end. The search is the register's (number,
title, description); the newest issues are listed before anything is typed."""
from __future__ import annotations

import streamlit as st

from ...services.register import IssueFilter, list_issues
from ..common.context import attempt
from ..common.issue_links import issue_link, label
from ..common.ui import demo_badge, plain_strict, stage_label

SHOWN = 20


def issue_finder(ctx) -> None:
    t = ctx.t
    text = st.text_input(t("register.find.label"), key="issue_find_text", placeholder=t("register.find.hint"),
                         max_chars=60)
    ok, found = attempt(ctx.lang, list_issues, ctx.db, ctx.actor, ctx.compound_id,
                        IssueFilter(text=text.strip()), page=1, page_size=SHOWN)
    if not ok:
        return
    if not found.rows:
        st.info(t("register.find.none") if text.strip() else t("register.empty"))
        return
    st.caption(t("register.find.found", n=found.total, shown=len(found.rows)) if text.strip()
               else t("register.find.latest", n=len(found.rows)))
    for row in found.rows:
        issue_link(row["id"], f"#{row['number']} {row['title']}{demo_badge(row['demo'], ctx.lang)}")
        st.caption(plain_strict(" · ".join(part for part in (
            stage_label(row["stage"], ctx.lang), row["category"], row["raised_on"],
            row["raised_by_seat_name"] or label(ctx.lang, "raised_by", row["raised_by_kind"])) if part)))
