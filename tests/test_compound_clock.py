"""Pages cached per compound (the residents' board) stay valid while other compounds change."""
import pytest

from deliberation.model.errors import PermissionDenied
from deliberation.services.compounds import create_area
from deliberation.services.actors import SYSTEM
from deliberation.store.db import compound_token

from factories import make_issue


def test_a_change_in_one_compound_renews_its_token_only(world):
    a, b = world.a, world.compounds["B"]
    before_a, before_b = compound_token(world.db, a), compound_token(world.db, b)
    make_issue(world.db, world.actors["secretary_a"], a, title="只动 A")
    assert compound_token(world.db, a) != before_a
    assert compound_token(world.db, b) == before_b


def test_a_change_of_no_compound_renews_every_compounds_token(world):
    a, b = world.a, world.compounds["B"]
    before = compound_token(world.db, a), compound_token(world.db, b)
    create_area(world.db, SYSTEM, "新街道", "subdistrict", world.areas["罗湖区"])
    after = compound_token(world.db, a), compound_token(world.db, b)
    assert after[0] != before[0] and after[1] != before[1]


def test_a_refused_change_leaves_the_token_as_it_was(world):
    a = world.a
    before = compound_token(world.db, a)
    with pytest.raises(PermissionDenied):
        make_issue(world.db, world.actors["secretary_b"], a, title="别的小区的书记")
    assert compound_token(world.db, a) == before
