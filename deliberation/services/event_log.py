"""The audit trail: one append-only event per change, attributed to the actor."""
from __future__ import annotations

from ..store import events as event_store
from .actors import Actor
from .clock import stamp


def append_event(db, *, actor: Actor, kind: str, compound_id: int | None = None,
                 issue_id: int | None = None, meeting_id: int | None = None,
                 from_stage: str | None = None, to_stage: str | None = None, note: str = "",
                 data: dict | None = None, public: bool = False) -> None:
    event_store.insert_event(db, {
        "compound_id": compound_id, "issue_id": issue_id, "meeting_id": meeting_id,
        "actor_id": actor.user_id, "actor_label": actor.label, "kind": kind,
        "from_stage": from_stage, "to_stage": to_stage, "note": note,
        "data": data or {}, "public": public, "created_at": stamp(),
    })
