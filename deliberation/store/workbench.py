"""The secretary's 工作台: what needs doing next in one compound."""
from __future__ import annotations

import json

from .db import rows, scalar
from .issues import LIVE


def actions_overdue_on(db, compound_id: int, day: str) -> list[dict]:
    """Actions not done and due before `day` (ISO date), earliest due first, with their issue's title."""
    return rows(db, """
        SELECT a.id, a.issue_id, a.seat_name, a.task, a.due_on, a.status, i.title AS issue_title, i.number, i.demo
        FROM actions a JOIN issues i ON i.id = a.issue_id
        WHERE i.compound_id = ? AND a.status IN ('open', 'in_progress') AND a.due_on < ?
        ORDER BY a.due_on, a.id""", [compound_id, day])


def issues_in_publicity(db, compound_id: int) -> list[dict]:
    """Live issues in 公示监督 with the compound's threshold and this round's objections so far,
    the window closing first on top."""
    return rows(db, f"""
        SELECT i.id, i.number, i.title, i.demo, i.objection_closes_on, i.publication_round, c.objection_threshold,
          (SELECT count(*) FROM feedback f WHERE f.issue_id = i.id AND f.round = i.publication_round
             AND f.rating = 'unsatisfied') AS objections
        FROM issues i JOIN compounds c ON c.id = i.compound_id
        WHERE i.compound_id = ? AND i.stage = 'publicizing' AND {LIVE}
        ORDER BY i.objection_closes_on, i.id""", [compound_id])


def unanswered_escalations(db, compound_id: int) -> list[dict]:
    """The compound's escalations still waiting for an answer, oldest request first."""
    return rows(db, """
        SELECT e.id, e.issue_id, e.level_to, e.request, e.requested_on, a.name AS area_name,
               i.title, i.number, i.demo
        FROM escalations e JOIN issues i ON i.id = e.issue_id JOIN areas a ON a.id = e.area_id
        WHERE i.compound_id = ? AND e.answered_on IS NULL AND e.withdrawn_on IS NULL
        ORDER BY e.requested_on, e.id""", [compound_id])


def numbers_and_demo_flags(db, issue_ids: list[int]) -> dict[int, dict]:
    """{issue id: {number, demo}} of the given issues."""
    if not issue_ids:
        return {}
    return {r["id"]: r for r in rows(
        db, "SELECT id, number, demo FROM issues WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(issue_ids)])}


def concerns_waiting_acceptance(db, compound_id: int) -> list[dict]:
    """Live issues collected but not yet accepted (受理), oldest first, with how many households reported each."""
    return rows(db, f"""
        SELECT i.id, i.number, i.title, i.raised_on, i.building, i.demo, c.name AS category,
               (SELECT count(*) FROM reports r WHERE r.issue_id = i.id) AS households
        FROM issues i JOIN categories c ON c.id = i.category_id
        WHERE i.compound_id = ? AND i.stage = 'collected' AND i.accepted_at IS NULL AND {LIVE}
        ORDER BY i.raised_on, i.id""", [compound_id])


# --- cues: what waits for the user (issue 13, item 9) -----------------------------------------

def issues_with_all_actions_done(db, compound_id: int) -> list[dict]:
    """Live issues in 合力干事 whose tasks are all finished (at least one done, none open):
    the result can go into 公示. Oldest finish first."""
    return rows(db, f"""
        SELECT i.id, i.number, i.title, i.demo, max(a.done_on) AS done_on
        FROM issues i JOIN actions a ON a.issue_id = i.id
        WHERE i.compound_id = ? AND i.stage = 'acting' AND {LIVE}
        GROUP BY i.id
        HAVING sum(a.status IN ('open', 'in_progress')) = 0 AND sum(a.status = 'done') > 0
        ORDER BY done_on, i.id""", [compound_id])


def meetings_in_status(db, compound_id: int, statuses: tuple[str, ...]) -> list[dict]:
    """The compound's meetings in these statuses, oldest first."""
    return rows(db, """
        SELECT id, number, status, scheduled_at, started_at, ended_at, demo FROM meetings
        WHERE compound_id = ? AND status IN (SELECT value FROM json_each(?))
        ORDER BY scheduled_at, id""", [compound_id, json.dumps(list(statuses))])


def answers_since(db, compound_id: int, since: str) -> list[dict]:
    """Answers to the compound's escalations recorded after `since` (a stamp), newest first."""
    return rows(db, """
        SELECT e.issue_id, max(e.created_at) AS answered_at, i.number, i.title, i.demo
        FROM events e JOIN issues i ON i.id = e.issue_id
        WHERE e.compound_id = ? AND e.kind = 'escalation_answered' AND e.created_at > ?
        GROUP BY e.issue_id
        ORDER BY answered_at DESC, e.issue_id""", [compound_id, since])


def last_visit(db, user_id: int) -> str | None:
    return scalar(db, "SELECT seen_at FROM workbench_visits WHERE user_id = ?", [user_id])


def set_last_visit(db, user_id: int, seen_at: str) -> None:
    db.execute("""INSERT INTO workbench_visits (user_id, seen_at) VALUES (?, ?)
                  ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at""", [user_id, seen_at])
