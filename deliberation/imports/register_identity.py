"""When a register row is an issue the compound already has: same title (spacing aside), same date
raised, same raiser (a seat by its name, or 居民/巡访/热线). Category and stage are left out on
purpose: they change as an issue moves on, and re-importing last month's file must still match.

Counted, not just matched: a file that lists the same issue twice imports it twice the first time
(the file said so), and re-importing that file adds nothing, since two are then present.
Pure: no database."""
from __future__ import annotations

from collections import defaultdict

from .register_rows import ImportRow

Identity = tuple[str, str, str, str]


def identity(title: str, raised_on: str, kind: str, seat_name: str | None) -> Identity:
    return " ".join(title.split()), raised_on, kind, (seat_name or "") if kind == "seat" else ""


def row_identity(row: ImportRow) -> Identity:
    return identity(row.title, row.raised_on, row.raised_by_kind, row.raised_by_seat)


def split_present(rows: tuple[ImportRow, ...], existing: list[dict]) -> tuple[list[ImportRow], list[tuple[int, int]]]:
    """(rows to import, [(row number, the number of the issue it already is)]). `existing`: the
    compound's issues as store.register_staging.issue_identities gives them, oldest first."""
    numbers: dict[Identity, list[int]] = defaultdict(list)
    for issue in existing:
        numbers[identity(issue["title"], issue["raised_on"], issue["raised_by_kind"],
                         issue["raised_by_seat_name"])].append(issue["number"])
    used: dict[Identity, int] = defaultdict(int)
    new, present = [], []
    for row in rows:
        key = row_identity(row)
        if used[key] < len(numbers[key]):
            present.append((row.row_number, numbers[key][used[key]]))
            used[key] += 1
        else:
            new.append(row)
    return new, present
