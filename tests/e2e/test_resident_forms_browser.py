"""The residents' write side in real Chromium on a 390x844 phone with JavaScript switched OFF,
against the real server (`streamlit run app.py`: the Streamlit app with the /board/ pages beside
it) on the demo data: raise a concern with a phone photo carrying its GPS position, keep the
receipt, track it; a text file named .jpg and a decompression bomb are refused in Chinese with
nothing stored; a household rates a result during 公示. axe-core finds no serious or critical
violation on the report, receipt and track pages."""
from __future__ import annotations

import io
import re
import sqlite3

import pytest
from PIL import ExifTags, Image

from .axe import axe_violations, describe
from .helpers import PHONE, shot

ARTIFACTS = "test_resident_forms_browser"
WORDS = "3栋门口的路灯坏了一个星期,晚上看不清台阶"


@pytest.fixture(scope="module")
def server(streamlit_server, demo_db) -> str:
    return streamlit_server(demo_db, app="app.py")


def check_axe(axe_tab, url: str, html: str) -> None:
    """axe on exactly the HTML the phone got (a POST's answer cannot be fetched again by URL)."""
    axe_tab.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    axe_tab.goto(url)
    axe_tab.unroute(url)
    found = axe_violations(axe_tab)
    assert found == [], describe(found)


def gps_jpeg() -> bytes:
    """A phone photo: JPEG with EXIF carrying a GPS position (Shenzhen) and the camera model."""
    image = Image.new("RGB", (2000, 1500), (90, 140, 200))
    for x in range(0, 2000, 50):
        image.paste((250, 220, 60), (x, 0, x + 20, 1500))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "TestPhone 15"
    exif[ExifTags.Base.Orientation] = 1
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (22.0, 32.0, 45.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (114.0, 7.0, 30.25)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)     # the GPS is really there
    return data


def bomb_png() -> bytes:
    """A decompression bomb: a small file that declares 100 million pixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def query(db_path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def counts(db_path) -> tuple:
    return query(db_path, "SELECT (SELECT count(*) FROM issues), (SELECT count(*) FROM reports), "
                          "(SELECT count(*) FROM photos)")[0]


def fill_report(page, base: str, compound: int, files: list[dict]) -> None:
    page.goto(f"{base}/board/{compound}/report")
    page.get_by_label("问题类别").select_option(label="物业服务")
    page.get_by_label("问题描述").fill(WORDS)
    page.get_by_label("楼栋(选填)").fill("3栋")
    page.get_by_label("联系方式(选填)").fill("13900001111")
    page.get_by_label(re.compile("^照片")).set_input_files(files)


def send(page, files: list[dict]) -> None:
    """提交反映; when similar open issues come first, 仍然提交新反映 with the photos chosen again."""
    page.get_by_role("button", name="提交反映").click()
    if page.get_by_role("button", name="仍然提交新反映").count():
        assert page.get_by_text("照片需要重新选择").count() == 1
        assert page.get_by_label("问题描述").input_value() == WORDS          # everything typed is kept
        page.get_by_label(re.compile("^照片")).set_input_files(files)
        page.get_by_role("button", name="仍然提交新反映").click()


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_raise_a_concern_with_a_gps_photo_keep_the_receipt_and_track_it(phone, axe_tab, server, demo_db):
    photo = [{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()}]
    fill_report(phone, server, 1, photo)
    no_horizontal_scroll(phone)
    shot(phone, ARTIFACTS, "report-filled")
    check_axe(axe_tab, phone.url, phone.content())
    send(phone, photo)
    phone.get_by_role("heading", name="已收到您的反映").wait_for()
    number = int(phone.locator(".big").inner_text().lstrip("#"))
    secret = phone.locator(".secret").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", secret)
    no_horizontal_scroll(phone)
    shot(phone, ARTIFACTS, "receipt")
    sent = counts(demo_db)
    phone.reload()                                        # a reload shows the receipt again, sends nothing
    assert phone.locator(".secret").inner_text() == secret and counts(demo_db) == sent
    check_axe(axe_tab, phone.url, phone.content())

    # The stored photo: re-encoded, no EXIF at all (so no GPS, no camera), private, on this concern.
    stored = query(demo_db, """SELECT p.image, p.public, p.kind, p.width FROM photos p JOIN issues i ON i.id = p.issue_id
                               WHERE i.compound_id = 1 AND i.number = ?""", [number])
    assert len(stored) == 1
    image, public, kind, width = stored[0]
    assert (public, kind, width) == (0, "concern", 1600)
    kept = Image.open(io.BytesIO(image))
    assert dict(kept.getexif()) == {} and "exif" not in kept.info
    assert b"Exif" not in image and b"TestPhone" not in image

    phone.get_by_role("link", name="查询办理进展").click()
    phone.get_by_label("受理编号").fill(str(number))
    phone.get_by_label("回执码或议事码").fill(secret.lower().replace("-", " "))
    phone.get_by_role("button", name="查询").click()
    phone.get_by_role("heading", name=f"#{number} 居民反映:物业服务(3栋)").wait_for()
    assert phone.get_by_text("已收到,待支部受理").count() >= 1
    assert "前(24 小时内)受理或答复" in phone.locator("dl.facts").inner_text(), phone.locator("dl.facts").inner_text()
    assert phone.get_by_text(WORDS).count() == 0 and phone.get_by_text("13900001111").count() == 0
    assert secret not in phone.url
    no_horizontal_scroll(phone)
    shot(phone, ARTIFACTS, "tracked")
    check_axe(axe_tab, phone.url, phone.content())

    # The photo is not on the board: its issue page shows no photo, the photo URL is a 404.
    phone.goto(f"{server}/board/1/issues/{number}")
    assert phone.locator("ul.photos img").count() == 0
    photo_id = query(demo_db, "SELECT p.id FROM photos p JOIN issues i ON i.id = p.issue_id "
                              "WHERE i.compound_id = 1 AND i.number = ?", [number])[0][0]
    for url in (f"{server}/board/1/photos/{photo_id}.jpg", f"{server}/board/1/photos/{photo_id}/thumb.jpg"):
        answer = phone.request.get(url)
        assert answer.status == 404 and answer.headers["content-type"].startswith("text/html"), url


@pytest.mark.parametrize("name, data, message", [
    ("notes.jpg", "这其实是一个文本文件,不是照片。\n".encode() * 20, "这不是照片文件"),
    ("bomb.png", None, "照片像素过大"),
])
def test_a_text_file_named_jpg_and_a_decompression_bomb_are_refused_with_nothing_stored(
        phone, server, demo_db, name, data, message):
    before = counts(demo_db)
    files = [{"name": name, "mimeType": "image/jpeg", "buffer": data if data is not None else bomb_png()}]
    fill_report(phone, server, 1, files)
    send(phone, files)
    alert = phone.get_by_role("alert")
    alert.wait_for()
    assert message in alert.inner_text()
    assert phone.get_by_label("问题描述").input_value() == WORDS           # what was typed is still there
    assert phone.get_by_label("联系方式(选填)").input_value() == "13900001111"
    shot(phone, ARTIFACTS, f"refused-{name}")
    assert counts(demo_db) == before


def test_a_household_rates_a_result_during_publicity(phone, axe_tab, server, demo_db):
    compound, number, issue_id = query(demo_db, """SELECT compound_id, number, id FROM issues WHERE stage = 'publicizing'
                                                   AND objection_closes_on >= date('now', 'localtime')
                                                   ORDER BY id LIMIT 1""")[0]
    phone.goto(f"{server}/board/{compound}/issues/{number}")
    phone.get_by_role("heading", name="评价办理结果").wait_for()
    no_horizontal_scroll(phone)
    shot(phone, ARTIFACTS, "rating-form")
    check_axe(axe_tab, phone.url, phone.content())
    phone.get_by_label("基本满意").check()
    phone.get_by_label("意见(选填)").fill("整改后好多了,希望保持")
    phone.get_by_role("button", name="提交评价").click()
    phone.get_by_text("感谢您的评价!").wait_for()
    shot(phone, ARTIFACTS, "rated")
    assert query(demo_db, "SELECT rating, comment FROM feedback WHERE issue_id = ? ORDER BY id DESC LIMIT 1",
                 [issue_id]) == [("basic", "整改后好多了,希望保持")]
