"""工作台 cues (issue 13, item 9): what waits for this user, each a link to where they act.
Which cues a user gets is decided in services/workbench.cues (their role's rights)."""
from __future__ import annotations

import streamlit as st

from ...services.workbench import cues, visit_workbench
from ..common.issue_links import issue_link, link, short_time
from ..common.nav import page_exists
from ..common.ui import demo_badge, plain_strict

_SINCE_KEY = "home_cues_since"          # the previous visit, read once per browser session


def cues_panel(ctx) -> None:
    if _SINCE_KEY not in st.session_state:
        st.session_state[_SINCE_KEY] = visit_workbench(ctx.db, ctx.actor)
    found = cues(ctx.db, ctx.actor, ctx.compound_id, since=st.session_state[_SINCE_KEY])
    if not found:
        return
    t = ctx.t
    with st.container(border=True):
        st.markdown(f"#### {t('home.cues.title')}({len(found)})")
        for cue in found:
            text = t(f"home.cues.{cue.kind}", n=cue.number, title=cue.title, when=short_time(cue.when))
            text += demo_badge(cue.demo, ctx.lang)
            if cue.issue_id is not None:
                issue_link(cue.issue_id, text, icon=":material/notifications:")    # escapes the title
            elif page_exists(ctx.actor.role, "meetings"):
                link("meetings", plain_strict(text), icon=":material/notifications:",
                     query_params={"meeting": str(cue.meeting_id)})
