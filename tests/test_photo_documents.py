"""Photos in the printed documents: the 公示 notice and the public minutes print only photos marked
public; the internal minutes print the staff's photos too, never a resident's private one. Read
back from the DOCX and PDF bytes, as a reader's viewer would."""
from __future__ import annotations

import io

import docx
import pytest
from PIL import Image
from pypdf import PdfReader

from deliberation.exports.minutes import minutes_docx, minutes_markdown, minutes_pdf
from deliberation.exports.notice import notice_docx, notice_pdf
from deliberation.services import meetings as meeting_svc
from deliberation.services.concerns import submit_concern
from deliberation.services.documents import minutes_view, notice_view
from deliberation.services.issues import accept_concern
from deliberation.services.photos import attach_photos, photos_of_issue, set_photo_public
from deliberation.services.publicity import publish_result
from tests.document_text import docx_text, pdf_text
from tests.factories import category_id, decide, open_meeting, version_of

BLUE, GREEN, RED, GREY = (20, 60, 230), (20, 200, 40), (230, 30, 30), (128, 128, 128)


def jpeg(color, size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def colours(images) -> list[tuple[int, int, int]]:
    """The middle pixel of each embedded photo (the QR code left out: it is black and white PNG)."""
    found = []
    for data in images:
        image = Image.open(io.BytesIO(data)).convert("RGB")
        r, g, b = image.getpixel((image.width // 2, image.height // 2))
        if not (abs(r - g) < 10 and abs(g - b) < 10):
            found.append((r, g, b))
    return found


def close_to(found, wanted) -> bool:
    return len(found) == len(wanted) and all(all(abs(a - b) < 40 for a, b in zip(f, w))
                                             for f, w in zip(sorted(found), sorted(wanted)))


def docx_images(data: bytes) -> list[bytes]:
    document = docx.Document(io.BytesIO(data))
    return [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]


def pdf_images(data: bytes) -> list[bytes]:
    return [image.data for page in PdfReader(io.BytesIO(data)).pages for image in page.images]


@pytest.fixture
def published(world, actors):
    """A resident's concern (with a private photo), accepted, decided at a meeting and published
    for 公示, with a public 整改后 photo, a private 现场 photo and a public one of the resident."""
    db, a, secretary = world.db, world.a, actors["secretary_a"]
    receipt = submit_concern(db, a, category_id=category_id(db, a, "停车"), description="地库入口积水严重",
                             session_key="docs", photos=[jpeg(RED), jpeg(GREY)])
    issue_id = receipt.issue_id
    accept_concern(db, secretary, issue_id, version_of(db, issue_id), title="地库入口积水")
    meeting_id = open_meeting(db, secretary, a, [issue_id])
    decide(db, secretary, meeting_id, issue_id, outcome="actions")
    meeting_svc.finish_meeting(db, secretary, meeting_id)
    publish_result(db, secretary, issue_id, summary="已疏通排水沟")
    [after] = attach_photos(db, secretary, issue_id, [jpeg(GREEN)], kind="result", public=True)
    attach_photos(db, actors["recorder_a"], issue_id, [jpeg(BLUE, (900, 1200))], kind="issue")   # private
    resident_photos = [p["id"] for p in photos_of_issue(db, secretary, issue_id) if p["kind"] == "concern"]
    set_photo_public(db, secretary, resident_photos[0], True)                # the red one; grey stays private
    return db, issue_id, meeting_id


def test_the_notice_prints_the_public_photos_with_their_labels(published, actors, world):
    db, issue_id, _ = published
    view = notice_view(db, actors["secretary_a"], world.a)
    [item] = view.items
    assert [p.label for p in item.photos] == ["居民拍摄", "整改后"]
    for data, images in ((notice_docx(view), docx_images), (notice_pdf(view), pdf_images)):
        assert close_to(colours(images(data)), [RED, GREEN])
    assert "1.地库入口积水照片" in pdf_text(notice_pdf(view))
    assert "整改后" in docx_text(notice_docx(view)) and "居民拍摄" in docx_text(notice_docx(view))


def test_public_minutes_show_public_photos_and_internal_minutes_add_staff_photos(published, actors):
    db, issue_id, meeting_id = published
    secretary = actors["secretary_a"]
    meeting_svc.approve_minutes(db, secretary, meeting_id)
    meeting_svc.publish_minutes(db, secretary, meeting_id, "会议审议了地库积水问题")
    public = minutes_view(db, actors["seat_rep_owners_a"], meeting_id, public=True)
    assert [p.label for p in public.items[0].photos] == ["居民拍摄", "整改后"]
    for data, images in ((minutes_docx(public), docx_images), (minutes_pdf(public), pdf_images)):
        assert close_to(colours(images(data)), [RED, GREEN])
    assert "**照片**：2 张" in minutes_markdown(public)
    internal = minutes_view(db, actors["recorder_a"], meeting_id)
    assert sorted(p.label for p in internal.items[0].photos) == ["居民拍摄", "整改后", "现场/整改前"]
    for data, images in ((minutes_docx(internal), docx_images), (minutes_pdf(internal), pdf_images)):
        assert close_to(colours(images(data)), [RED, GREEN, BLUE])          # never the grey private one


def test_a_photo_made_private_leaves_the_next_notice(published, actors, world):
    db, issue_id, _ = published
    secretary = actors["secretary_a"]
    for photo in photos_of_issue(db, secretary, issue_id):
        set_photo_public(db, secretary, photo["id"], False)
    view = notice_view(db, secretary, world.a)
    assert view.items[0].photos == ()
    assert colours(pdf_images(notice_pdf(view))) == [] and len(pdf_images(notice_pdf(view))) == 1   # the QR code
