"""Reports of an issue (one per household or party that raised it) and residents' feedback
(满意/不满意) on a published result. Reports carry personal fields (reporter_name, unit,
contact): only staff reads return them."""
from __future__ import annotations

from .db import rows, scalar


def insert_report(db, values: dict) -> None:
    db["reports"].insert(values)


def insert_reports(db, values: list[dict]) -> None:
    db["reports"].insert_all(values)


def move_reports(db, from_issue_id: int, to_issue_id: int) -> None:
    """A merged duplicate's households count towards the issue it joined."""
    db.execute("UPDATE reports SET issue_id = ? WHERE issue_id = ?", [to_issue_id, from_issue_id])


def reports_of_issue(db, issue_id: int) -> list[dict]:
    """Every report of the issue, oldest first, personal fields included (staff only)."""
    return rows(db, "SELECT * FROM reports WHERE issue_id = ? ORDER BY id", [issue_id])


def count_resident_reports_of_session(db, session_key: str, since: str) -> int:
    """Residents' reports sent from one browser session since `since`."""
    return scalar(db, """SELECT count(*) FROM reports WHERE session_key = ? AND kind = 'resident'
                         AND created_at >= ?""", [session_key, since])


def count_resident_reports_in_compound(db, compound_id: int, since: str) -> int:
    """Residents' reports (from the board: with a session key) in a compound since `since`."""
    return scalar(db, """SELECT count(*) FROM reports r JOIN issues i ON i.id = r.issue_id
                         WHERE i.compound_id = ? AND r.kind = 'resident' AND r.session_key != ''
                         AND r.created_at >= ?""", [compound_id, since])


def session_reported_issue(db, issue_id: int, session_key: str) -> bool:
    return bool(scalar(db, "SELECT count(*) FROM reports WHERE issue_id = ? AND session_key = ?",
                       [issue_id, session_key]))


# --- feedback on a published result (one row per household and publication round) -------------

def insert_feedback(db, values: dict) -> None:
    db["feedback"].insert(values)


def session_rated_round(db, issue_id: int, publication_round: int, session_key: str) -> bool:
    return bool(scalar(db, "SELECT count(*) FROM feedback WHERE issue_id = ? AND round = ? AND session_key = ?",
                       [issue_id, publication_round, session_key]))


def count_unsatisfied(db, issue_id: int, publication_round: int) -> int:
    return scalar(db, "SELECT count(*) FROM feedback WHERE issue_id = ? AND round = ? AND rating = 'unsatisfied'",
                  [issue_id, publication_round])


def feedback_counts(db, issue_id: int) -> list[dict]:
    """[{round, rating, n}] of the issue, by publication round."""
    return rows(db, """SELECT round, rating, count(*) AS n FROM feedback WHERE issue_id = ?
                       GROUP BY round, rating ORDER BY round""", [issue_id])
