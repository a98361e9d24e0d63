"""Running a page with AppTest and reading what it rendered, for the page tests.

`markdown_sources` are the strings Streamlit renders as Markdown (titles, captions, alerts, labels):
user text must reach them escaped. `literal_texts` are rendered verbatim (st.text, dataframe cells).
`everything` is all of it, for "this value appears nowhere" checks."""
from __future__ import annotations

import time
from pathlib import Path

from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from tests.page_session import user_id  # noqa: F401  (the privacy and XSS tests import it from here)

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "deliberation" / "web"
MARKDOWN_TYPES = {"markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
                  "toast", "exception"}
LABEL_TYPES = {"expander", "tab", "button", "form_submit_button", "page_link", "selectbox", "radio",
               "text_input", "text_area", "checkbox", "multiselect", "metric", "date_input"}


def open_page(name: str, *, user: int | None = None, query: dict | None = None, state: dict | None = None,
              idle_seconds: float = 0, timeout: float = 60, router: bool = False) -> AppTest:
    """Run deliberation/web/<name>/page.py once, signed in as `user` (a users.id) or signed out.

    router=True runs it through streamlit_app.py, for pages that link to other pages: the router runs
    once (st.navigation registers the pages; every page file is named page.py, so AppTest can only
    find one by its registered path), then switches to the page."""
    script = ROOT / "streamlit_app.py" if router else WEB / name / "page.py"
    at = AppTest.from_file(str(script), default_timeout=timeout)
    if user is not None:
        at.session_state["user_id"] = user
        at.session_state["last_seen"] = time.time() - idle_seconds
    if router:
        at.run()
        at.switch_page(f"deliberation/web/{name}/page.py")
    for key, value in (query or {}).items():
        at.query_params[key] = str(value)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()



def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def markdown_sources(at: AppTest) -> list[str]:
    found = []
    for node in _nodes(at._tree):
        kind = getattr(node, "type", None)
        if kind in MARKDOWN_TYPES:
            found.append(str(node.value))
        elif kind in LABEL_TYPES and getattr(node, "proto", None) is not None:
            found.append(getattr(node.proto, "label", ""))
    return found


def literal_texts(at: AppTest) -> list[str]:
    found = []
    for node in _nodes(at._tree):
        kind = getattr(node, "type", None)
        if kind in ("text", "code"):
            found.append(str(node.value))
        elif kind in ("dataframe", "arrow_data_frame", "table"):
            frame = node.value
            found += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return found


def everything(at: AppTest) -> str:
    """Every string the page sent to the browser: element protos (utf-8) and dataframe contents."""
    parts = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        if getattr(node, "type", None) in ("dataframe", "arrow_data_frame", "table"):
            parts.append(node.value.to_csv())
    return "\n".join(parts)
