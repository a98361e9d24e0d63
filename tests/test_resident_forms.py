"""The residents' write side as plain HTML forms (web/resident/report.py, track.py, actions.py),
driven over HTTP with a real HTTP client against uvicorn and a real SQLite file: CSRF, the receipt and
"where is my concern", limits against guessing, markup kept as text, refused forms that keep what
was typed, oversized input, photos, one voice per household, and the rating during 公示."""
from __future__ import annotations

import hashlib
import io
import re

import pytest
from markupsafe import escape
from PIL import Image

from deliberation.model.roles import Role
from deliberation.services.tracking import FAILURES_PER_CLIENT_PER_HOUR, REFUSED
from deliberation.store import one, rows, scalar
from deliberation.web.resident import routes
from deliberation.web.resident.csrf import COOKIE, FIELD
from tests.factories import category_id, db_path, dump, household_codes, issue_in_stage, make_issue, run_together
from tests.resident_http import Browser, serving

DESCRIPTION = "地库晚上车位不够停,车停到消防通道"
MARKUP = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


# --- the resident routes over real HTTP (tests/resident_http.py), and phones that keep cookies ---

@pytest.fixture(scope="module")
def server():
    """The resident routes served by uvicorn, as in production (Starlette under an ASGI server).
    X-Forwarded-Proto is honoured from the test client only, to stand for a TLS proxy."""
    with serving(routes(), proxy_headers=True, forwarded_allow_ips="127.0.0.1") as port:
        yield port


@pytest.fixture
def app(world, server, monkeypatch):
    monkeypatch.setenv("DELIBERATION_DB", db_path(world.db))
    return server


def client(port: int, address: str = "127.0.0.1") -> Browser:
    return Browser(port, address)


def token_of(page: str) -> str:
    return re.search(rf'name="{FIELD}" value="([0-9a-f]+)"', page)[1]


def report_form(world, **kw) -> dict:
    values = {"category_id": str(category_id(world.db, world.a)), "description": DESCRIPTION, "building": "5栋",
              "contact": "13912345699", "household_code": "", "intent": "send"}
    values.update(kw)
    return values


def post_report(browser: Browser, world, files=None, *, token: str | None = None, **kw):
    page = browser.get(f"/board/{world.a}/report")
    form = {FIELD: token if token is not None else token_of(page.text), **report_form(world, **kw)}
    if files is None:
        files = [("photos", ("", b"", "application/octet-stream"))]     # what a browser sends for no file
    return browser.post(f"/board/{world.a}/report", data=form, files=files)


def receipt_of(page: str) -> tuple[int, str]:
    number = int(re.search(r'class="big">#(\d+)<', page)[1])
    secret = re.search(r'class="secret">([A-Z0-9-]+)<', page)[1]
    return number, secret


def track(browser: Browser, world, number, code: str, compound: int | None = None):
    compound = compound or world.a
    page = browser.get(f"/board/{compound}/track")
    return browser.post(f"/board/{compound}/track", data={FIELD: token_of(page.text), "number": str(number),
                                                          "code": code})


def jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def resident_issue_count(db) -> int:
    return scalar(db, "SELECT count(*) FROM issues WHERE raised_by_kind = 'resident'")


# --- CSRF ------------------------------------------------------------------------------------

def test_a_post_without_a_valid_token_is_refused_and_writes_nothing(world, app):
    browser, other = client(app), client(app, "127.0.0.2")
    browser.get(f"/board/{world.a}/report")                  # the server secret exists from here on
    others_token = token_of(other.get(f"/board/{world.a}/report").text)
    before = dump(world.db)
    for token in ("", "0" * 64, others_token):               # none, forged, another browser's
        answer = post_report(browser, world, token=token)
        assert answer.status_code == 403
        assert "本次提交未保存" in answer.text
    answer = browser.post(f"/board/{world.a}/report", data={FIELD: others_token, **report_form(world)},
                          with_cookies=False)
    assert answer.status_code == 403
    issue = make_issue(world.db, world.actors["secretary_a"], world.a)
    before = dump(world.db)
    number = one(world.db, "SELECT number FROM issues WHERE id = ?", [issue])["number"]
    for path, data in ((f"/board/{world.a}/issues/{number}/join", {}),
                       (f"/board/{world.a}/issues/{number}/feedback", {"rating": "satisfied"}),
                       (f"/board/{world.a}/track", {"number": "1", "code": "ABCD-EFGH"})):
        answer = browser.post(path, data={FIELD: "f" * 64, **data})
        assert answer.status_code == 403 and "本次提交未保存" in answer.text
    assert dump(world.db) == before


def test_the_form_cookie_is_httponly_samesite_and_secure_on_https(world, app):
    answer = client(app).get(f"/board/{world.a}/report")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie
    secure = client(app).get(f"/board/{world.a}/report", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in secure.headers["set-cookie"]
    assert answer.headers["cache-control"] == "private, no-store"


# --- the receipt and tracking ------------------------------------------------------------------

def test_a_concern_gives_a_receipt_that_tracks_it_and_only_its_hash_is_kept(world, app):
    browser = client(app)
    answer = post_report(browser, world)
    assert answer.status_code == 200, answer.text
    number, secret = receipt_of(answer.text)
    issue = one(world.db, "SELECT id, number, title FROM issues WHERE compound_id = ? AND number = ?",
                [world.a, number])
    assert issue["title"] == "居民反映:停车(5栋)"
    report = one(world.db, "SELECT words, contact, receipt_hash FROM reports WHERE issue_id = ?", [issue["id"]])
    assert report == {"words": DESCRIPTION, "contact": "13912345699",
                      "receipt_hash": hashlib.sha256(f"receipt:{secret.replace('-', '')}".encode()).hexdigest()}
    assert secret.replace("-", "") not in repr(dump(world.db))            # the secret itself is nowhere
    found = track(client(app, "127.0.0.9"), world, f"#{number}", secret.lower())   # another phone, typed loosely
    assert found.status_code == 200
    assert f"#{number} 居民反映:停车(5栋)" in found.text and "已收到,待支部受理" in found.text
    assert "小时内)受理或答复" in found.text                              # the response clock
    assert DESCRIPTION not in found.text and "13912345699" not in found.text
    assert secret not in browser.get(f"/board/{world.a}/track").text


def test_a_household_code_that_reported_it_tracks_it_too_and_shows_the_reply(world, app):
    code = household_codes(world.db, world.a, 1)[0]
    number, _ = receipt_of(post_report(client(app), world, household_code=code).text)
    issue_id = scalar(world.db, "SELECT id FROM issues WHERE compound_id = ? AND number = ?", [world.a, number])
    from deliberation.services.issues import reject_concern
    from tests.factories import version_of
    reject_concern(world.db, world.actors["secretary_a"], issue_id, version_of(world.db, issue_id),
                   "属于市政道路,已转交街道城管科")
    found = track(client(app, "127.0.0.7"), world, number, code)
    assert found.status_code == 200
    assert "属于市政道路,已转交街道城管科" in found.text and "已于" in found.text


def test_wrong_pairs_get_one_refusal_that_never_tells_whether_the_number_exists(world, app):
    browser = client(app)
    number, secret = receipt_of(post_report(browser, world).text)
    other_code = household_codes(world.db, world.a, 1)[0]                  # a real code that did not report it
    answers = [track(browser, world, number, "ABCD-EFGH"), track(browser, world, number + 50, secret),
               track(browser, world, number, other_code), track(browser, world, "abc", secret),
               track(browser, world, number, secret, compound=world.compounds["B"])]
    bodies = {re.search(r'role="alert">([^<]*)<', a.text)[1] for a in answers}
    assert bodies == {REFUSED}
    assert {a.status_code for a in answers} == {400}


def test_guessing_receipts_is_limited_per_client_and_the_right_pair_is_refused_too(world, app):
    owner, guesser = client(app), client(app, "127.0.6.6")
    number, secret = receipt_of(post_report(owner, world).text)
    for n in range(FAILURES_PER_CLIENT_PER_HOUR):
        assert REFUSED in track(guesser, world, number, f"ZZZZ-ZZ{n % 8 + 2}{n // 8 + 2}").text
    locked = track(guesser, world, number, secret)
    assert "查询出错次数过多" in locked.text and f"#{number} 居民反映" not in locked.text
    assert f"#{number} 居民反映" in track(owner, world, number, secret).text   # other clients are not locked out
    assert scalar(world.db, "SELECT count(*) FROM lookup_failures") == FAILURES_PER_CLIENT_PER_HOUR
    assert "127.0.6.6" not in repr(rows(world.db, "SELECT * FROM lookup_failures"))


# --- what is typed ---------------------------------------------------------------------------------

def test_markup_in_every_text_field_stays_text(world, app):
    browser = client(app)
    refused = post_report(browser, world, description=MARKUP, building="<b>5栋</b>", contact=MARKUP,
                          household_code=MARKUP)
    assert refused.status_code == 400 and "议事码" in refused.text
    assert "<script>" not in refused.text and "<img src=x" not in refused.text and "<b>5栋" not in refused.text
    assert str(escape(MARKUP)) in refused.text
    accepted = post_report(browser, world, description=MARKUP, building="<b>5栋</b>", contact=MARKUP[:35])
    number, secret = receipt_of(accepted.text)
    for page in (accepted.text, track(browser, world, number, secret).text,
                 browser.get(f"/board/{world.a}/issues/{number}/join").text):
        assert "<b>5栋</b>" not in page and "<script>" not in page
    assert "&lt;b&gt;5栋&lt;/b&gt;" in track(browser, world, number, secret).text
    tracked = track(browser, world, MARKUP, MARKUP)
    assert "<script>" not in tracked.text and str(escape(MARKUP[:40])) in tracked.text


def test_a_refused_form_comes_back_with_everything_typed(world, app):
    browser = client(app)
    before = resident_issue_count(world.db)
    answer = post_report(browser, world, household_code="WRONG-CODE", description=DESCRIPTION + "\n第二行")
    assert answer.status_code == 400
    assert "议事码「WRONG-CODE」不正确" in answer.text
    assert f">{DESCRIPTION}\n第二行</textarea>" in answer.text
    assert 'value="5栋"' in answer.text and 'value="13912345699"' in answer.text and 'value="WRONG-CODE"' in answer.text
    assert re.search(rf'<option value="{category_id(world.db, world.a)}" selected>', answer.text)
    assert resident_issue_count(world.db) == before


def test_five_megabytes_of_description_are_refused_before_any_service(world, app):
    browser = client(app)
    token = token_of(browser.get(f"/board/{world.a}/report").text)
    before = dump(world.db)
    huge = report_form(world, description="吵" * (5 * 1024 * 1024 // 3))
    for files in ([("photos", ("", b"", "application/octet-stream"))], None):     # multipart, then urlencoded
        answer = browser.post(f"/board/{world.a}/report", data={FIELD: token, **huge}, files=files)
        assert answer.status_code == 400 and "过长" in answer.text
    assert dump(world.db) == before


def test_a_description_just_over_the_limit_is_refused_and_kept(world, app):
    answer = post_report(client(app), world, description="吵" * 1001)
    assert answer.status_code == 400 and "不能超过 1000 字" in answer.text and "吵" * 1001 in answer.text


# --- photos ---------------------------------------------------------------------------------------

def test_photos_are_stored_private_and_a_bad_one_stores_nothing_and_keeps_the_text(world, app):
    browser = client(app)
    browser.get(f"/board/{world.a}/report")                  # the server secret exists from here on
    before = dump(world.db)
    for files, message in (
            ([("photos", ("a.jpg", b"just some text, not a photo", "image/jpeg"))], "这不是照片文件"),
            ([("photos", ("big.jpg", b"\xff\xd8\xff" + b"0" * (12 * 1024 * 1024), "image/jpeg"))], "太大"),
            ([("photos", (f"{n}.jpg", jpeg(), "image/jpeg")) for n in range(4)], "最多可上传 3 张照片")):
        answer = post_report(browser, world, files=files)
        assert answer.status_code == 400 and message in answer.text
        assert DESCRIPTION in answer.text
    assert dump(world.db) == before
    answer = post_report(browser, world, files=[("photos", (f"{n}.jpg", jpeg((2400, 1800)), "image/jpeg"))
                                                for n in range(2)])
    number, _ = receipt_of(answer.text)
    stored = rows(world.db, """SELECT p.kind, p.public, p.width, p.report_id = r.id AS own FROM photos p
                               JOIN issues i ON i.id = p.issue_id JOIN reports r ON r.issue_id = i.id
                               WHERE i.compound_id = ? AND i.number = ?""", [world.a, number])
    assert stored == [{"kind": "concern", "public": 0, "width": 1600, "own": 1}] * 2


# --- 我也遇到 and the rating -------------------------------------------------------------------------

def test_one_household_voice_once_through_the_join_form(world, app):
    code = household_codes(world.db, world.a, 1)[0]
    issue = make_issue(world.db, world.actors["secretary_a"], world.a)
    number = scalar(world.db, "SELECT number FROM issues WHERE id = ?", [issue])
    first, second = client(app), client(app, "127.0.0.19")              # two phones of one household
    for browser, expected in ((first, "已把您家计入问题"), (second, "您家已反映过这个问题")):
        page = browser.get(f"/board/{world.a}/issues/{number}/join")
        answer = browser.post(f"/board/{world.a}/issues/{number}/join",
                              data={FIELD: token_of(page.text), "household_code": code, "contact": ""})
        assert expected in answer.text
    assert scalar(world.db, "SELECT count(*) FROM reports WHERE issue_id = ?", [issue]) == 2   # raiser + one household


def test_similar_issues_come_first_with_me_too_and_send_anyway_keeping_the_text(world, app):
    make_issue(world.db, world.actors["secretary_a"], world.a, title="地下车库车位不足", public_summary="夜间车位紧张")
    browser = client(app)
    browser.get(f"/board/{world.a}/report")
    before = dump(world.db)
    hint = post_report(browser, world, intent="check", description="晚上地下车库没有车位",
                       files=[("photos", ("a.jpg", jpeg(), "image/jpeg"))])
    assert hint.status_code == 200 and dump(world.db) == before            # only a question, nothing sent
    assert "这些问题已在办理中" in hint.text and "地下车库车位不足" in hint.text
    assert "我也遇到" in hint.text and "仍然提交新反映" in hint.text and "照片需要重新选择" in hint.text
    assert ">晚上地下车库没有车位</textarea>" in hint.text and 'value="send"' in hint.text
    sent = post_report(browser, world, intent="send", description="晚上地下车库没有车位")
    assert receipt_of(sent.text)[0] > 0


def test_rating_during_publicity_through_the_issue_page(world, app):
    issue = issue_in_stage(world.db, world.actors["secretary_a"], world.a, "publicizing")
    number = scalar(world.db, "SELECT number FROM issues WHERE id = ?", [issue])
    code = household_codes(world.db, world.a, 1)[0]
    browser = client(app)
    page = browser.get(f"/board/{world.a}/issues/{number}")
    assert "评价办理结果" in page.text and page.headers["cache-control"] == "private, no-store"
    answer = browser.post(f"/board/{world.a}/issues/{number}/feedback",
                          data={FIELD: token_of(page.text), "rating": "unsatisfied", "comment": MARKUP,
                                "household_code": code})
    assert "感谢您的评价" in answer.text, answer.text
    assert one(world.db, "SELECT rating, comment FROM feedback WHERE issue_id = ?", [issue]) == \
        {"rating": "unsatisfied", "comment": MARKUP}
    refused = browser.post(f"/board/{world.a}/issues/{number}/feedback",
                           data={FIELD: token_of(page.text), "rating": "", "comment": "写了一半的意见"})
    assert "请选择满意" in refused.text and "写了一半的意见" in refused.text
    plain = make_issue(world.db, world.actors["secretary_a"], world.a)
    plain_number = scalar(world.db, "SELECT number FROM issues WHERE id = ?", [plain])
    assert "评价办理结果" not in browser.get(f"/board/{world.a}/issues/{plain_number}").text


def test_a_fifty_megabyte_photo_is_refused_by_its_size_keeping_the_text_and_a_bigger_body_is_cut_off(world, app):
    browser = client(app)
    browser.get(f"/board/{world.a}/report")
    before = dump(world.db)
    fifty = b"\xff\xd8\xff" + bytes(50 * 1024 * 1024)
    answer = post_report(browser, world, files=[("photos", ("IMG_0001.jpg", fifty, "image/jpeg"))])
    assert answer.status_code == 400 and "IMG_0001.jpg" in answer.text and "50.0 MB" in answer.text
    assert DESCRIPTION in answer.text
    seventy = b"\xff\xd8\xff" + bytes(70 * 1024 * 1024)
    answer = post_report(browser, world, files=[("photos", ("huge.jpg", seventy, "image/jpeg"))])
    assert answer.status_code == 413 and "内容太大" in answer.text
    assert dump(world.db) == before


def test_a_merged_concern_is_tracked_to_the_issue_it_joined(world, app):
    from deliberation.services.issues import merge_issues
    browser = client(app)
    number, secret = receipt_of(post_report(browser, world).text)
    into = make_issue(world.db, world.actors["secretary_a"], world.a, title="地库车位统筹")
    duplicate = scalar(world.db, "SELECT id FROM issues WHERE compound_id = ? AND number = ?", [world.a, number])
    merge_issues(world.db, world.actors["secretary_a"], duplicate, into)
    into_number = scalar(world.db, "SELECT number FROM issues WHERE id = ?", [into])
    found = track(browser, world, number, secret)
    assert f"已与 <a href=\"/board/{world.a}/issues/{into_number}\">#{into_number}</a> 合并办理" in found.text
    assert "地库车位统筹" in found.text


def test_the_privacy_notice_names_exactly_who_the_services_show_words_contact_and_photos_to(world, app):
    from deliberation.model.errors import PermissionDenied
    from deliberation.model.roles import ROLE_LABELS
    from deliberation.services.issue_view import issue_detail
    from deliberation.services.photos import photos_of_issue
    browser = client(app)
    notice = re.search(r'id="privacy">([^<]*)<', browser.get(f"/board/{world.a}/report").text)[1]
    named = re.search(r"只有本小区(.+?)能看到", notice)[1]
    promised = {role for role, label in ROLE_LABELS.items() if label in named}
    number, _ = receipt_of(post_report(browser, world, files=[("photos", ("a.jpg", jpeg(), "image/jpeg"))]).text)
    issue_id = scalar(world.db, "SELECT id FROM issues WHERE compound_id = ? AND number = ?", [world.a, number])
    seeing = set()
    for name in ("secretary_a", "recorder_a", "seat_rep_property_a", "officer", "admin", "secretary_b"):
        actor = world.actors[name]
        try:
            words = DESCRIPTION in repr(issue_detail(world.db, actor, issue_id))
            photos = [p for p in photos_of_issue(world.db, actor, issue_id) if p["kind"] == "concern"]
        except PermissionDenied:
            continue
        assert words == bool(photos), name                     # words and photos go to the same people
        if words:
            seeing.add(actor.role)
    assert promised == seeing == {Role.SECRETARY, Role.RECORDER}
    assert "问题描述、联系方式和照片只有本小区" in notice


def test_reloading_the_receipt_shows_it_again_without_sending_the_concern_twice(world, app):
    browser = client(app)
    number, secret = receipt_of(post_report(browser, world).text)
    before = resident_issue_count(world.db)
    again = browser.get(f"/board/{world.a}/receipt")
    assert receipt_of(again.text) == (number, secret) and again.headers["cache-control"] == "private, no-store"
    assert resident_issue_count(world.db) == before
    assert "回执已不在本页显示" in client(app, "127.0.0.3").get(f"/board/{world.a}/receipt").text
    forged = client(app, "127.0.0.3")
    forged.cookies["xsyz_receipt"] = f"{number}.ABCD-EFGH." + "0" * 64
    assert "回执已不在本页显示" in forged.get(f"/board/{world.a}/receipt").text


def test_guesses_sent_all_at_once_cannot_slip_past_the_count(world, app):
    number, _ = receipt_of(post_report(client(app), world).text)
    guesser = client(app, "127.0.7.7")
    token = token_of(guesser.get(f"/board/{world.a}/track").text)
    answers = []

    def guess():
        answers.append(guesser.post(f"/board/{world.a}/track",
                                    data={FIELD: token, "number": str(number), "code": "ZZZZ-ZZZZ"}).text)

    run_together(guess, 3 * FAILURES_PER_CLIENT_PER_HOUR)
    assert sum(REFUSED in a for a in answers) == FAILURES_PER_CLIENT_PER_HOUR
    assert sum("查询出错次数过多" in a for a in answers) == 2 * FAILURES_PER_CLIENT_PER_HOUR
    assert scalar(world.db, "SELECT count(*) FROM lookup_failures") == FAILURES_PER_CLIENT_PER_HOUR
