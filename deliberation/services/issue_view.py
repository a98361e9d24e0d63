"""The whole story of one issue, for the people who work on it (internal view)."""
from __future__ import annotations

import json

from ..model.lifecycle import legal_transitions
from ..model.roles import Action, Role
from ..store import rows
from .actors import Actor
from .clock import today
from .permissions import authorize
from .lifecycle import load_issue


# Seat representatives (物业, 业委会…) read the compound's issues, but are parties to the disputes:
# residents' names, units, phones and the branch's internal notes stay with the staff.
PERSONAL_REPORT_FIELDS = ("reporter_name", "unit", "contact")


def issue_detail(db, actor: Actor, issue_id: int) -> dict:
    issue = load_issue(db, issue_id)
    authorize(db, actor, Action.READ_COMPOUND, issue["compound_id"])
    day = today().isoformat()
    category = rows(db, "SELECT name FROM categories WHERE id = ?", [issue["category_id"]])[0]["name"]
    timeline = rows(db, """
        SELECT e.*, m.number AS meeting_number FROM events e LEFT JOIN meetings m ON m.id = e.meeting_id
        WHERE e.issue_id = ? ORDER BY e.id""", [issue_id])
    for event in timeline:
        event["data"] = json.loads(event["data"])
    meetings = rows(db, """
        SELECT a.id AS agenda_item_id, m.id AS meeting_id, m.number, m.scheduled_at, m.status,
               a.discussion, a.decision, a.outcome
        FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
        WHERE a.issue_id = ? ORDER BY m.number""", [issue_id])
    actions = rows(db, """
        SELECT a.*, (a.status IN ('open','in_progress') AND a.due_on < ?) AS overdue
        FROM actions a WHERE a.issue_id = ? ORDER BY a.id""", [day, issue_id])
    escalations = rows(db, """
        SELECT e.*, ar.name AS area_name FROM escalations e JOIN areas ar ON ar.id = e.area_id
        WHERE e.issue_id = ? ORDER BY e.id""", [issue_id])
    reports = rows(db, "SELECT * FROM reports WHERE issue_id = ? ORDER BY id", [issue_id])
    if actor.role == Role.SEAT_REP:
        issue = {**issue, "internal_note": ""}
        reports = [{**r, **{f: "" for f in PERSONAL_REPORT_FIELDS}, "session_key": ""} for r in reports]
    feedback = rows(db, """SELECT round, rating, count(*) AS n FROM feedback WHERE issue_id = ?
                           GROUP BY round, rating ORDER BY round""", [issue_id])
    return {"issue": {**issue, "category": category}, "timeline": timeline, "meetings": meetings,
            "actions": actions, "escalations": escalations, "reports": reports, "feedback": feedback,
            "transitions": [] if any(e["answered_on"] is None for e in escalations)
                           else legal_transitions(issue["stage"])}
