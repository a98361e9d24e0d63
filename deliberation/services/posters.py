"""Posters for the notice board (issue 12): per compound, an A4 page with the QR code of its
residents' board; for an area, one PDF with a page per live compound under it, in name order.

The QR code and the printed address come from the deployment's public address
(services/deployment.py); while that is unset or local every page says so in red.
"""
from __future__ import annotations

from ..exports.poster import PosterView, compound_poster_pdf
from ..model.errors import DomainError
from ..model.roles import Action
from ..store import areas as area_store
from ..store import compounds as compound_store
from .actors import Actor
from .compounds import get_compound
from .deployment import PublicAddress, public_address
from .documents import board_url
from .permissions import authorize
from .rollup import rollup_scope

__all__ = ["area_posters", "compound_poster", "poster_view"]


def poster_view(db, actor: Actor, compound_id: int) -> PosterView:
    """What one compound's poster prints: public facts only (name, branch, area, address)."""
    authorize(db, actor, Action.READ_COMPOUND, compound_id)
    return _view(db, compound_id, public_address(db))


def compound_poster(db, actor: Actor, compound_id: int) -> bytes:
    """The compound's poster as a one-page A4 PDF. READ_COMPOUND in that compound."""
    view = poster_view(db, actor, compound_id)
    _refuse_retired(db, compound_id, view.compound)
    return compound_poster_pdf([view])


def area_posters(db, actor: Actor, area_id: int) -> bytes:
    """One page per live (not retired) compound under the area, at any depth, in name order.
    REPORTS, over the compounds of the area the actor may see (rollup_scope: an officer of
    another area is refused, with an audit event)."""
    scope = rollup_scope(db, actor, area_id) & area_store.live_compound_ids_under(db, area_id)
    if not scope:
        raise DomainError("该区域下没有在用的小区,无法生成海报")
    address = public_address(db)                  # read once: every page shows the same address
    views = sorted((_view(db, compound_id, address) for compound_id in scope),
                   key=lambda v: (v.compound, v.board_url))
    return compound_poster_pdf(views)


def _view(db, compound_id: int, address: PublicAddress) -> PosterView:
    compound = get_compound(db, compound_id)
    return PosterView(compound=compound.name, branch=compound.branch_name, area_path=compound.area_path,
                      board_url=board_url(compound_id, address.url), demo=compound.demo,
                      address_problem=address.warning)


def _refuse_retired(db, compound_id: int, name: str) -> None:
    row = compound_store.get_compound(db, compound_id)
    if row is not None and row.get("retired_at"):
        raise DomainError(f"小区“{name}”已停用,不再印制海报")
