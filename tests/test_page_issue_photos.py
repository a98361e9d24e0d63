"""议题详情, 照片 panel in AppTest on the demo: upload (a real JPEG with GPS, a text file named
.jpg), mark public, delete, and who sees a resident's photo."""
from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from deliberation.services.concerns import submit_concern
from deliberation.store import one, rows, scalar
from tests.page_session import button, expand, open_page, texts, user_id

PARKING = 4            # 鸿翔花园 车位不足 (resolved)
OPEN_KEY = f"issue_photos_open_{PARKING}"


@pytest.fixture
def db(demo_env):
    return demo_env


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (22.0, 33.0, 1.0)
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (90, 140, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def captions(at) -> list[str]:
    """The captions of the photos the page shows (st.image)."""
    return [caption for image in at.get("image") for caption in image.captions]


def upload(at, files: list[tuple[str, bytes, str]], kind: str = "整改后"):
    at.radio(key=f"issue_photo_kind_{PARKING}").set_value("result" if kind == "整改后" else "issue")
    at.file_uploader(key=f"issue_photo_files_{PARKING}_0").set_value(files)
    return button(at, "上传照片").click().run()


def test_the_secretary_uploads_an_after_photo_makes_it_public_and_deletes_it(db):
    at = expand(open_page("issue", user_id(db, "hx_secretary"), issue=PARKING), OPEN_KEY)
    assert not at.exception
    assert "暂无照片。" in texts(at)
    at = upload(at, [("after.jpg", jpeg_with_gps(), "image/jpeg")])
    assert not at.exception and not at.error
    assert "已上传 1 张照片" in texts(at)
    stored = rows(db, "SELECT id, kind, public, width, image FROM photos WHERE issue_id = ?", [PARKING])
    assert [(p["kind"], p["public"], p["width"]) for p in stored] == [("result", 0, 1600)]
    assert b"Exif" not in stored[0]["image"]
    assert captions(at) == ["整改后 · 未公开"]
    at.toggle(key=f"photo_public_{stored[0]['id']}").set_value(True).run()
    assert not at.exception and "照片已公开" in texts(at) and captions(at) == ["整改后 · 已公开"]
    assert scalar(db, "SELECT public FROM photos WHERE id = ?", [stored[0]["id"]]) == 1
    at = button(at, "确认删除照片").click().run()
    assert not at.exception and "照片已删除" in texts(at) and captions(at) == []
    assert scalar(db, "SELECT length(image) FROM photos WHERE id = ?", [stored[0]["id"]]) == 0


def test_a_text_file_named_jpg_is_refused_in_chinese_and_nothing_is_stored(db):
    at = expand(open_page("issue", user_id(db, "hx_recorder"), issue=PARKING), OPEN_KEY)
    at = upload(at, [("现场.jpg", "这其实是一段文字".encode(), "image/jpeg")], kind="现场/整改前")
    assert not at.exception
    assert [e.value for e in at.error] == ["这不是照片文件:请上传 JPEG、PNG 或 WebP 格式的照片"]
    assert scalar(db, "SELECT count(*) FROM photos") == 0


def test_who_sees_a_residents_photo_and_who_may_publish_or_delete(db):
    compound_id = one(db, "SELECT compound_id FROM issues WHERE id = ?", [PARKING])["compound_id"]
    category = one(db, "SELECT id FROM categories WHERE compound_id = ? ORDER BY id LIMIT 1", [compound_id])["id"]
    receipt = submit_concern(db, compound_id, category_id=category, description="楼下的车位一直被占着",
                             session_key="page-photos", photos=[jpeg_with_gps()])
    issue_key = f"issue_photos_open_{receipt.issue_id}"
    recorder = expand(open_page("issue", user_id(db, "hx_recorder"), issue=receipt.issue_id), issue_key)
    assert not recorder.exception
    assert captions(recorder) == ["居民照片 · 未公开"]
    assert not recorder.toggle                                   # marking public: the secretary's
    secretary = expand(open_page("issue", user_id(db, "hx_secretary"), issue=receipt.issue_id), issue_key)
    assert len(secretary.toggle) == 1
    owners = expand(open_page("issue", user_id(db, "hx_owners"), issue=receipt.issue_id), issue_key)
    assert not owners.exception
    assert captions(owners) == [] and "暂无照片。" in texts(owners)       # a seat rep: no personal photo
    assert not owners.toggle and not [b for b in owners.button if b.label == "确认删除照片"]
