"""Posters for the notice board, and the QR codes printed on them and on the 公示 notice, read the
way a phone reads them: each PDF page is rendered (pdftoppm) and the QR code on it decoded with a
real reader (zxing-cpp). What the code opens must be the configured public address; while none is
configured the page says so in red."""
from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import segno
import zxingcpp
from PIL import Image, ImageChops
from pypdf import PdfReader

from deliberation.exports.notice import notice_pdf
from deliberation.exports.poster import TITLE, PosterView, compound_poster_pdf
from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.actors import load_actor
from deliberation.services.compound_admin import retire_compound
from deliberation.services.compounds import create_area, create_compound, find_compound, get_compound
from deliberation.services.deployment import LOCAL, UNSET, set_public_url
from deliberation.services.documents import notice_view
from deliberation.services.posters import area_posters, compound_poster
from deliberation.store.areas import live_compound_ids_under
from tests.document_text import pdf_text
from tests.factories import db_path
from tests.page_session import open_page_on, user_id

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = "https://yishi.example.cn"
DPI = 100
MM = DPI / 25.4                       # pixels per millimetre at DPI


def rendered_pages(pdf: bytes, *, dpi: int = DPI, colour: bool = False) -> list[Image.Image]:
    """Each page as printed, rendered by poppler: the pixels a printer (and then a phone) gets."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), *([] if colour else ["-gray"]), "-png", str(source),
                        str(Path(tmp) / "page")], check=True, timeout=120)
        pages = []
        for path in sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            with Image.open(path) as image:
                pages.append(image.convert("RGB" if colour else "L"))
        return pages


def qr_codes(page: Image.Image) -> list[zxingcpp.Result]:
    return [r for r in zxingcpp.read_barcodes(page) if r.format == zxingcpp.BarcodeFormat.QRCode]


def the_qr_text(page: Image.Image) -> str:
    found = qr_codes(page)
    assert len(found) == 1, f"expected one QR code on the page, found {len(found)}"
    return found[0].text


def page_texts(pdf: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def public(world):
    """The deployment's public address configured by the admin, as a new deployment would."""
    set_public_url(world.db, world.actors["admin"], PUBLIC + "/")
    return PUBLIC


# --- the compound's poster ------------------------------------------------------------------------

def test_the_compound_poster_qr_code_opens_the_compound_board_at_the_configured_address(world, public):
    pdf = compound_poster(world.db, world.actors["secretary_a"], world.a)
    pages = rendered_pages(pdf)
    assert len(pages) == 1
    assert the_qr_text(pages[0]) == f"{PUBLIC}/board/{world.a}"
    text = pdf_text(pdf)
    compound = get_compound(world.db, world.a)
    for shown in (TITLE, compound.name, compound.branch_name, f"{PUBLIC}/board/{world.a}", "查看公示", "反映问题",
                  "查询进度"):
        assert flat(shown) in text
    assert flat(UNSET) not in text and "公开访问地址" not in text and "〔示例〕" not in text


def test_the_poster_qr_code_is_at_least_8_cm_wide_with_its_quiet_zone_white(world, public):
    url = f"{PUBLIC}/board/{world.a}"
    page = rendered_pages(compound_poster(world.db, world.actors["secretary_a"], world.a))[0]
    where = qr_codes(page)[0].position
    width_px = where.top_right.x - where.top_left.x
    assert width_px >= 80 * MM
    modules = len(segno.make(url, error="m", micro=False).matrix)
    module_px = width_px / modules
    # The 4-module margin around the code: white all round, or phones lose the code's edges.
    left, top = where.top_left.x, where.top_left.y
    right, bottom = where.bottom_right.x, where.bottom_right.y
    ring = 4 * module_px - 2
    for box in ((left - ring, top - ring, right + ring, top - 2),           # above
                (left - ring, bottom + 2, right + ring, bottom + ring),     # below
                (left - ring, top, left - 2, bottom),                     # left
                (right + 2, top, right + ring, bottom)):                  # right
        darkest, _ = page.crop(tuple(round(v) for v in box)).getextrema()
        assert darkest > 200, f"something is printed in the quiet zone {box}"


def test_a_demo_compound_poster_says_it_is_an_example():
    pdf = compound_poster_pdf([PosterView("鸿翔花园", "鸿翔花园联合党支部", "罗湖区/桂园街道/松园社区",
                                          f"{PUBLIC}/board/1", demo=True)])
    assert "鸿翔花园〔示例〕" in pdf_text(pdf)


def test_a_long_hostile_name_shrinks_and_the_page_still_holds_a_readable_code():
    url = f"{PUBLIC}/board/99"
    view = PosterView("<script>alert(1)</script>很长的小区名称" * 4, "<b>党支部</b>" * 12, "区/街道", url,
                      address_problem=UNSET)
    pdf = compound_poster_pdf([view])
    pages = rendered_pages(pdf)
    assert len(pages) == 1
    assert the_qr_text(pages[0]) == url
    assert flat(UNSET) in pdf_text(pdf)


# --- an area's posters ----------------------------------------------------------------------------

def test_the_area_pdf_has_a_page_per_compound_each_with_its_own_qr_code(world, public):
    officer = world.actors["officer"]                       # 松园社区: compounds A and B
    pdf = area_posters(world.db, officer, world.areas["松园社区"])
    pages = rendered_pages(pdf)
    texts = page_texts(pdf)
    expected = sorted((get_compound(world.db, c).name, c) for c in (world.compounds["A"], world.compounds["B"]))
    assert len(pages) == len(texts) == 2
    for (name, compound_id), page, text in zip(expected, pages, texts):
        assert name in text                                  # name order, each page its own compound
        assert the_qr_text(page) == f"{PUBLIC}/board/{compound_id}"
        assert f"{PUBLIC}/board/{compound_id}" in text


def test_the_whole_district_gets_every_compound_below_it_and_leaves_out_retired_ones(world, public):
    admin = world.actors["admin"]
    extra = create_compound(world.db, admin, world.areas["湖贝社区"], "丁花园", branch_name="丁花园联合党支部")
    gone = world.compounds["B"]
    retire_compound(world.db, admin, gone, get_compound(world.db, gone).version)
    pdf = area_posters(world.db, admin, world.areas["罗湖区"])
    decoded = [the_qr_text(page) for page in rendered_pages(pdf)]
    live = (world.compounds["A"], world.compounds["C"], extra)
    assert sorted(decoded) == sorted(f"{PUBLIC}/board/{c}" for c in live)
    names = [get_compound(world.db, c).name for c in live]
    assert [next(n for n in names if n in text) for text in page_texts(pdf)] == sorted(names)
    assert "丁花园联合党支部" in pdf_text(pdf)
    with pytest.raises(DomainError, match="已停用"):
        compound_poster(world.db, admin, gone)


def test_an_officer_of_another_area_is_refused_the_area_pdf(world, public):
    with pytest.raises(PermissionDenied):
        area_posters(world.db, world.actors["officer_other"], world.areas["松园社区"])


def test_a_resident_and_another_compound_secretary_are_refused_a_compound_poster(world, public):
    for who in ("resident", "secretary_b"):
        with pytest.raises(PermissionDenied):
            compound_poster(world.db, world.actors[who], world.a)


def test_an_area_without_live_compounds_says_so(world, public):
    admin = world.actors["admin"]
    empty = create_area(world.db, admin, "空社区", "community", world.areas["东门街道"])
    with pytest.raises(DomainError, match="没有在用的小区"):
        area_posters(world.db, admin, empty)


# --- the public address: configured, unset, local -------------------------------------------------

def test_the_notice_qr_code_opens_the_board_at_the_configured_address(world, public):
    pdf = notice_pdf(notice_view(world.db, world.actors["secretary_a"], world.a))
    decoded = [the_qr_text(page) for page in rendered_pages(pdf) if qr_codes(page)]
    assert decoded == [f"{PUBLIC}/board/{world.a}"]
    assert flat(UNSET) not in pdf_text(pdf)


def test_with_no_address_configured_the_poster_and_the_notice_say_so_in_red(world):
    poster = compound_poster(world.db, world.actors["secretary_a"], world.a)
    notice = notice_pdf(notice_view(world.db, world.actors["secretary_a"], world.a))
    for pdf in (poster, notice):
        assert flat(UNSET) in pdf_text(pdf)
        assert _has_red_ink(rendered_pages(pdf, dpi=50, colour=True)[0])
    # With the address configured the warning and its red are gone.
    set_public_url(world.db, world.actors["admin"], PUBLIC)
    poster = compound_poster(world.db, world.actors["secretary_a"], world.a)
    assert flat(UNSET) not in pdf_text(poster)
    assert not _has_red_ink(rendered_pages(poster, dpi=50, colour=True)[0])


def test_a_local_address_is_warned_about_too(world):
    set_public_url(world.db, world.actors["admin"], "http://127.0.0.1:8501")
    pdf = area_posters(world.db, world.actors["officer"], world.areas["松园社区"])
    warning = flat(LOCAL.format(host="127.0.0.1"))
    assert all(warning in text for text in page_texts(pdf))


def _has_red_ink(page: Image.Image) -> bool:
    red, green, blue = (band.point(lambda v, keep=keep: 255 if keep(v) else 0)
                        for band, keep in zip(page.split(), (lambda v: v > 150, lambda v: v < 90, lambda v: v < 90)))
    return ImageChops.multiply(ImageChops.multiply(red, green), blue).getbbox() is not None


# --- the command line -----------------------------------------------------------------------------

def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deliberation", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_cli_writes_a_compound_poster_and_an_area_pdf(world, public, tmp_path):
    db = db_path(world.db)
    name = get_compound(world.db, world.a).name
    out = tmp_path / "poster.pdf"
    done = run("export", "poster", "--db", db, "--compound", name, "-o", out)
    assert done.returncode == 0, done.stderr
    assert the_qr_text(rendered_pages(out.read_bytes())[0]) == f"{PUBLIC}/board/{world.a}"
    out = tmp_path / "area.pdf"
    done = run("export", "poster", "--db", db, "--area", "松园社区", "-o", out)
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(out).pages) == 2


def test_the_cli_warns_on_stderr_without_an_address_and_refuses_a_bad_scope(world, tmp_path):
    db = db_path(world.db)
    name = get_compound(world.db, world.a).name
    done = run("export", "poster", "--db", db, "--compound", name, "-o", tmp_path / "p.pdf")
    assert done.returncode == 0 and "尚未设置公开访问地址" in done.stderr
    done = run("export", "poster", "--db", db, "--compound", name, "--area", "松园社区", "-o", tmp_path / "x.pdf")
    assert done.returncode != 0 and "二选一" in done.stderr and "Traceback" not in done.stderr
    done = run("export", "poster", "--db", db, "--compound", "不存在花园", "-o", tmp_path / "y.pdf")
    assert done.returncode != 0 and "找不到小区" in done.stderr and not (tmp_path / "y.pdf").exists()



# --- where users get them: the 工作台 and the area roll-up ----------------------------------------

def _click(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _prepared(at, panel: str) -> bytes:
    """The bytes behind the panel's download button, as the browser would receive them."""
    (file,) = at.session_state[f"downloads_{panel}_files"]["files"]
    assert file.mime == "application/pdf" and file.name.endswith(".pdf")
    return file.data


def test_the_workbench_offers_the_compound_poster_and_warns_while_no_address_is_set(demo_copy, monkeypatch):
    db = demo_copy
    compound_id = find_compound(db, "鸿翔花园").id
    at = open_page_on(db_path(db), monkeypatch, "home", "hx_secretary")
    assert not at.exception
    assert any("尚未设置公开访问地址" in w.value for w in at.warning)
    at = _click(at, "生成海报")
    assert not at.exception
    assert "PDF" in [b.proto.label for b in at.get("download_button")]
    pdf = _prepared(at, "poster")
    assert the_qr_text(rendered_pages(pdf)[0]) == f"http://localhost:8501/board/{compound_id}"
    assert flat(UNSET) in pdf_text(pdf) and "鸿翔花园联合党支部" in pdf_text(pdf)
    # The admin sets the address: the panel stops warning and the poster opens the real board.
    set_public_url(db, load_actor(db, user_id(db, "admin")), PUBLIC)
    at = open_page_on(db_path(db), monkeypatch, "home", "hx_secretary")
    assert not any("公开访问地址" in w.value for w in at.warning)
    pdf = _prepared(_click(at, "生成海报"), "poster")
    assert the_qr_text(rendered_pages(pdf)[0]) == f"{PUBLIC}/board/{compound_id}"


def test_a_seat_representative_is_not_offered_the_poster(demo_copy, monkeypatch):
    at = open_page_on(db_path(demo_copy), monkeypatch, "home", "hx_property")
    assert not at.exception and "生成海报" not in [b.label for b in at.button]


def test_the_subdistrict_officer_downloads_every_compound_poster_from_the_roll_up(demo_copy, monkeypatch):
    db = demo_copy
    set_public_url(db, load_actor(db, user_id(db, "admin")), PUBLIC)
    at = open_page_on(db_path(db), monkeypatch, "rollup", "nanwan_officer")
    assert not at.exception
    area_id = at.session_state["rollup_area"]
    at = _click(at, "生成海报")
    assert not at.exception and not at.error
    pdf = _prepared(at, f"posters_a{area_id}")
    under = sorted(live_compound_ids_under(db, area_id))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(under) == 22
    assert sorted(the_qr_text(page) for page in rendered_pages(pdf, dpi=60)) == \
        sorted(f"{PUBLIC}/board/{c}" for c in under)
