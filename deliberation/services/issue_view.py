"""The whole story of one issue, for the people who work on it (internal view)."""
from __future__ import annotations

from ..model.lifecycle import legal_transitions
from ..model.roles import Action
from ..store import actions as action_store
from ..store import agenda as agenda_store
from ..store import escalations as escalation_store
from ..store import events as event_store
from ..store import issues as issue_store
from ..store import reports as report_store
from ..store import roster as roster_store
from .actors import Actor
from .clock import today
from .permissions import authorize, may

# What of a report anyone who reads the compound may see: that a household or party raised the
# issue, and when. Everything else on it (the resident's own words, name, unit, contact, the
# household code and client key behind the abuse limits) is personal: the concern form promises
# it to the compound's secretary and recorder only (Action.READ_PERSONAL). A list of what may be
# shown, not of what to hide, so a column added later stays hidden until someone decides.
REPORT_FIELDS_FOR_ALL = ("id", "issue_id", "kind", "seat_id", "created_at")


def issue_detail(db, actor: Actor, issue_id: int) -> dict:
    """The issue with its whole story. Seat representatives (物业, 业委会… often the party complained
    about) and officers get the staff's text; only the secretary and recorder get residents' words
    and contact. Seat representatives get no internal note and no 讨论情况 (READ_INTERNAL)."""
    issue = issue_store.require_issue(db, issue_id)
    authorize(db, actor, Action.READ_COMPOUND, issue["compound_id"])
    category = roster_store.get_category(db, issue["category_id"])["name"]
    escalations = escalation_store.escalations_of_issue(db, issue_id)
    reports = report_store.reports_of_issue(db, issue_id)
    timeline = event_store.events_of_issue(db, issue_id)
    meetings = agenda_store.meetings_of_issue(db, issue_id)
    if not may(actor, Action.READ_PERSONAL, issue["compound_id"]):
        reports = [{k: r[k] for k in REPORT_FIELDS_FOR_ALL} for r in reports]
        # Old `feedback` events carry the resident's comment in their data (kept: events are append-only).
        timeline = [{**e, "data": {k: v for k, v in e["data"].items() if k != "comment"}}
                    if isinstance(e.get("data"), dict) else e for e in timeline]
    if not may(actor, Action.READ_INTERNAL, issue["compound_id"]):
        issue = {**issue, "internal_note": ""}
        meetings = [{**m, "discussion": ""} for m in meetings]
    merged_into = issue_store.get_issue(db, issue["merged_into_id"]) if issue["merged_into_id"] else None
    return {"issue": {**issue, "category": category,
                      "merged_into_number": merged_into["number"] if merged_into else None},
            "timeline": timeline,
            "meetings": meetings,
            "actions": action_store.actions_of_issue(db, issue_id, today().isoformat()),
            "escalations": escalations, "reports": reports,
            # each step an escalation climbed (社区 → 街道), with the passing officer's note
            "escalation_passes": escalation_store.passes_of_issue(db, issue_id),
            "feedback": report_store.feedback_counts(db, issue_id),
            "unverified": report_store.unverified_voices(db, issue_id),     # shown apart (households.py)
            "transitions": [] if escalation_store.has_unanswered_escalation(db, issue_id)
                           else legal_transitions(issue["stage"])}
