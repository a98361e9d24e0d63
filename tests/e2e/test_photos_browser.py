"""Photos in a real browser: the secretary uploads an after-photo (with GPS in its EXIF) on the issue
page, residents get it only once it is marked public — on the light issue page and at its URL —
and lose it again when it is made private. Screenshots at phone and desktop size."""
from __future__ import annotations

import io
import sqlite3

import pytest
from PIL import ExifTags, Image

from .helpers import assert_no_exception, goto, shot, sign_in, wait_idle

ARTIFACTS = "test_photos_browser"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PARKING = 4            # 鸿翔花园 车位不足


def photo_file(tmp_path) -> str:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (22.0, 33.0, 7.0)
    image = Image.new("RGB", (3000, 2000), (40, 150, 70))
    for x in range(0, 3000, 300):
        image.paste((230, 230, 230), (x, 900, x + 150, 1100))
    path = tmp_path / "整改后.jpg"
    image.save(path, "JPEG", exif=exif)
    return str(path)


def stored_photo(db_path) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("""SELECT p.id, p.compound_id, i.number FROM photos p JOIN issues i ON i.id = p.issue_id
                              WHERE p.issue_id = ? AND p.removed_at IS NULL ORDER BY p.id DESC LIMIT 1""",
                           [PARKING]).fetchone()
    finally:
        conn.close()
    return {"id": row[0], "compound_id": row[1], "number": row[2]}


def toggle(page) -> None:
    """Click the 公开 switch as a user does: on its label (the label takes the pointer)."""
    page.locator('[data-testid="stCheckbox"]', has=page.get_by_role("switch", name="公开", exact=True)) \
        .first.locator("label").click()


def open_panel(page, app_url: str) -> None:
    goto(page, f"{app_url}/issue?issue={PARKING}")
    page.get_by_text("照片", exact=True).first.click()
    wait_idle(page)
    page.get_by_role("button", name="上传照片").wait_for()
    assert_no_exception(page)


def test_an_after_photo_reaches_residents_only_while_public(page, app_url, demo_db, tmp_path):
    page.set_viewport_size(SIZES["desktop"])
    sign_in(page, app_url, "hx_secretary")
    open_panel(page, app_url)
    page.get_by_text("整改后", exact=True).first.click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(photo_file(tmp_path))
    wait_idle(page)
    page.get_by_role("button", name="上传照片").click()
    wait_idle(page)
    page.get_by_text("已上传 1 张照片").first.wait_for()
    page.locator('[data-testid="stImage"] img').first.wait_for()
    photo = stored_photo(demo_db)
    url = f"{app_url}/board/{photo['compound_id']}/photos/{photo['id']}.jpg"
    assert page.request.get(url).status == 404                         # private until marked

    toggle(page)
    wait_idle(page)
    page.get_by_text("照片已公开").first.wait_for()
    shot(page, ARTIFACTS, "staff-panel-public-desktop")
    served = page.request.get(url)
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    assert b"Exif" not in served.body() and Image.open(io.BytesIO(served.body())).size == (1600, 1067)

    resident = page.context.browser.new_context(viewport=SIZES["phone"], locale="zh-CN",
                                                java_script_enabled=False).new_page()
    resident.goto(f"{app_url}/board/{photo['compound_id']}/issues/{photo['number']}")
    thumb = resident.locator(f'img[src$="/photos/{photo["id"]}/thumb.jpg"]')
    assert thumb.count() == 1 and thumb.evaluate("i => i.complete && i.naturalWidth") == 320
    assert resident.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    thumb.scroll_into_view_if_needed()
    shot(resident, ARTIFACTS, "resident-issue-photo-phone")

    toggle(page)
    wait_idle(page)
    page.get_by_text("照片已取消公开").first.wait_for()
    assert page.request.get(url).status == 404
    resident.reload()
    assert resident.locator(f'img[src$="/photos/{photo["id"]}/thumb.jpg"]').count() == 0
    resident.context.close()
    assert page.errors_seen == []


@pytest.mark.parametrize("size", SIZES)
def test_the_photo_panel_at_phone_and_desktop_size(page, app_url, size):
    page.set_viewport_size(SIZES[size])
    sign_in(page, app_url, "hx_recorder")
    open_panel(page, app_url)
    page.get_by_role("button", name="上传照片").scroll_into_view_if_needed()
    shot(page, ARTIFACTS, f"staff-panel-{size}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.errors_seen == []
