"""One shape for every change: authorize (a refusal is audited in its own transaction), then
validate, write and record the event inside one write transaction."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterator

from ..model.roles import Action
from ..store import write
from ..store.db import tick_compound
from .actors import Actor
from .event_log import append_event
from .permissions import authorize


@dataclass(frozen=True)
class Change:
    """The open write transaction of one use case: reads made through `db` here see the state
    the write will be based on (writers are serialised), so checks made here hold."""
    db: object
    actor: Actor
    compound_id: int | None

    def record(self, kind: str, **fields) -> None:
        """Append the change's event, attributed to the actor, in the change's compound."""
        fields.setdefault("compound_id", self.compound_id)
        append_event(self.db, actor=self.actor, kind=kind, **fields)

    def by(self, actor: Actor) -> "Change":
        """The same transaction, with a consequence attributed to another actor (the system
        reopening an issue when residents' objections reach the threshold)."""
        return replace(self, actor=actor)


@contextmanager
def changing(db, actor: Actor, action: Action, compound_id: int | None = None) -> Iterator[Change]:
    """`with changing(db, actor, Action.X, compound_id) as change:` — validate, write, then
    `change.record(...)`. Anything raised inside rolls the whole change back."""
    authorize(db, actor, action, compound_id)
    with write(db):
        yield Change(db, actor, compound_id)
        tick_compound(db, compound_id)          # pages cached per compound are now out of date

