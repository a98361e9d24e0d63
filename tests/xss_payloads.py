"""Script and link payloads written into every free-text field of 鸿翔花园 through the services:
shared by the AppTest (tests/test_xss.py) and the browser (tests/e2e/test_xss_browser.py) checks."""
from __future__ import annotations

from deliberation.services.concerns import raise_concern
from deliberation.services.actors import SYSTEM
from deliberation.services.issues import raise_issue
from deliberation.services.meetings import approve_minutes, publish_minutes
from deliberation.services.publicity import give_feedback, publish_result
from deliberation.services.roster import add_member
from tests.factories import category_id, held_meeting_with_quorum, seat_id

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))")
FIELDS = ("title", "description", "summary", "concern", "comment", "meeting", "decision", "member")
HONGXIANG = 1


def tagged(payload: str, field: str) -> str:
    """The payload with the field's name, so a test can tell which field showed it."""
    return f"{payload}{field}"


def seed(db, payload: str) -> dict:
    """Every free-text field filled with the payload: a member, an issue decided in a meeting whose
    minutes and result are published, a resident's rating comment and a resident's concern."""
    p = {field: tagged(payload, field) for field in FIELDS}
    add_member(db, SYSTEM, HONGXIANG, seat_id(db, HONGXIANG, "cobuilding"), p["member"])
    issue_id = raise_issue(db, SYSTEM, HONGXIANG, title=p["title"], description=p["description"],
                           category_id=category_id(db, HONGXIANG), raised_by_kind="patrol", public_summary=p["summary"])
    meeting_id = held_meeting_with_quorum(db, SYSTEM, HONGXIANG,
                                          {issue_id: {"outcome": "actions", "decision": p["decision"]}})
    approve_minutes(db, SYSTEM, meeting_id)
    publish_minutes(db, SYSTEM, meeting_id, p["meeting"])
    publish_result(db, SYSTEM, issue_id, summary=p["summary"])
    give_feedback(db, issue_id, "unsatisfied", p["comment"], session_key=f"xss-{payload}")
    concern_id = raise_concern(db, HONGXIANG, category_id=category_id(db, HONGXIANG, "噪音"), description=p["concern"],
                               session_key=f"xss-{payload}")
    return {"texts": p, "issue": issue_id, "meeting": meeting_id, "concern": concern_id}
