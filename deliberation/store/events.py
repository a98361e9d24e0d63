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


def events_of_issue(db, issue_id: int) -> list[dict]:
    """Every event of the issue, oldest first, with the meeting's number and `data` decoded
    (the issue page's internal timeline: notes included)."""
    found = rows(db, """
        SELECT e.*, m.number AS meeting_number FROM events e LEFT JOIN meetings m ON m.id = e.meeting_id
        WHERE e.issue_id = ? ORDER BY e.id""", [issue_id])
    for event in found:
        event["data"] = json.loads(event["data"])
    return found
