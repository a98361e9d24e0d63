"""The append-only event table (triggers refuse UPDATE and DELETE)."""
from __future__ import annotations

import json


def insert_event(db, event: dict) -> None:
    """`event`: the events columns, with `data` as a dict and `public` as a bool."""
    db["events"].insert({**event, "data": json.dumps(event.get("data") or {}, ensure_ascii=False),
                         "public": int(bool(event.get("public")))})
