"""Photos on the residents' board over real HTTP (uvicorn on a loopback port: tests/resident_http.py),
the privacy walk over every resident page and photo URL, and residents' photos erased with their
personal data."""
from __future__ import annotations

import gzip
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from PIL import Image

from deliberation.services import meetings as meeting_svc
from deliberation.services.actors import SYSTEM
from deliberation.services.clock import clock_at
from deliberation.services.concerns import submit_concern
from deliberation.services.issues import accept_concern, merge_issues
from deliberation.services.photos import (attach_photos, photo_bytes, photos_of_issue, public_photos_of_issue,
                                          remove_photo, set_photo_public)
from deliberation.services.privacy import erase_resident, purge_personal
from deliberation.services.publicity import close_expired_windows, publish_result
from deliberation.store import one, rows
from deliberation.web import resident
from deliberation.web.resident.photos import photo_url, routes
from tests.factories import category_id, db_path, decide, make_issue, open_meeting, stage_of, version_of
from tests.resident_http import get as http_get
from tests.resident_http import serving


def jpeg(color=(200, 60, 40), size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def serve(world, monkeypatch, app_routes):
    """`app_routes` over real HTTP on the world's database; yields the port."""
    monkeypatch.setenv("DELIBERATION_DB", db_path(world.db))
    with serving(app_routes) as port:
        yield port


@pytest.fixture
def board(world, monkeypatch):
    """The photo routes alone."""
    yield from serve(world, monkeypatch, routes)


@pytest.fixture
def whole_board(world, monkeypatch):
    """Every resident route (web/resident), as app.py mounts them."""
    yield from serve(world, monkeypatch, resident.routes())


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    answer = http_get(port, path, headers)
    body = gzip.decompress(answer.raw) if answer.headers.get("content-encoding") == "gzip" else answer.raw
    return answer.status, answer.headers, body


def test_a_public_photo_is_served_as_jpeg_with_an_etag_and_304(world, actors, board):
    db, a = world.db, world.a
    issue_id = make_issue(db, actors["secretary_a"], a)
    [photo_id] = attach_photos(db, actors["secretary_a"], issue_id, [jpeg()], kind="result", public=True)
    status, headers, body = get(board, photo_url(a, photo_id))
    assert status == 200 and headers["content-type"] == "image/jpeg"
    assert body == photo_bytes(db, actors["secretary_a"], photo_id)
    assert headers["x-content-type-options"] == "nosniff"
    assert "immutable" not in headers["cache-control"] and "max-age=300" in headers["cache-control"]
    status, thumb_headers, thumb = get(board, photo_url(a, photo_id, thumb=True))
    assert status == 200 and Image.open(io.BytesIO(thumb)).size == (320, 240)
    assert thumb_headers["etag"] != headers["etag"]
    status, again, body = get(board, photo_url(a, photo_id), {"If-None-Match": headers["etag"]})
    assert (status, body, again["etag"]) == (304, b"", headers["etag"])


def test_private_removed_foreign_and_made_up_photos_are_404(world, actors, board):
    db, a, b = world.db, world.a, world.compounds["B"]
    issue_id = make_issue(db, actors["secretary_a"], a)
    private, shown, removed = attach_photos(db, actors["secretary_a"], issue_id, [jpeg()] * 3, kind="issue")
    set_photo_public(db, actors["secretary_a"], shown, True)
    set_photo_public(db, actors["secretary_a"], removed, True)
    _, headers, _ = get(board, photo_url(a, shown))
    remove_photo(db, actors["secretary_a"], removed)
    for path in (photo_url(a, private), photo_url(a, private, thumb=True), photo_url(b, shown),
                 photo_url(a, removed), photo_url(a, 99999), "/board/1x/photos/1.jpg",
                 f"/board/{a}/photos/-{shown}.jpg", f"/board/{a}/photos/{shown}0000000000000000000000.jpg"):
        status, got, body = get(board, path)
        assert status == 404, path
        assert "找不到" in body.decode() and got["content-type"].startswith("text/html")
    # Made private again: the old ETag no longer brings a 304.
    set_photo_public(db, actors["secretary_a"], shown, False)
    assert get(board, photo_url(a, shown), {"If-None-Match": headers["etag"]})[0] == 404


def test_the_privacy_walk_finds_only_public_photos_on_every_resident_page(world, actors, whole_board):
    db, a, b, secretary = world.db, world.a, world.compounds["B"], actors["secretary_a"]
    receipt = submit_concern(db, a, category_id=category_id(db, a, "停车"), description="消防通道被车辆堵住",
                             session_key="walk", photos=[jpeg((200, 0, 0))])
    accept_concern(db, secretary, receipt.issue_id, version_of(db, receipt.issue_id), title="消防通道被占")
    shown, hidden = attach_photos(db, secretary, receipt.issue_id, [jpeg((0, 200, 0)), jpeg((0, 0, 200))],
                                  kind="issue")
    set_photo_public(db, secretary, shown, True)
    every = [r["id"] for r in rows(db, "SELECT id FROM photos ORDER BY id")]
    assert len(every) == 3
    pages = [f"/board/{a}", f"/board/{a}/issues/{receipt.number}", f"/board/{a}/report", f"/board/{a}/track"]
    html = ""
    for path in pages:
        status, _, body = get(whole_board, path)
        assert status == 200, path
        html += body.decode()
    found = set(re.findall(r"/photos/(\d+)(?:\.jpg|/thumb\.jpg)", html))
    assert found == {str(shown)}
    for photo_id in every:
        for thumb in (False, True):
            wanted = 200 if photo_id == shown else 404
            assert get(whole_board, photo_url(a, photo_id, thumb=thumb))[0] == wanted
            assert get(whole_board, photo_url(b, photo_id, thumb=thumb))[0] == 404


# --- a resident's photos go with their personal data --------------------------------------------

def _concern(db, compound_id: int, *, files: list[bytes], session: str):
    return submit_concern(db, compound_id, category_id=category_id(db, compound_id, "停车"),
                          description="车位被占用了很久", building="3栋", contact="13800005555",
                          session_key=session, photos=files)


def test_erasing_a_resident_removes_their_photos_even_public_ones(world, actors, board):
    db, a, secretary = world.db, world.a, actors["secretary_a"]
    receipt = _concern(db, a, files=[jpeg(), jpeg((0, 0, 200))], session="erase-me")
    issue_id = receipt.issue_id
    [staff_photo] = attach_photos(db, secretary, issue_id, [jpeg((0, 150, 0))], kind="issue", public=True)
    theirs = [p["id"] for p in photos_of_issue(db, secretary, issue_id) if p["kind"] == "concern"]
    set_photo_public(db, secretary, theirs[0], True)
    assert get(board, photo_url(a, theirs[0]))[0] == 200
    report_id = one(db, "SELECT id FROM reports WHERE issue_id = ?", [issue_id])["id"]
    erase_resident(db, secretary, report_id)
    stored = rows(db, "SELECT id, length(image) AS n, removed_at FROM photos WHERE id IN (?, ?)", theirs)
    assert all(p["n"] == 0 and p["removed_at"] for p in stored)
    assert get(board, photo_url(a, theirs[0]))[0] == 404
    assert [p["id"] for p in public_photos_of_issue(db, issue_id)] == [staff_photo]     # staff's stays
    event = one(db, "SELECT data FROM events WHERE kind = 'personal_erased' ORDER BY id DESC LIMIT 1")
    assert '"photos": 2' in event["data"]


def test_retention_purge_removes_residents_photos_of_ended_issues_only(world, actors):
    db, a, secretary = world.db, world.a, actors["secretary_a"]
    with clock_at(datetime(2024, 1, 10, 9)):
        ended = _concern(db, a, files=[jpeg()], session="old").issue_id
        accept_concern(db, secretary, ended, version_of(db, ended), title="车位被占")
        [kept] = attach_photos(db, secretary, ended, [jpeg((0, 150, 0))], kind="result", public=True)
        meeting_id = open_meeting(db, secretary, a, [ended])
        decide(db, secretary, meeting_id, ended, outcome="actions")
        meeting_svc.finish_meeting(db, secretary, meeting_id)
        publish_result(db, secretary, ended, summary="已处理")
    with clock_at(datetime.combine(date(2024, 2, 20), time(2))):
        close_expired_windows(db, SYSTEM)
    assert stage_of(db, ended) == "resolved"
    still_open = _concern(db, a, files=[jpeg()], session="new").issue_id
    dry = purge_personal(db, SYSTEM, dry_run=True)
    assert (dry.issues, dry.photos) == (1, 1)
    result = purge_personal(db, SYSTEM)
    assert result.photos == 1
    left = rows(db, "SELECT issue_id, kind, length(image) > 0 AS has_bytes FROM photos ORDER BY id")
    assert left == [{"issue_id": ended, "kind": "concern", "has_bytes": 0},
                    {"issue_id": ended, "kind": "result", "has_bytes": 1},
                    {"issue_id": still_open, "kind": "concern", "has_bytes": 1}]
    assert [p["id"] for p in public_photos_of_issue(db, ended)] == [kept]
    assert purge_personal(db, SYSTEM).issues == 0                    # nothing left: cron runs again quietly


def test_a_merged_duplicates_photo_stays_while_the_issue_it_joined_is_open(world, actors):
    db, a, secretary = world.db, world.a, actors["secretary_a"]
    kept = make_issue(db, secretary, a)
    duplicate = _concern(db, a, files=[jpeg()], session="dup").issue_id
    merge_issues(db, secretary, duplicate, kept)
    assert stage_of(db, duplicate) == "closed"
    result = purge_personal(db, SYSTEM, on=date.today() + timedelta(days=800))
    assert result.photos == 0
    assert [p["kind"] for p in photos_of_issue(db, actors["recorder_a"], kept)] == ["concern"]
