"""Photos of issues (table photos, migration m018): re-encoded JPEGs and their thumbnails, kept in
the database so that backup and restore carry them. A removed photo keeps its row (who, when,
for the audit trail) but loses its bytes. The residents' board reads photos only through the
public_photos view (store/public.py)."""
from __future__ import annotations

from .db import one, rows, scalar

# Everything but the bytes: what lists and checks need.
_META = """p.id, p.compound_id, p.issue_id, p.report_id, p.kind, p.public, p.width, p.height, p.sha256,
    p.created_at, p.removed_at"""
# A concern photo follows its report when the issue is merged into another (reports move, photos
# keep the issue they were sent with).
_OF_ISSUE = "(p.issue_id = ? OR p.report_id IN (SELECT r.id FROM reports r WHERE r.issue_id = ?))"


def insert_photo(db, values: dict) -> int:
    return db["photos"].insert(values).last_pk


def photo(db, photo_id: int) -> dict | None:
    """One photo's facts (no bytes), removed or not."""
    return one(db, f"SELECT {_META} FROM photos p WHERE p.id = ?", [photo_id])


def photos_of_issue(db, issue_id: int, *, kinds: tuple[str, ...]) -> list[dict]:
    """The issue's photos of these kinds that are not removed, oldest first (no bytes)."""
    marks = ", ".join("?" for _ in kinds)
    return rows(db, f"""SELECT {_META} FROM photos p WHERE {_OF_ISSUE} AND p.removed_at IS NULL
                        AND p.kind IN ({marks}) ORDER BY p.id""", [issue_id, issue_id, *kinds])


def photo_bytes(db, photo_id: int, *, thumb: bool) -> bytes | None:
    """The stored JPEG (or its thumbnail) of a photo that is not removed."""
    column = "thumb" if thumb else "image"
    return scalar(db, f"SELECT {column} FROM photos WHERE id = ? AND removed_at IS NULL", [photo_id])


def photos_with_bytes(db, photo_ids: list[int], *, thumb: bool) -> list[dict]:
    """[{id, kind, width, height, data}] of these photos, not removed, in id order (documents)."""
    if not photo_ids:
        return []
    column = "thumb" if thumb else "image"
    marks = ", ".join("?" for _ in photo_ids)
    return rows(db, f"""SELECT id, kind, width, height, {column} AS data FROM photos
                        WHERE id IN ({marks}) AND removed_at IS NULL ORDER BY id""", list(photo_ids))


def count_photos_of_report(db, report_id: int) -> int:
    return scalar(db, "SELECT count(*) FROM photos WHERE report_id = ? AND removed_at IS NULL", [report_id])


def set_public(db, photo_id: int, public: bool, *, issue_id: int) -> None:
    """`issue_id`: where the board shows it (a concern photo moves to the issue its report joined)."""
    db["photos"].update(photo_id, {"public": int(public), "issue_id": issue_id})


def issue_of_report(db, report_id: int) -> int | None:
    return scalar(db, "SELECT issue_id FROM reports WHERE id = ?", [report_id])


def remove_photo(db, photo_id: int, removed_at: str) -> None:
    """Gone from every list and URL, and its bytes with it: only the row's facts stay."""
    db["photos"].update(photo_id, {"removed_at": removed_at, "public": 0, "image": b"", "thumb": b""})


# --- erasure of a resident's personal data (services/privacy.py) ---------------------------------

def remove_photos(db, photo_ids: list[int], removed_at: str) -> int:
    for photo_id in photo_ids:
        remove_photo(db, photo_id, removed_at)
    return len(photo_ids)


def live_photo_ids_of_report(db, report_id: int) -> list[int]:
    return [r["id"] for r in rows(db, "SELECT id FROM photos WHERE report_id = ? AND removed_at IS NULL "
                                      "ORDER BY id", [report_id])]


def live_concern_photo_ids_of_issue(db, issue_id: int) -> list[int]:
    """Residents' photos sent with the reports that now belong to this issue (a merged duplicate's
    reports, and their photos, belong to the issue they joined: erased when that one ends)."""
    return [r["id"] for r in rows(db, """SELECT p.id FROM photos p
                                        WHERE p.report_id IN (SELECT r.id FROM reports r WHERE r.issue_id = ?)
                                        AND p.kind = 'concern' AND p.removed_at IS NULL ORDER BY p.id""",
                                  [issue_id])]
