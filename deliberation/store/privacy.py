"""Redaction and erasure of stored text (services/privacy.py). The tables and columns that may be
redacted are fixed here; values only ever go in as parameters."""
from __future__ import annotations

from .db import one, rows, scalar

# kind -> (table, redactable columns, SQL giving the row's compound id from its id)
REDACTABLE: dict[str, tuple[str, frozenset[str], str]] = {
    "issue": ("issues", frozenset({"title", "description", "location", "internal_note", "public_summary",
                                   "public_reply"}),
              "SELECT compound_id FROM issues WHERE id = ?"),
    "escalation": ("escalations", frozenset({"request", "answer"}),
                   "SELECT i.compound_id FROM escalations x JOIN issues i ON i.id = x.issue_id WHERE x.id = ?"),
    "escalation_pass": ("escalation_passes", frozenset({"note"}),
                        "SELECT i.compound_id FROM escalation_passes p JOIN issues i ON i.id = p.issue_id WHERE p.id = ?"),
    "agenda_item": ("agenda_items", frozenset({"discussion", "decision", "public_summary"}),
                    "SELECT m.compound_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = ?"),
    "note": ("notes", frozenset({"text"}),
             "SELECT i.compound_id FROM notes n JOIN issues i ON i.id = n.issue_id WHERE n.id = ?"),
    "action": ("actions", frozenset({"task", "note"}),
               "SELECT i.compound_id FROM actions a JOIN issues i ON i.id = a.issue_id WHERE a.id = ?"),
    "report": ("reports", frozenset({"reporter_name", "unit", "contact", "words"}),
               "SELECT i.compound_id FROM reports r JOIN issues i ON i.id = r.issue_id WHERE r.id = ?"),
    "feedback": ("feedback", frozenset({"comment"}),
                 "SELECT i.compound_id FROM feedback f JOIN issues i ON i.id = f.issue_id WHERE f.id = ?"),
}
_VERSIONED = {"issues", "actions"}       # a form opened before the redaction must not write the value back
_ISSUE_OF = {"issues": "id", "escalations": "issue_id", "escalation_passes": "issue_id", "notes": "issue_id",
             "actions": "issue_id",
             "reports": "issue_id", "feedback": "issue_id", "agenda_items": "issue_id"}

# `words`: the resident's own description, kept on the report since m016 (Part C).
PERSONAL_REPORT_FIELDS = ("reporter_name", "unit", "contact", "words")
_HAS_PERSONAL = "(r.reporter_name != '' OR r.unit != '' OR r.contact != '' OR r.words != '')"


def _check_field(field: str, fields) -> None:
    """Column names in the SQL below come from the fixed table above, never from input."""
    if field not in fields:
        raise ValueError(f"not a redactable field: {field!r}")


def compound_of(db, kind: str, row_id: int) -> int | None:
    return scalar(db, REDACTABLE[kind][2], [row_id])


def issue_of(db, kind: str, row_id: int) -> int | None:
    table = REDACTABLE[kind][0]
    return scalar(db, f"SELECT {_ISSUE_OF[table]} FROM {table} WHERE id = ?", [row_id])


def field_value(db, kind: str, row_id: int, field: str):
    table, fields, _ = REDACTABLE[kind]
    _check_field(field, fields)
    row = one(db, f"SELECT {field} AS v FROM {table} WHERE id = ?", [row_id])
    return row["v"] if row else None


def set_field(db, kind: str, row_id: int, field: str, value: str) -> None:
    table, fields, _ = REDACTABLE[kind]
    _check_field(field, fields)
    bump = ", version = version + 1" if table in _VERSIONED else ""
    db.execute(f"UPDATE {table} SET {field} = ?{bump} WHERE id = ?", [value, row_id])


# --- erasure of residents' personal fields ----------------------------------------------------

def report_of_issue(db, report_id: int) -> dict | None:
    return one(db, """SELECT r.*, i.compound_id FROM reports r JOIN issues i ON i.id = r.issue_id
                      WHERE r.id = ?""", [report_id])


def erase_report_fields(db, report_id: int) -> int:
    """Blank one report's name, unit, contact and words. Returns 1 if anything was there."""
    had = scalar(db, f"SELECT count(*) FROM reports r WHERE r.id = ? AND {_HAS_PERSONAL}", [report_id])
    db.execute("UPDATE reports SET reporter_name = '', unit = '', contact = '', words = '' WHERE id = ?",
               [report_id])
    return had


def erase_feedback_comments_of_session(db, issue_id: int, session_key: str) -> int:
    if not session_key:
        return 0
    n = scalar(db, "SELECT count(*) FROM feedback WHERE issue_id = ? AND session_key = ? AND comment != ''",
               [issue_id, session_key])
    db.execute("UPDATE feedback SET comment = '' WHERE issue_id = ? AND session_key = ?", [issue_id, session_key])
    return n


# Issues that ended (resolved or closed) before `cutoff` and still hold a resident's personal
# field: a report's name/unit/contact/words, a comment on the result or a photo sent with a concern.
_ENDED_WITH_PERSONAL = f"""
    SELECT i.id, i.compound_id
    FROM issues i
    WHERE i.stage IN ('resolved', 'closed') AND coalesce(i.resolved_on, i.stage_entered_on) < ?
      AND (EXISTS (SELECT 1 FROM reports r WHERE r.issue_id = i.id AND {_HAS_PERSONAL})
           OR EXISTS (SELECT 1 FROM feedback f WHERE f.issue_id = i.id AND f.comment != '')
           OR EXISTS (SELECT 1 FROM photos p JOIN reports r ON r.id = p.report_id
                      WHERE r.issue_id = i.id AND p.kind = 'concern' AND p.removed_at IS NULL))
    ORDER BY i.id"""


def ended_issues_with_personal_fields(db, cutoff: str) -> list[dict]:
    return rows(db, _ENDED_WITH_PERSONAL, [cutoff])


def reports_with_personal_fields(db, issue_id: int) -> list[int]:
    return [r["id"] for r in rows(db, f"SELECT r.id FROM reports r WHERE r.issue_id = ? AND {_HAS_PERSONAL} "
                                      "ORDER BY r.id", [issue_id])]


def erase_feedback_comments(db, issue_id: int) -> int:
    n = count_feedback_comments(db, issue_id)
    db.execute("UPDATE feedback SET comment = '' WHERE issue_id = ?", [issue_id])
    return n


def count_feedback_comments(db, issue_id: int) -> int:
    return scalar(db, "SELECT count(*) FROM feedback WHERE issue_id = ? AND comment != ''", [issue_id])
