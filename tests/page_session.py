"""Open one page of the real app in AppTest, signed in as a demo account.

Pages run through the router (streamlit_app.py → st.navigation), as in the browser: a page that
links to another page with st.page_link only works when both are registered there."""
from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from deliberation.store import one

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "streamlit_app.py")
TIMEOUT_S = 120      # a generous ceiling for a slow CI machine, not a timing assertion


def user_id(db, username: str) -> int:
    return one(db, "SELECT id FROM users WHERE username = ?", [username])["id"]


def open_page(page: str, uid: int | None, **query) -> AppTest:
    """`page` is a page's folder under deliberation/web (its page.py); `query` becomes ?k=v."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if uid is not None:
        at.session_state["user_id"] = uid
        at.session_state["last_seen"] = time.time()
    at.run()
    for key, value in query.items():
        at.query_params[key] = str(value)
    return at.switch_page(f"deliberation/web/{page}/page.py").run()


def open_page_on(db_path, monkeypatch, page: str, username: str, *, router: bool = True,
                 state: dict | None = None, **query) -> AppTest:
    """`page` signed in as `username`, on the database file `db_path` (DELIBERATION_DB)."""
    from deliberation.store import open_db
    from tests.page_output import open_page as run_page
    monkeypatch.setenv("DELIBERATION_DB", str(db_path))
    db = open_db(db_path)
    try:
        uid = user_id(db, username)
    finally:
        db.close()
    return run_page(page, user=uid, query=query, state=state, router=router)


def button(at: AppTest, label: str):
    """The button with this label (first one)."""
    return next(b for b in at.button if b.label == label)


def open_signed_out(page: str) -> AppTest:
    """A visitor without a session: the page file itself, as a direct URL would reach it."""
    return AppTest.from_file(str(REPO / "deliberation" / "web" / page / "page.py"),
                             default_timeout=TIMEOUT_S).run()


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, captions, alerts, metrics, tables), for `in` checks."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                 "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [p.proto.label for p in at.get("page_link")]
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    return "\n".join(parts).replace("\\", "")


def expand(at: AppTest, key: str) -> AppTest:
    """Open a lazy expander (ui.lazy_expander) the way a click on its header does: the page reruns
    and builds what is inside."""
    at.session_state[key] = True
    return at.run()
