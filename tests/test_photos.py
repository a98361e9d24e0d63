"""Photos (issue 11, item 2): bytes checked by what they are, cleaned of EXIF and GPS, bounded in
size and pixels; a resident's photo private until the secretary marks it public; removed photos
lose their bytes. Images are made here with Pillow, the attacks included."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms

from deliberation.model.errors import DomainError, NotFound, PermissionDenied
from deliberation.model.roles import Action
from deliberation.services import photo_files
from deliberation.services.concerns import submit_concern
from deliberation.services.issues import merge_issues
from deliberation.services.photo_files import LONG_SIDE, THUMB_SIDE, prepare_photo
from deliberation.services.photos import (MAX_CONCERN_PHOTOS, add_prepared_photos, attach_photos, photo_bytes,
                                          photos_of_issue, public_photo_bytes, public_photos_of_issue,
                                          remove_photo, set_photo_public)
from deliberation.services.use_case import changing
from deliberation.store import one, rows, scalar
from tests.factories import category_id, dump, is_chinese, make_issue

GPS_LATITUDE = (22.0, 32.0, 51.25)         # somewhere in 罗湖区: must not survive


# --- images made for the tests ---------------------------------------------------------------

def jpeg(size=(800, 600), color=(200, 60, 40), *, exif=None, **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=90, exif=exif or Image.Exif(), **save)
    return out.getvalue()


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.ImageDescription] = "8栋0902 王女士家"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (114.0, 7.0, 3.5)
    return exif


def two_halves(size=(400, 200)) -> Image.Image:
    """Left half red, right half blue: where they end up shows how the image was turned."""
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 0, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


def png(image: Image.Image, **save) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **save)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A valid, tiny PNG whose header declares width x height (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


# --- the pure checks -----------------------------------------------------------------------------

def test_gps_exif_comments_and_profile_are_gone_from_the_stored_file():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = jpeg(exif=exif_with_gps(), comment=b"taken at 8-0902", icc_profile=profile)
    assert opened(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)       # the test image has them
    assert opened(original).info["icc_profile"] == profile
    prepared = prepare_photo(original)
    for data in (prepared.image, prepared.thumb):
        image = opened(data)
        assert image.format == "JPEG"
        assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "comment", "icc_profile", "xmp"} & set(image.info)
        assert b"Exif" not in data and b"TestPhone" not in data and b"8-0902" not in data
        assert "王女士".encode() not in data


def test_exif_orientation_is_applied_before_the_tag_goes():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6          # the camera was turned: show rotated 90° clockwise
    out = io.BytesIO()
    two_halves().save(out, "JPEG", quality=95, exif=exif)
    prepared = prepare_photo(out.getvalue())
    image = opened(prepared.image).convert("RGB")
    assert (prepared.width, prepared.height) == image.size == (200, 400)
    top, bottom = image.getpixel((100, 20)), image.getpixel((100, 380))
    assert top[0] > 150 and top[2] < 80            # the left (red) half is now on top
    assert bottom[2] > 150 and bottom[0] < 80


def test_a_large_photo_is_reduced_and_given_a_thumbnail():
    prepared = prepare_photo(jpeg((4000, 3000)))
    assert (prepared.width, prepared.height) == (LONG_SIDE, 1200) == opened(prepared.image).size
    assert max(opened(prepared.thumb).size) == THUMB_SIDE
    assert len(prepared.sha256) == 64
    small = prepare_photo(png(Image.new("RGB", (300, 120), (10, 200, 10))))
    assert (small.width, small.height) == (300, 120)                      # never enlarged


def test_png_with_transparency_and_webp_are_accepted_as_jpeg():
    clear = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    assert opened(prepare_photo(png(clear)).image).convert("RGB").getpixel((50, 50)) > (240, 240, 240)
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (0, 120, 255)).save(out, "WEBP")
    assert opened(prepare_photo(out.getvalue()).image).format == "JPEG"


def test_an_animated_image_keeps_its_first_frame():
    out = io.BytesIO()
    frames = [Image.new("RGB", (120, 80), (230, 0, 0)), Image.new("RGB", (120, 80), (0, 0, 230))]
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert getattr(opened(out.getvalue()), "n_frames", 1) == 2
    pixel = opened(prepare_photo(out.getvalue()).image).convert("RGB").getpixel((60, 40))
    assert pixel[0] > 180 and pixel[2] < 60


@pytest.mark.parametrize("data", [
    "我是一个文本文件,只是名字叫 photo.jpg".encode(), b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    b"GIF89a" + b"\0" * 64, b"%PDF-1.7\n" + b"\0" * 64, b"",
], ids=["text", "svg", "gif", "pdf", "empty"])
def test_what_is_not_a_photo_is_refused_in_chinese_whatever_its_name(data):
    with pytest.raises(DomainError) as refused:
        prepare_photo(data)
    assert is_chinese(refused.value.message)


def test_a_broken_or_truncated_photo_is_refused_in_chinese():
    whole = jpeg((1200, 900))
    for data in (b"\xff\xd8\xff\xe0" + b"\x13" * 500, whole[: len(whole) // 3]):
        with pytest.raises(DomainError, match="无法读取"):
            prepare_photo(data)


def test_heic_without_a_pillow_plugin_asks_for_the_compatible_format():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\0" * 200
    with pytest.raises(DomainError, match="兼容"):
        prepare_photo(heic)


def test_a_50_mb_file_is_refused_before_anything_is_decoded(monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded a file that was too large")
    monkeypatch.setattr(photo_files.Image, "open", no_decoding)
    with pytest.raises(DomainError, match="10 MB"):
        prepare_photo(b"\xff\xd8\xff\xe0" + b"\0" * (50 * 1024 * 1024))


@pytest.mark.parametrize("width,height", [(30000, 30000), (9000, 6000)], ids=["bomb", "over-50-megapixels"])
def test_a_decompression_bomb_is_refused_from_its_header(width, height, monkeypatch):
    data = png_declaring(width, height)
    assert len(data) < 200
    monkeypatch.setattr(photo_files.Image.Image, "load", lambda self: pytest.fail("pixels decoded"))
    with pytest.raises(DomainError, match="像素过大"):
        prepare_photo(data)


def test_a_png_is_held_to_a_lower_pixel_limit_than_a_jpeg():
    # A PNG decodes every pixel; a JPEG is decoded at a reduced scale: 30 megapixels pass only as JPEG.
    with pytest.raises(DomainError, match="24 百万像素"):
        prepare_photo(png_declaring(6000, 5000))
    assert prepare_photo(jpeg((6000, 5000))).width == LONG_SIDE


def test_a_highly_compressed_huge_image_is_refused():
    bomb = png(Image.new("1", (10000, 6000)), optimize=True)      # 60 megapixels in a few KB
    assert len(bomb) < 100_000
    with pytest.raises(DomainError, match="像素过大"):
        prepare_photo(bomb)


# --- staff photos, the public flag and who may set it ----------------------------------------

def _photo_count(db) -> int:
    return scalar(db, "SELECT count(*) FROM photos")


def test_staff_photos_are_private_until_the_secretary_marks_one_public(world, actors):
    db, a = world.db, world.a
    issue_id = make_issue(db, actors["secretary_a"], a)
    ids = attach_photos(db, actors["recorder_a"], issue_id, [jpeg(), jpeg(color=(0, 90, 0))], kind="issue")
    assert [p["id"] for p in photos_of_issue(db, actors["seat_rep_owners_a"], issue_id)] == ids
    assert public_photos_of_issue(db, issue_id) == []
    assert public_photo_bytes(db, a, ids[0], thumb=False) is None
    set_photo_public(db, actors["secretary_a"], ids[0], True)
    assert [p["id"] for p in public_photos_of_issue(db, issue_id)] == [ids[0]]
    stored = photo_bytes(db, actors["recorder_a"], ids[0])
    assert public_photo_bytes(db, a, ids[0], thumb=False) == stored
    assert opened(public_photo_bytes(db, a, ids[0], thumb=True)).size[0] <= THUMB_SIDE
    set_photo_public(db, actors["admin"], ids[0], False)                 # admin holds PUBLISH too
    assert public_photo_bytes(db, a, ids[0], thumb=False) is None


@pytest.mark.parametrize("role", ["recorder_a", "seat_rep_property_a", "officer", "secretary_b"])
def test_only_the_publish_right_marks_a_photo_public_and_a_refusal_is_audited(world, actors, role):
    db = world.db
    issue_id = make_issue(db, actors["secretary_a"], world.a)
    [photo_id] = attach_photos(db, actors["secretary_a"], issue_id, [jpeg()], kind="result")
    refused = scalar(db, "SELECT count(*) FROM events WHERE kind = 'refused'")
    with pytest.raises(PermissionDenied):
        set_photo_public(db, actors[role], photo_id, True)
    assert scalar(db, "SELECT count(*) FROM events WHERE kind = 'refused'") == refused + 1
    assert public_photos_of_issue(db, issue_id) == []


def test_a_tampered_compound_or_photo_id_gets_nothing(world, actors):
    db, a, b = world.db, world.a, world.compounds["B"]
    issue_id = make_issue(db, actors["secretary_a"], a)
    [photo_id] = attach_photos(db, actors["secretary_a"], issue_id, [jpeg()], kind="issue", public=True)
    assert public_photo_bytes(db, a, photo_id, thumb=True)
    assert public_photo_bytes(db, b, photo_id, thumb=True) is None
    assert public_photo_bytes(db, a, photo_id + 1000, thumb=False) is None
    with pytest.raises(PermissionDenied):
        photo_bytes(db, actors["secretary_b"], photo_id)
    with pytest.raises(PermissionDenied):
        attach_photos(db, actors["secretary_b"], issue_id, [jpeg()], kind="issue")


def test_a_refused_upload_stores_nothing_and_names_the_bad_file(world, actors):
    db = world.db
    issue_id = make_issue(db, actors["secretary_a"], world.a)
    before = dump(db)
    with pytest.raises(DomainError, match="第 2 张照片") as refused:
        attach_photos(db, actors["recorder_a"], issue_id, [jpeg(), "纯文本".encode()], kind="issue")
    assert is_chinese(refused.value.message)
    with pytest.raises(PermissionDenied):       # a recorder cannot publish at upload either
        attach_photos(db, actors["recorder_a"], issue_id, [jpeg()], kind="issue", public=True)
    with pytest.raises(DomainError, match="类别"):
        attach_photos(db, actors["recorder_a"], issue_id, [jpeg()], kind="concern")
    after = dump(db)
    assert after["photos"] == before["photos"] == []
    assert [e for e in after["events"] if e["kind"] != "refused"] == \
        [e for e in before["events"] if e["kind"] != "refused"]


def test_a_removed_photo_loses_its_bytes_everywhere(world, actors):
    db, a = world.db, world.a
    issue_id = make_issue(db, actors["secretary_a"], a)
    [photo_id] = attach_photos(db, actors["secretary_a"], issue_id, [jpeg()], kind="issue", public=True)
    with pytest.raises(PermissionDenied):
        remove_photo(db, actors["seat_rep_owners_a"], photo_id)
    remove_photo(db, actors["recorder_a"], photo_id)
    row = one(db, "SELECT length(image) AS image, length(thumb) AS thumb, public, removed_at FROM photos "
                  "WHERE id = ?", [photo_id])
    assert (row["image"], row["thumb"], row["public"]) == (0, 0, 0) and row["removed_at"]
    assert public_photo_bytes(db, a, photo_id, thumb=False) is None
    assert photos_of_issue(db, actors["secretary_a"], issue_id) == []
    with pytest.raises(NotFound):
        photo_bytes(db, actors["secretary_a"], photo_id)
    with pytest.raises(NotFound):
        set_photo_public(db, actors["secretary_a"], photo_id, True)


def test_events_hold_ids_and_counts_only(world, actors):
    db = world.db
    issue_id = make_issue(db, actors["secretary_a"], world.a)
    ids = attach_photos(db, actors["recorder_a"], issue_id, [jpeg(exif=exif_with_gps())], kind="issue")
    set_photo_public(db, actors["secretary_a"], ids[0], True)
    remove_photo(db, actors["secretary_a"], ids[0])
    events = rows(db, "SELECT kind, note, data FROM events WHERE kind LIKE 'photo%' ORDER BY id")
    assert [e["kind"] for e in events] == ["photos_added", "photo_public", "photo_removed"]
    assert all(e["note"] == "" and "王女士" not in e["data"] and len(e["data"]) < 200 for e in events)


# --- a resident's photos ------------------------------------------------------------------------

def _concern_with_photos(db, compound_id: int, files: list[bytes]):
    return submit_concern(db, compound_id, category_id=category_id(db, compound_id, "停车"),
                          description="地库入口的车位被长期占用", building="3栋", contact="13800001234",
                          session_key="photo-test", photos=files)


def test_a_concern_photo_is_personal_and_private_until_marked(world, actors):
    db, a = world.db, world.a
    receipt = _concern_with_photos(db, a, [jpeg(exif=exif_with_gps())])
    issue_id = receipt.issue_id
    stored = rows(db, "SELECT id, kind, public, image FROM photos WHERE issue_id = ?", [issue_id])
    assert [(p["kind"], p["public"]) for p in stored] == [("concern", 0)]
    assert b"Exif" not in stored[0]["image"]
    photo_id = stored[0]["id"]
    assert public_photos_of_issue(db, issue_id) == []
    # Seen by the secretary and recorder (READ_PERSONAL) only.
    assert [p["id"] for p in photos_of_issue(db, actors["recorder_a"], issue_id)] == [photo_id]
    for role in ("seat_rep_owners_a", "officer", "admin"):
        assert photos_of_issue(db, actors[role], issue_id) == []
        with pytest.raises(PermissionDenied):
            photo_bytes(db, actors[role], photo_id, thumb=True)
    with pytest.raises(PermissionDenied):
        set_photo_public(db, actors["admin"], photo_id, True)      # can't publish what it may not see
    set_photo_public(db, actors["secretary_a"], photo_id, True)
    assert public_photos_of_issue(db, issue_id) == [{"id": photo_id, "kind": "concern", "width": 800,
                                                     "height": 600}]


def test_at_most_three_photos_per_concern(world, actors):
    db, a = world.db, world.a
    receipt = _concern_with_photos(db, a, [jpeg(), jpeg()])
    report_id = one(db, "SELECT id FROM reports WHERE issue_id = ?", [receipt.issue_id])["id"]
    two_more = [prepare_photo(jpeg()), prepare_photo(jpeg())]
    with pytest.raises(DomainError, match=str(MAX_CONCERN_PHOTOS)):
        with changing(db, actors["secretary_a"], Action.RAISE_ISSUE, a) as change:
            add_prepared_photos(change, receipt.issue_id, two_more, kind="concern", report_id=report_id)
    assert _photo_count(db) == 2
    with pytest.raises(NotFound):                 # the change's compound must be the issue's
        with changing(db, actors["secretary_b"], Action.RAISE_ISSUE, world.compounds["B"]) as change:
            add_prepared_photos(change, receipt.issue_id, two_more[:1], kind="issue")
    assert _photo_count(db) == 2


def test_a_concern_with_a_bad_photo_is_refused_whole(world):
    db, a = world.db, world.a
    before = dump(db)
    for files in ([jpeg(), b"not an image"], [png_declaring(30000, 30000)],
                  [b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024)]):
        with pytest.raises(DomainError) as refused:
            _concern_with_photos(db, a, files)
        assert is_chinese(refused.value.message)
    assert dump(db) == before


def test_a_residents_photo_follows_its_report_into_the_issue_it_was_merged_into(world, actors):
    db, a, secretary = world.db, world.a, actors["secretary_a"]
    kept = make_issue(db, secretary, a)
    duplicate = _concern_with_photos(db, a, [jpeg(color=(0, 0, 200))]).issue_id
    merge_issues(db, secretary, duplicate, kept)
    [photo] = photos_of_issue(db, actors["recorder_a"], kept)
    assert photo["kind"] == "concern"
    set_photo_public(db, secretary, photo["id"], True)
    assert [p["id"] for p in public_photos_of_issue(db, kept)] == [photo["id"]]     # shown where it now belongs
    assert public_photos_of_issue(db, duplicate) == []
