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


def feedback_counts(db, issue_id: int) -> list[dict]:
    """[{round, rating, n}] of the issue, by publication round: households' ratings (given with a
    household code, one per household). Ratings without a code: unverified_voices."""
    return rows(db, """SELECT round, rating, count(*) AS n FROM feedback WHERE issue_id = ?
                       AND household_code_id IS NOT NULL GROUP BY round, rating ORDER BY round""", [issue_id])


# --- household codes and abuse limits (services/households.py, services/concerns.py) -----------

def household_reported_issue(db, issue_id: int, household_code_id: int) -> bool:
    return bool(scalar(db, "SELECT count(*) FROM reports WHERE issue_id = ? AND household_code_id = ?",
                       [issue_id, household_code_id]))


def household_rating(db, issue_id: int, publication_round: int, household_code_id: int) -> dict | None:
    """The household's rating of this publication round, if it gave one."""
    found = rows(db, """SELECT * FROM feedback WHERE issue_id = ? AND round = ? AND household_code_id = ?
                        ORDER BY id LIMIT 1""", [issue_id, publication_round, household_code_id])
    return found[0] if found else None


def replace_rating(db, feedback_id: int, values: dict) -> None:
    db["feedback"].update(feedback_id, values)


def count_unsatisfied_households(db, issue_id: int, publication_round: int) -> int:
    """Households (with a valid code) whose rating of this round is 不满意: the reopen count.
    Voices without a code never count."""
    return scalar(db, """SELECT count(DISTINCT household_code_id) FROM feedback WHERE issue_id = ? AND round = ?
                         AND rating = 'unsatisfied' AND household_code_id IS NOT NULL""",
                  [issue_id, publication_round])


def unverified_voices(db, issue_id: int) -> dict:
    """Voices on the issue left without a household code: residents' reports (我也遇到 or the
    first report) and ratings of the current publication round."""
    reports = scalar(db, """SELECT count(*) FROM reports WHERE issue_id = ? AND kind = 'resident'
                            AND household_code_id IS NULL""", [issue_id])
    ratings = scalar(db, """SELECT count(*) FROM feedback f JOIN issues i ON i.id = f.issue_id
                            WHERE f.issue_id = ? AND f.round = i.publication_round
                            AND f.household_code_id IS NULL""", [issue_id])
    return {"reports": reports, "ratings": ratings}


def board_writes_since(db, *, since: str, client_key: str | None = None,
                       household_code_id: int | None = None) -> dict:
    """{n, oldest}: residents' reports and ratings sent since `since` by one client or one
    household; `oldest` tells when the window frees a place."""
    column, value = ("client_key", client_key) if client_key is not None else ("household_code_id", household_code_id)
    row = rows(db, f"""SELECT count(*) AS n, min(created_at) AS oldest FROM (
                           SELECT created_at FROM reports WHERE {column} = ? AND kind = 'resident' AND created_at >= ?
                           UNION ALL
                           SELECT created_at FROM feedback WHERE {column} = ? AND created_at >= ?)""",
               [value, since, value, since])[0]
    return row


# --- receipts ("where is my concern", services/tracking.py) ------------------------------------

def first_report_id(db, issue_id: int) -> int | None:
    """The id of the issue's first report (the one that raised it)."""
    return scalar(db, "SELECT min(id) FROM reports WHERE issue_id = ?", [issue_id])


def issue_has_receipt(db, issue_id: int, receipt_hash: str) -> bool:
    """Whether a report of the issue (moved with it when merged) carries this receipt's hash."""
    return bool(scalar(db, "SELECT count(*) FROM reports WHERE issue_id = ? AND receipt_hash = ?",
                       [issue_id, receipt_hash]))
