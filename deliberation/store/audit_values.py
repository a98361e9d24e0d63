"""What the audit shows of an edit's old and new values: which issue fields were redacted later
(services/privacy.redact), so a value kept in an earlier event is not shown again."""
from __future__ import annotations

import json

from .db import rows


def redactions_of_issues(db, issue_ids: list[int]) -> dict[int, dict[str, int]]:
    """{issue id: {field: id of its latest `redacted` event}} for the given issues."""
    if not issue_ids:
        return {}
    found: dict[int, dict[str, int]] = {}
    for r in rows(db, """
            SELECT e.issue_id, json_extract(e.data, '$.field') AS field, max(e.id) AS event_id
            FROM events e
            WHERE e.kind = 'redacted' AND json_extract(e.data, '$.kind') = 'issue'
              AND e.issue_id IN (SELECT value FROM json_each(?))
            GROUP BY e.issue_id, field""", [json.dumps(sorted(set(issue_ids)))]):
        found.setdefault(r["issue_id"], {})[r["field"]] = r["event_id"]
    return found


def numbers_of_issues(db, issue_ids: list[int]) -> dict[int, int]:
    """{issue id: its number in its compound} (what the audit page shows, as residents quote it)."""
    if not issue_ids:
        return {}
    return {r["id"]: r["number"] for r in rows(
        db, "SELECT id, number FROM issues WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(set(issue_ids)))])}
