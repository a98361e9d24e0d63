"""The append-only event table (triggers refuse UPDATE and DELETE)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from .db import rows, scalar


def insert_event(db, event: dict) -> None:
    """`event`: the events columns, with `data` as a dict and `public` as a bool."""
    db["events"].insert({**event, "data": json.dumps(event.get("data") or {}, ensure_ascii=False),
                         "public": int(bool(event.get("public")))})


# --- reading the trail (the audit page) ----------------------------------------------------

@dataclass(frozen=True)
class EventSelection:
    """Which events to read. `compound_ids` None: every event, account events (no compound)
    included; otherwise only events of these compounds (none when empty). `since` is inclusive,
    `before` exclusive (ISO dates or stamps)."""
    compound_ids: tuple[int, ...] | None = None
    kinds: tuple[str, ...] = ()
    since: str | None = None
    before: str | None = None


def _where(selection: EventSelection) -> tuple[str, list]:
    """Fixed fragments with one placeholder per value."""
    parts, params = [], []
    ids = selection.compound_ids
    if ids is not None:
        parts.append(f"e.compound_id IN ({', '.join('?' for _ in ids)})" if ids else "0 = 1")
        params += list(ids)
    if selection.kinds:
        parts.append(f"e.kind IN ({', '.join('?' for _ in selection.kinds)})")
        params += list(selection.kinds)
    if selection.since:
        parts.append("e.created_at >= ?")
        params.append(selection.since)
    if selection.before:
        parts.append("e.created_at < ?")
        params.append(selection.before)
    return " AND ".join(parts) or "1 = 1", params


def count_events(db, selection: EventSelection) -> int:
    where, params = _where(selection)
    return scalar(db, f"SELECT count(*) FROM events e WHERE {where}", params)


def events_newest_first(db, selection: EventSelection, *, limit: int, offset: int) -> list[dict]:
    """One page of events, each with its compound's name (`compound`)."""
    where, params = _where(selection)
    return rows(db, f"""
        SELECT e.id, e.created_at, e.kind, e.actor_label, e.compound_id, c.name AS compound, e.issue_id,
               e.meeting_id, e.from_stage, e.to_stage, e.note, e.data
        FROM events e LEFT JOIN compounds c ON c.id = e.compound_id
        WHERE {where} ORDER BY e.id DESC LIMIT ? OFFSET ?""", [*params, limit, offset])


def event_kinds(db, compound_ids: tuple[int, ...] | None) -> list[str]:
    """The kinds of event that occur in these compounds (None: anywhere), sorted."""
    where, params = _where(EventSelection(compound_ids=compound_ids))
    return [r["kind"] for r in rows(db, f"SELECT DISTINCT e.kind FROM events e WHERE {where} ORDER BY e.kind",
                                    params)]


_ISSUE_TIMELINE = """
    SELECT e.id, e.compound_id, e.issue_id, e.meeting_id, e.actor_id, e.actor_label, e.kind, e.from_stage,
           e.to_stage, e.data, e.public, e.created_at, m.number AS meeting_number,
           CASE
             WHEN e.kind = 'raised' THEN i.title
             WHEN json_extract(e.data, '$.note_id') IS NOT NULL
               THEN (SELECT n.text FROM notes n WHERE n.id = json_extract(e.data, '$.note_id'))
             WHEN e.kind = 'escalation_answered'
               THEN coalesce((SELECT x.answer FROM escalations x WHERE x.id = json_extract(e.data, '$.escalation_id')), '')
             WHEN json_extract(e.data, '$.escalation_id') IS NOT NULL
               THEN e.note || ':' || coalesce((SELECT x.request FROM escalations x
                                             WHERE x.id = json_extract(e.data, '$.escalation_id')), '')
             WHEN json_extract(e.data, '$.field') = 'public_summary' THEN i.public_summary
             WHEN json_extract(e.data, '$.field') = 'public_reply' THEN i.public_reply
             WHEN json_extract(e.data, '$.agenda_item_id') IS NOT NULL
               THEN coalesce(nullif((SELECT a.decision FROM agenda_items a
                                     WHERE a.id = json_extract(e.data, '$.agenda_item_id')), ''), e.note)
             WHEN e.kind = 'action_updated' AND json_extract(e.data, '$.action_id') IS NOT NULL
               THEN coalesce((SELECT a.seat_name || ':' || a.task FROM actions a
                              WHERE a.id = json_extract(e.data, '$.action_id')), '') || ' ' || e.note
             ELSE e.note END AS note
    FROM events e LEFT JOIN meetings m ON m.id = e.meeting_id LEFT JOIN issues i ON i.id = e.issue_id
    WHERE e.issue_id = ? ORDER BY e.id"""


def events_of_issue(db, issue_id: int) -> list[dict]:
    """Every event of the issue, oldest first, with the meeting's number and `data` decoded
    (the issue page's internal timeline). `note` is the CURRENT text the event points to (title,
    staff note, escalation request/answer, decision, task) where it points to one, so a
    correction or redaction shows here too; otherwise the app-written note."""
    found = rows(db, _ISSUE_TIMELINE, [issue_id])
    for event in found:
        event["data"] = json.loads(event["data"])
    return found
