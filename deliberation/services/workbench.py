"""The secretary's 工作台: what needs doing next in one compound, read in one go."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..model.roles import Action
from ..store import meetings as meeting_store
from ..store import workbench as workbench_store
from ..store import write
from ..store.db import DiskFull
from .actors import Actor
from .agenda import propose_agenda
from .clock import now, stamp, today
from .compounds import get_compound
from .escalation import pending_escalations
from .meetings import next_meeting_time
from .permissions import authorize, may
from .response_clock import WaitingConcern, concerns_on_the_clock


@dataclass(frozen=True)
class NextMeeting:
    """The meeting already planned, or else the date the standing "3 fixed" rule gives."""
    scheduled_at: datetime
    place: str
    rule_label: str
    number: int
    meeting_id: int | None          # None: nothing planned yet, only the standing rule says when
    status: str | None = None       # 'planned' or 'in_progress' when a meeting row exists

    @property
    def planned(self) -> bool:
        return self.meeting_id is not None


@dataclass(frozen=True)
class Workbench:
    next_meeting: NextMeeting
    concerns_to_accept: list[dict]  # residents' concerns from the board, not yet accepted
    agenda_waiting: list[dict]      # propose_agenda rows: carry_over / waiting / overdue_actions
    overdue_actions: list[dict]
    closing_windows: list[dict]     # issues in 公示 with days_left and objections so far
    open_escalations: list[dict]    # this compound's escalations still waiting for an answer
    # residents' concerns unanswered near or past the compound's response limit, most urgent first
    response_clock: list[WaitingConcern] = ()


def planned_meeting(db, actor: Actor, compound_id: int) -> dict | None:
    """The next meeting that is planned but not yet opened (the one new agenda items go to)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return meeting_store.next_planned_meeting(db, compound_id)


def next_meeting(db, actor: Actor, compound_id: int) -> NextMeeting:
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    compound = get_compound(db, compound_id)
    # A meeting under way is "the next meeting" until it is finished.
    current = meeting_store.current_or_planned_meeting(db, compound_id)
    if current is not None:
        return NextMeeting(scheduled_at=datetime.fromisoformat(current["scheduled_at"]), place=current["place"],
                           rule_label=compound.schedule.label, number=current["number"],
                           meeting_id=current["id"], status=current["status"])
    last = meeting_store.next_meeting_number(db, compound_id) - 1
    # Counted from the last meeting held (one held early has used its slot): meetings.next_meeting_time.
    return NextMeeting(scheduled_at=next_meeting_time(db, actor, compound_id), place=compound.place,
                       rule_label=compound.schedule.label, number=last + 1, meeting_id=None)


def overdue_actions(db, actor: Actor, compound_id: int) -> list[dict]:
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    day = today()
    found = workbench_store.actions_overdue_on(db, compound_id, day.isoformat())
    for r in found:
        r["days_overdue"] = (day - date.fromisoformat(r["due_on"])).days
    return found


def closing_windows(db, actor: Actor, compound_id: int) -> list[dict]:
    """Issues in 公示监督, the window closing first on top; days_left < 0 means it awaits 办结."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    day = today()
    found = workbench_store.issues_in_publicity(db, compound_id)
    for r in found:
        r["days_left"] = (date.fromisoformat(r["objection_closes_on"]) - day).days if r["objection_closes_on"] else None
    return found


def open_escalations(db, actor: Actor, compound_id: int) -> list[dict]:
    """Escalations from this compound still waiting for the community's or subdistrict's answer."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    day = today()
    found = workbench_store.unanswered_escalations(db, compound_id)
    for r in found:
        r["days_waiting"] = (day - date.fromisoformat(r["requested_on"])).days
    return found


def _with_demo_flags(db, found: list[dict], id_column: str) -> list[dict]:
    """Add each row's issue `demo` flag (the page badges demo records) and its per-compound
    `number` (what the page shows: residents quote numbers, never database ids)."""
    facts = workbench_store.numbers_and_demo_flags(db, [r[id_column] for r in found])
    for r in found:
        r["demo"] = facts[r[id_column]]["demo"] if r[id_column] in facts else 0
        r["number"] = facts[r[id_column]]["number"] if r[id_column] in facts else None
    return found


def agenda_waiting(db, actor: Actor, compound_id: int) -> list[dict]:
    """propose_agenda's rows (carry_over / waiting / overdue_actions) with demo flags."""
    return _with_demo_flags(db, propose_agenda(db, actor, compound_id), "id")


def escalations_for_me(db, actor: Actor) -> list[dict]:
    """An officer's inbox: escalations addressed to their area (any compound under it), oldest first."""
    authorize(db, actor, Action.ANSWER_ESCALATION)
    day = today()
    found = _with_demo_flags(db, pending_escalations(db, actor), "issue_id")
    for r in found:
        r["days_waiting"] = (day - date.fromisoformat(r["requested_on"])).days
    return found


def concerns_to_accept(db, actor: Actor, compound_id: int) -> list[dict]:
    """Residents' concerns waiting to be accepted (受理) before they can go on an agenda."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return workbench_store.concerns_waiting_acceptance(db, compound_id)


def workbench(db, actor: Actor, compound_id: int) -> Workbench:
    return Workbench(next_meeting=next_meeting(db, actor, compound_id),
                     concerns_to_accept=concerns_to_accept(db, actor, compound_id),
                     agenda_waiting=agenda_waiting(db, actor, compound_id),
                     overdue_actions=overdue_actions(db, actor, compound_id),
                     closing_windows=closing_windows(db, actor, compound_id),
                     open_escalations=open_escalations(db, actor, compound_id),
                     response_clock=concerns_on_the_clock(db, actor, compound_id))


# --- cues: what waits for this user (issue 13, item 9) ----------------------------------------

# With no earlier visit on record, answers of the last week count as new.
FIRST_VISIT_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class Cue:
    """One thing waiting for the user, and where they act on it: an issue (`issue_id`) or a
    meeting (`meeting_id`). `kind`: to_publicize, minutes_to_approve, minutes_to_publish,
    answer_arrived, meeting_open."""
    kind: str
    number: int
    title: str = ""
    issue_id: int | None = None
    meeting_id: int | None = None
    when: str = ""
    demo: int = 0


def visit_workbench(db, actor: Actor) -> str | None:
    """Record that the user is looking at the 工作台 now; returns their previous visit's stamp
    (None: never before). The page calls it once per session, so a rerun does not hide the
    answers that arrived since the visit before."""
    authorize(db, actor, Action.READ_COMPOUND)
    if actor.user_id is None:
        return None
    try:
        with write(db):
            previous = workbench_store.last_visit(db, actor.user_id)
            workbench_store.set_last_visit(db, actor.user_id, stamp())
    except DiskFull:            # the 工作台 is a read page: on a full disk it shows, the visit is not kept
        return workbench_store.last_visit(db, actor.user_id)
    return previous


def cues(db, actor: Actor, compound_id: int, *, since: str | None) -> list[Cue]:
    """What waits for this user in the compound, only what their role lets them act on:
    results to put into 公示 and minutes to approve or publish (the publish right), meetings
    started but not finished (running meetings), answers from above since `since` (moving
    the issue on)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    found: list[Cue] = []
    if may(actor, Action.PUBLISH, compound_id):
        found += [Cue("to_publicize", r["number"], r["title"], issue_id=r["id"], when=r["done_on"] or "",
                      demo=r["demo"]) for r in workbench_store.issues_with_all_actions_done(db, compound_id)]
        found += [Cue("minutes_to_approve" if m["status"] == "held" else "minutes_to_publish", m["number"],
                      meeting_id=m["id"], when=m["ended_at"] or m["scheduled_at"], demo=m["demo"])
                  for m in workbench_store.meetings_in_status(db, compound_id, ("held", "minutes_approved"))]
    if may(actor, Action.RUN_MEETING, compound_id):
        found += [Cue("meeting_open", m["number"], meeting_id=m["id"], when=m["started_at"] or m["scheduled_at"],
                      demo=m["demo"])
                  for m in workbench_store.meetings_in_status(db, compound_id, ("in_progress",))]
    if may(actor, Action.TRANSITION_ISSUE, compound_id):
        after = since or (now() - FIRST_VISIT_LOOKBACK).isoformat(sep=" ")
        found += [Cue("answer_arrived", r["number"], r["title"], issue_id=r["issue_id"], when=r["answered_at"],
                      demo=r["demo"]) for r in workbench_store.answers_since(db, compound_id, after)]
    return found
