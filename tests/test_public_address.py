"""The public address (services/deployment.py) is set once and every QR code, printed link and .ics
uses it; while it is unset or local, every document with a QR code says so in red, and so does the
admin's 工作台. Also: an area officer starts on the area roll-up. (The QR codes' decoding is in
tests/test_posters.py.)"""
from __future__ import annotations

import io
import json
import time

import docx
import pytest
from icalendar import Calendar
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from deliberation.cli import main as cli
from deliberation.exports import notice_docx, notice_pdf, schedule_ics
from deliberation.exports.address_warning import SHORT
from deliberation.model.errors import DomainError, PermissionDenied
from deliberation.services.actors import SYSTEM
from deliberation.services.deployment import LOCAL_FALLBACK, public_address, set_public_url
from deliberation.services.documents import notice_view, schedule_view
from deliberation.services.households import code_slips
from deliberation.store import rows
from tests.document_text import docx_text, pdf_text
from tests.factories import db_path
from tests.page_output import open_page
from tests.page_session import APP, TIMEOUT_S, button, open_page_on, texts, user_id

PUBLIC = "https://yq.example.cn"
UNSET = "尚未设置公开访问地址"
LOCAL = "公开访问地址指向本机"
WORD_JOINER = "\u2060"                 # web/common/ui.plain keeps a quoted http:// from becoming a link


def notice_texts(db, compound_id: int) -> tuple[str, str]:
    view = notice_view(db, SYSTEM, compound_id)
    return docx_text(notice_docx(view)), pdf_text(notice_pdf(view))


def slips_text(db, actor, compound_id: int, units: str) -> str:
    return pdf_text(code_slips(db, actor, compound_id, units)[1])


def setting_events(db) -> list[dict]:
    return rows(db, "SELECT kind, actor_id, note, data FROM events WHERE kind IN ('setting_changed', 'refused') "
                    "ORDER BY id")


# ------------------------------------------------------------------ unset: links render, documents warn

def test_unset_the_address_falls_back_to_the_local_app_and_says_why_phones_cannot_open_it(world):
    address = public_address(world.db)
    assert address.url == LOCAL_FALLBACK and not address.configured
    assert UNSET in address.problem and "二维码" in address.problem
    assert address.warning == address.problem          # no demo compound in this database: no demo label


def test_unset_the_notice_says_so_in_red_in_docx_and_pdf(world):
    docx, pdf = notice_texts(world.db, world.a)
    assert f"{LOCAL_FALLBACK}/board/{world.a}" in docx
    assert UNSET in docx and UNSET in pdf
    # … beside the QR code too: said twice, under the title and under the link.
    assert docx.count(UNSET) == 2 and pdf.count(UNSET) == 2


def test_the_warning_on_the_notice_is_red(world):
    document = docx.Document(io.BytesIO(notice_docx(notice_view(world.db, SYSTEM, world.a))))
    runs = [r for p in document.paragraphs for r in p.runs if UNSET in r.text]
    assert len(runs) == 2 and all(str(r.font.color.rgb) == "C00000" for r in runs)
    red = b"0.7529 0 0 rg"                                 # fpdf2's text colour (192, 0, 0)
    assert red in _pdf_streams(notice_pdf(notice_view(world.db, SYSTEM, world.a)))
    set_public_url(world.db, world.actors["admin"], PUBLIC)
    assert red not in _pdf_streams(notice_pdf(notice_view(world.db, SYSTEM, world.a)))    # nothing else is red


def _pdf_streams(pdf: bytes) -> bytes:
    """The page content streams, inflated, to see the colour operators fpdf2 writes."""
    return b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_unset_every_slip_sheet_page_and_every_slip_says_so(world):
    text = slips_text(world.db, world.actors["secretary_a"], world.a, "3栋501-512")     # 12 slips, 2 pages
    assert text.count(UNSET) == 2                      # the top of each page
    assert text.count(SHORT) == 12                     # and each slip: slips are cut apart


def test_a_local_address_is_allowed_but_warned_about_on_every_document(world):
    for url in ("http://localhost:8501", "http://127.0.0.1:8501/", "http://[::1]:8501", "http://0.0.0.0",
                "http://127.1.2.3", "http://app.localhost"):
        address = set_public_url(world.db, world.actors["admin"], url)
        assert address.configured and LOCAL in address.problem, url
    docx, pdf = notice_texts(world.db, world.a)
    assert LOCAL in docx and LOCAL in pdf
    assert "http://app.localhost/board/" in docx
    assert LOCAL in slips_text(world.db, world.actors["secretary_a"], world.a, "1栋101")


def test_a_lan_address_is_not_called_local(world):
    assert set_public_url(world.db, world.actors["admin"], "http://192.168.1.20:8501").problem is None


def test_the_demo_database_labels_the_warning_as_demo(demo_db):
    address = public_address(demo_db)
    assert address.demo and address.warning.startswith("〔演示数据库〕") and UNSET in address.warning


# ------------------------------------------------------------------ set: every QR code and link uses it

def test_set_every_link_uses_the_configured_address_and_no_warning_is_printed(world):
    address = set_public_url(world.db, world.actors["admin"], f"  {PUBLIC}/  ")
    assert (address.url, address.problem, address.warning) == (PUBLIC, None, None)
    view = notice_view(world.db, SYSTEM, world.a)
    assert view.board_url == f"{PUBLIC}/board/{world.a}" and view.address_warning is None
    docx, pdf = notice_texts(world.db, world.a)
    assert view.board_url in docx and view.board_url in pdf
    assert not any(w in docx + pdf for w in (UNSET, LOCAL, "localhost"))
    slips = slips_text(world.db, world.actors["secretary_a"], world.a, "1栋101-102")
    assert f"{PUBLIC}/board/{world.a}" in slips and UNSET not in slips and SHORT not in slips
    schedule = schedule_view(world.db, world.a)
    assert schedule.board_url == f"{PUBLIC}/board/{world.a}"
    events = Calendar.from_ical(schedule_ics(schedule)).walk("VEVENT")
    assert events and all(str(e["url"]) == schedule.board_url for e in events)
    assert all(schedule.board_url in str(e["description"]) for e in events)


def test_setting_it_is_an_event_without_the_typed_address(world):
    set_public_url(world.db, world.actors["admin"], PUBLIC)
    changed = [e for e in setting_events(world.db) if e["kind"] == "setting_changed"]
    assert len(changed) == 1 and changed[0]["actor_id"] == world.actors["admin"].user_id
    assert json.loads(changed[0]["data"]) == {"key": "public_url"} and "example" not in changed[0]["note"]


@pytest.mark.parametrize("url, message", [
    ("", "请填写"), ("   ", "请填写"), ("yq.example.cn", "http:// 或 https://"), ("ftp://yq.example.cn", "http://"),
    ("javascript:alert(1)", "http://"), ("https://", "缺少域名"), ("https:///board", "缺少域名"),
    ("https://yq example.cn", "空格"), ("https://yq.example.cn/\n", None), ("https://yq.example.cn/<script>", "尖括号"),
    ('https://yq.example.cn/"onload', "引号"), ("https://yq.example.cn/?a=1", "?"), ("https://yq.example.cn/#x", "#"),
    ("https://admin:pw@yq.example.cn", "用户名或密码"), ("http://yq.example.cn:port", "格式不正确"),
    ("https://yq.example.cn/" + "a" * 200, "太长"),
])
def test_a_bad_address_is_refused_in_chinese_and_the_old_one_is_kept(world, url, message):
    set_public_url(world.db, world.actors["admin"], PUBLIC)
    if message is None:                                 # a trailing newline pasted along: trimmed, accepted
        assert set_public_url(world.db, world.actors["admin"], url).url == PUBLIC
        return
    with pytest.raises(DomainError, match=message.replace("?", r"\?")) as refused:
        set_public_url(world.db, world.actors["admin"], url)
    assert "公开访问地址" in refused.value.message
    assert public_address(world.db).url == PUBLIC


@pytest.mark.parametrize("who", ["officer", "secretary_a", "recorder_a", "seat_rep_property_a", "resident"])
def test_only_the_admin_sets_it_and_a_refusal_is_audited(world, who):
    with pytest.raises(PermissionDenied):
        set_public_url(world.db, world.actors[who], PUBLIC)
    assert not public_address(world.db).configured
    assert [e["kind"] for e in setting_events(world.db)] == ["refused"]


# ------------------------------------------------------------------ the command line

def test_the_command_line_sets_and_gets_the_address(world, capsys):
    path = db_path(world.db)
    assert cli(["config", "get", "public-url", "--db", path]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "" and UNSET in out.err              # unset: nothing to print, and why
    assert cli(["config", "set", "public-url", f"{PUBLIC}/", "--db", path]) == 0
    assert "已设置公开访问地址" in capsys.readouterr().err
    assert cli(["config", "get", "public-url", "--db", path]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == PUBLIC and out.err == ""
    assert notice_view(world.db, SYSTEM, world.a).board_url == f"{PUBLIC}/board/{world.a}"


def test_the_command_line_refuses_a_bad_address_in_chinese(world, capsys):
    path = db_path(world.db)
    assert cli(["config", "set", "public-url", "yq.example.cn", "--db", path]) != 0
    assert "http://" in capsys.readouterr().err
    assert cli(["config", "set", "public-url", "--db", path]) != 0
    assert "请给出设置的值" in capsys.readouterr().err
    assert not public_address(world.db).configured


def test_the_command_line_warns_about_a_local_address(world, capsys):
    assert cli(["config", "set", "public-url", "http://127.0.0.1:8501", "--db", db_path(world.db)]) == 0
    assert LOCAL in capsys.readouterr().err


# ------------------------------------------------------------------ pages

def test_the_admins_workbench_warns_while_unset_and_links_to_the_setting(demo_copy, monkeypatch):
    at = open_page_on(db_path(demo_copy), monkeypatch, "home", "admin")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "演示模式" in warning and UNSET in warning and "localhost" in warning.replace("\\", "")
    assert "去设置公开访问地址" in texts(at)
    set_public_url(demo_copy, SYSTEM, PUBLIC)
    at = open_page_on(db_path(demo_copy), monkeypatch, "home", "admin")
    assert not any(UNSET in w.value or LOCAL in w.value for w in at.warning)


def test_a_secretarys_workbench_has_not_the_admins_warning(demo_copy, monkeypatch):
    at = open_page_on(db_path(demo_copy), monkeypatch, "home", "hx_secretary")
    assert not at.exception      # (the poster panel says the address is unset; only the admin can set it)
    assert "去设置公开访问地址" not in texts(at) and not any("演示模式" in w.value for w in at.warning)


def test_the_admin_sets_the_address_on_the_deployment_page(demo_copy, monkeypatch):
    at = open_page_on(db_path(demo_copy), monkeypatch, "deployment", "admin")
    assert not at.exception and "部署设置" in texts(at)
    at.text_input(key="deploy_url").input("yq.example.cn")
    at = button(at, "保存地址").click().run()
    assert any("http:// 或 https://" in e.value.replace(WORD_JOINER, "") for e in at.error)
    assert at.text_input(key="deploy_url").value == "yq.example.cn"        # what was typed is kept
    assert not public_address(demo_copy).configured
    at.text_input(key="deploy_url").input(f"{PUBLIC}/")
    at = button(at, "保存地址").click().run()
    assert not at.exception and public_address(demo_copy).url == PUBLIC
    shown = texts(at)
    assert f"已保存公开访问地址:`{PUBLIC}`" in shown and UNSET not in shown


def test_the_deployment_page_is_the_admins_only(demo_copy):
    for username in ("hx_secretary", "nanwan_officer"):            # not in their menu; the page file itself:
        at = open_page("deployment", user=user_id(demo_copy, username))
        assert not at.exception and not at.text_input
        assert [e.value for e in at.error] == ["您的角色不能查看此页面。"]


def start_page(db, username: str) -> AppTest:
    """The router's first run for a signed-in user: where they start."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state["user_id"] = user_id(db, username)
    at.session_state["last_seen"] = time.time()
    return at.run()


def test_an_area_officer_starts_on_the_area_rollup(demo_copy):
    at = start_page(demo_copy, "nanwan_officer")
    assert not at.exception
    assert [t.value for t in at.title][:1] == ["区域汇总"]


@pytest.mark.parametrize("username", ["admin", "hx_secretary", "yl_property"])
def test_everyone_else_still_starts_on_the_workbench(demo_copy, username):
    at = start_page(demo_copy, username)
    assert not at.exception
    assert at.title[0].value.startswith("工作台")
