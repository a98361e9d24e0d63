"""Issue numbers are per compound: what a resident's receipt, the board and the staff pages show."""
import sqlite3

from deliberation.services.actors import load_actor
from deliberation.store.db import open_db
from deliberation.store.issues import issue_id_by_number
from deliberation.store.migrations import migrations

from factories import category_id, db_path, make_issue, run_together


def numbers(db, compound_id: int) -> list[int]:
    return [r[0] for r in db.execute("SELECT number FROM issues WHERE compound_id = ? ORDER BY id", [compound_id])]


def test_hongxiang_numbers_its_fifteen_problems_1_to_15_and_the_next_is_16(demo_copy):
    hx = demo_copy.execute("SELECT id FROM compounds WHERE name = '鸿翔花园'").fetchone()[0]
    assert numbers(demo_copy, hx) == list(range(1, 16))
    secretary = load_actor(demo_copy, demo_copy.execute(
        "SELECT id FROM users WHERE username = 'hx_secretary'").fetchone()[0])
    new_id = make_issue(demo_copy, secretary, hx, title="电梯异响")
    assert new_id > 16                                   # the table's id is shared by every compound…
    assert numbers(demo_copy, hx)[-1] == 16              # …the number is the compound's own
    assert issue_id_by_number(demo_copy, hx, 16) == new_id


def test_each_compound_counts_from_one(world):
    a_first = make_issue(world.db, world.actors["secretary_a"], world.a, title="A 的第一个")
    b_first = make_issue(world.db, world.actors["secretary_b"], world.compounds["B"], title="B 的第一个")
    a_second = make_issue(world.db, world.actors["secretary_a"], world.a, title="A 的第二个")
    got = {i: world.db.execute("SELECT number FROM issues WHERE id = ?", [i]).fetchone()[0]
           for i in (a_first, b_first, a_second)}
    assert got[a_second] == got[a_first] + 1
    assert issue_id_by_number(world.db, world.compounds["B"], got[b_first]) == b_first
    assert issue_id_by_number(world.db, world.compounds["B"], got[a_second] + 100) is None


def test_two_secretaries_raising_at_once_get_different_numbers(world):
    path = db_path(world.db)
    actor = world.actors["secretary_a"]
    category = category_id(open_db(path), world.a)

    def raise_one():
        db = open_db(path)
        make_issue(db, actor, world.a, title="同时登记", category_id=category)
        db.close()

    run_together(raise_one, 6)
    db = open_db(path)
    taken = [r[0] for r in db.execute("SELECT number FROM issues WHERE compound_id = ? AND title = '同时登记'",
                                      [world.a])]
    assert len(taken) == 6 and len(set(taken)) == 6


def test_migration_numbers_existing_issues_in_order_per_compound(tmp_path):
    """A database from before m018: its issues get 1, 2, 3… per compound, oldest first."""
    path = tmp_path / "old.db"
    migrations.apply(open_db(path, migrate=False), stop_before="m018_numbers_photos_response_clock")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO areas (id, name, level) VALUES (1, '街道', 'subdistrict')")
    for cid in (1, 2):
        conn.execute("INSERT INTO compounds (id, area_id, name, created_at) VALUES (?, 1, ?, '2026-01-01')",
                     [cid, f"小区{cid}"])
        conn.execute("INSERT INTO categories (id, compound_id, name, position) VALUES (?, ?, '停车', 1)",
                     [cid, cid])
    for issue_id, cid in ((1, 1), (2, 2), (3, 1), (4, 1), (5, 2)):
        conn.execute("""INSERT INTO issues (id, compound_id, title, category_id, raised_by_kind, channel,
                        raised_on, stage_entered_on, created_at, updated_at)
                        VALUES (?, ?, 't', ?, 'resident', 'board', '2026-01-01', '2026-01-01', 'x', 'x')""",
                     [issue_id, cid, cid])
    conn.close()
    migrated = open_db(path)
    assert {r[0]: r[1] for r in migrated.execute("SELECT id, number FROM issues")} == {1: 1, 3: 2, 4: 3, 2: 1, 5: 2}
