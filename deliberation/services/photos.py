"""Photos of an issue: a resident's with a concern (at most three), staff's of the issue (现场,
before) and of its result (after). Bytes are checked and cleaned first (photo_files.py), outside
any transaction; rows are written inside the use case's change.

Privacy: a resident's photo is personal like their words — only READ_PERSONAL holders (the
secretary and recorder) see it — and private until one with the PUBLISH right (the secretary, or
an admin) marks it public. Staff photos are READ_COMPOUND and private until marked too. The board
reads only the public_photos view. A removed photo loses its bytes; events hold ids and counts.
"""
from __future__ import annotations

from ..model.errors import DomainError, NotFound
from ..model.roles import Action
from ..store import issues as issue_store
from ..store import photos as photo_store
from ..store import public as public_store
from .actors import Actor
from .clock import stamp
from .markers import public_read
from .permissions import authorize, may
from .photo_files import MAX_BYTES, PreparedPhoto, prepare_photo, prepare_photos  # noqa: F401 (re-exported)
from .use_case import Change, changing

MAX_CONCERN_PHOTOS = 3          # per resident's report (the issue's number)
MAX_STAFF_PHOTOS = 24           # per issue, 现场 and 整改后 together, not removed
MAX_STAFF_UPLOAD = 6            # per upload
KINDS = ("concern", "issue", "result")
STAFF_KINDS = ("issue", "result")


def add_prepared_photos(change: Change, issue_id: int, photos: list[PreparedPhoto], *, kind: str,
                        report_id: int | None = None, public: bool = False) -> list[int]:
    """Store already prepared photos inside `change` (its compound must be the issue's); returns
    their ids. A concern's photos belong to its report: at most MAX_CONCERN_PHOTOS per report."""
    if kind not in KINDS:
        raise ValueError(f"unknown photo kind {kind!r}")
    db = change.db
    issue = issue_store.require_issue(db, issue_id)
    if issue["compound_id"] != change.compound_id:
        raise NotFound("找不到该议题")
    if public and not may(change.actor, Action.PUBLISH, change.compound_id):
        raise DomainError("只有支部书记可以公开照片")
    if kind == "concern":
        if report_id is None or photo_store.issue_of_report(db, report_id) != issue_id:
            raise ValueError("a concern's photos need the report they came with")
        if photo_store.count_photos_of_report(db, report_id) + len(photos) > MAX_CONCERN_PHOTOS:
            raise DomainError(f"每条反映最多附 {MAX_CONCERN_PHOTOS} 张照片")
    elif len(photo_store.photos_of_issue(db, issue_id, kinds=STAFF_KINDS)) + len(photos) > MAX_STAFF_PHOTOS:
        raise DomainError(f"每个议题最多保存 {MAX_STAFF_PHOTOS} 张现场和整改照片:请先删除不需要的照片")
    created = stamp()
    ids = [photo_store.insert_photo(db, {
        "compound_id": issue["compound_id"], "issue_id": issue_id, "report_id": report_id, "kind": kind,
        "public": int(public), "width": p.width, "height": p.height, "image": p.image, "thumb": p.thumb,
        "sha256": p.sha256, "created_at": created}) for p in photos]
    if ids:
        change.record("photos_added", issue_id=issue_id,
                      data={"photo_ids": ids, "kind": kind, "count": len(ids), "public": public,
                            "report_id": report_id})
    return ids


# --- staff --------------------------------------------------------------------------------------

def attach_photos(db, actor: Actor, issue_id: int, files: list[bytes], *, kind: str,
                  public: bool = False) -> list[int]:
    """Staff add 现场 ('issue') or 整改后 ('result') photos. Anyone who may raise an issue in the
    compound may (the property company's after-photo included); public at once only with PUBLISH."""
    if kind not in STAFF_KINDS:
        raise DomainError("照片类别不正确:应为现场照片或整改后照片")
    if not files:
        raise DomainError("请先选择照片")
    issue = issue_store.require_issue(db, issue_id)
    compound_id = issue["compound_id"]
    authorize(db, actor, Action.RAISE_ISSUE, compound_id)
    if public:
        authorize(db, actor, Action.PUBLISH, compound_id)
    prepared = prepare_photos(files, limit=MAX_STAFF_UPLOAD)       # slow work before the write lock
    with changing(db, actor, Action.RAISE_ISSUE, compound_id) as change:
        return add_prepared_photos(change, issue_id, prepared, kind=kind, public=public)


def _live_photo(db, photo_id: int) -> dict:
    photo = photo_store.photo(db, photo_id)
    if photo is None or photo["removed_at"] is not None:
        raise NotFound("找不到该照片,可能已被删除")
    return photo


def _authorize_read(db, actor: Actor, photo: dict) -> None:
    authorize(db, actor, Action.READ_COMPOUND, photo["compound_id"])
    if photo["kind"] == "concern":
        authorize(db, actor, Action.READ_PERSONAL, photo["compound_id"])


def set_photo_public(db, actor: Actor, photo_id: int, public: bool) -> None:
    """The secretary (PUBLISH) shows a photo on the board, or takes it off again. A resident's
    photo is shown on the issue its report now belongs to (after a merge, the surviving one)."""
    photo = _live_photo(db, photo_id)
    if photo["kind"] == "concern":
        authorize(db, actor, Action.READ_PERSONAL, photo["compound_id"])   # can't judge what one can't see
    with changing(db, actor, Action.PUBLISH, photo["compound_id"]) as change:
        photo = _live_photo(db, photo_id)                                  # as of the write lock
        issue_id = photo["issue_id"]
        if photo["report_id"] is not None:
            issue_id = photo_store.issue_of_report(db, photo["report_id"]) or issue_id
        photo_store.set_public(db, photo_id, public, issue_id=issue_id)
        change.record("photo_public" if public else "photo_private", issue_id=issue_id,
                      data={"photo_id": photo_id, "kind": photo["kind"]})


def remove_photo(db, actor: Actor, photo_id: int) -> None:
    """Delete a photo for good: its row stays (who, when), its bytes go."""
    photo = _live_photo(db, photo_id)
    if photo["kind"] == "concern":
        authorize(db, actor, Action.READ_PERSONAL, photo["compound_id"])
    with changing(db, actor, Action.EDIT_ISSUE, photo["compound_id"]) as change:
        photo = _live_photo(db, photo_id)
        photo_store.remove_photo(db, photo_id, stamp())
        change.record("photo_removed", issue_id=photo["issue_id"],
                      data={"photo_id": photo_id, "kind": photo["kind"]})


def photos_of_issue(db, actor: Actor, issue_id: int) -> list[dict]:
    """The issue's photos the actor may see (no bytes): staff photos with READ_COMPOUND, residents'
    with READ_PERSONAL too. Each: id, kind, public, width, height, created_at, report_id."""
    issue = issue_store.require_issue(db, issue_id)
    authorize(db, actor, Action.READ_COMPOUND, issue["compound_id"])
    kinds = KINDS if may(actor, Action.READ_PERSONAL, issue["compound_id"]) else STAFF_KINDS
    return photo_store.photos_of_issue(db, issue_id, kinds=kinds)


def photo_bytes(db, actor: Actor, photo_id: int, thumb: bool = False) -> bytes:
    """A photo's JPEG (or thumbnail) for a staff page, under the same rules as the list."""
    photo = _live_photo(db, photo_id)
    _authorize_read(db, actor, photo)
    data = photo_store.photo_bytes(db, photo_id, thumb=thumb)
    if not data:
        raise NotFound("找不到该照片,可能已被删除")
    return data


def staff_photos_for_document(db, actor: Actor, issue_ids: list[int], *, public_only: bool) -> dict[int, list[dict]]:
    """{issue_id: [{id, kind, width, height, data (thumbnail)}]} for an internal document: staff
    photos (public or not, unless `public_only`), and residents' only if marked public."""
    found: dict[int, list[dict]] = {}
    for issue_id in issue_ids:
        issue = issue_store.require_issue(db, issue_id)
        authorize(db, actor, Action.READ_COMPOUND, issue["compound_id"])
        listed = [p for p in photo_store.photos_of_issue(db, issue_id, kinds=KINDS)
                  if p["public"] or (not public_only and p["kind"] in STAFF_KINDS)]
        if listed:
            found[issue_id] = photo_store.photos_with_bytes(db, [p["id"] for p in listed], thumb=True)
    return found


# --- the residents' board -----------------------------------------------------------------------

@public_read
def public_photos_of_issue(db, issue_id: int) -> list[dict]:
    """[{id, kind, width, height}] of the issue's public photos, oldest first."""
    return public_store.public_photos_of_issue(db, issue_id)


@public_read
def public_photo_bytes(db, compound_id: int, photo_id: int, *, thumb: bool) -> bytes | None:
    """A public photo's JPEG (or thumbnail), only under its own compound: None otherwise."""
    return public_store.public_photo_bytes(db, compound_id, photo_id, thumb=thumb) or None


@public_read
def public_thumbs_of_issues(db, issue_ids: list[int]) -> dict[int, list[dict]]:
    """{issue_id: [{id, kind, width, height, data}]}: public photos' thumbnails, for the 公示
    notice and the public minutes."""
    found: dict[int, list[dict]] = {}
    for row in public_store.public_photo_thumbs(db, list(issue_ids)):
        found.setdefault(row["issue_id"], []).append(row)
    return found
