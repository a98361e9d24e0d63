"""The whole story of one issue, for the people who work on it (internal view)."""
from __future__ import annotations

from ..model.lifecycle import legal_transitions
from ..model.roles import Action, Role
from ..store import actions as action_store
from ..store import agenda as agenda_store
from ..store import escalations as escalation_store
from ..store import events as event_store
from ..store import issues as issue_store
from ..store import reports as report_store
from ..store import roster as roster_store
from .actors import Actor
from .clock import today
from .permissions import authorize

# Seat representatives (物业, 业委会…) read the compound's issues, but are parties to the disputes:
# residents' names, units, phones and the branch's internal notes stay with the staff.
PERSONAL_REPORT_FIELDS = ("reporter_name", "unit", "contact")


def issue_detail(db, actor: Actor, issue_id: int) -> dict:
    issue = issue_store.require_issue(db, issue_id)
    authorize(db, actor, Action.READ_COMPOUND, issue["compound_id"])
    category = roster_store.get_category(db, issue["category_id"])["name"]
    escalations = escalation_store.escalations_of_issue(db, issue_id)
    reports = report_store.reports_of_issue(db, issue_id)
    if actor.role == Role.SEAT_REP:
        issue = {**issue, "internal_note": ""}
        reports = [{**r, **{f: "" for f in PERSONAL_REPORT_FIELDS}, "session_key": ""} for r in reports]
    return {"issue": {**issue, "category": category},
            "timeline": event_store.events_of_issue(db, issue_id),
            "meetings": agenda_store.meetings_of_issue(db, issue_id),
            "actions": action_store.actions_of_issue(db, issue_id, today().isoformat()),
            "escalations": escalations, "reports": reports,
            "feedback": report_store.feedback_counts(db, issue_id),
            "transitions": [] if any(e["answered_on"] is None for e in escalations)
                           else legal_transitions(issue["stage"])}
