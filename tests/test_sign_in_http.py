"""Staff sign-in and sign-out through HTTP (web/signin/http.py), over a real uvicorn server: the
server sets the session cookie HttpOnly + SameSite=Strict (+ Secure on https), checks where the form
came from and its token, and refuses the way an attacker would try it."""
from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from http.cookies import SimpleCookie

import pytest

from deliberation.services.sessions import resume_session
from deliberation.services.users import LOGIN_FAILED, PASSWORD_MAX
from deliberation.store import rows
from deliberation.web.signin import http as sign_in_http
from deliberation.web.common.form_tokens import sign_in_token, sign_out_token
from deliberation.web.common.sign_in_form import safe_next
from tests.page_output import user_id
from tests.resident_http import serving

PASSWORD = "Demo2026!"
STALE = "登录页面已过期或来源不明"
SAME = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def server(demo_env, monkeypatch):
    from deliberation.services import sign_in_limits as limits
    monkeypatch.setattr(limits, "FAILURES", limits.FailureWindows())         # no failures from other tests
    with serving(sign_in_http.routes(), proxy_headers=True, forwarded_allow_ips="127.0.0.1") as port:
        yield port


def call(port, method, path, fields=None, headers=None, source="127.0.0.1"):
    """One request, no redirect followed: (status, headers as a list, body text)."""
    body = urllib.parse.urlencode(fields).encode() if fields is not None else None
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    if body is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=sent)
        answer = conn.getresponse()
        return answer.status, answer.getheaders(), answer.read().decode("utf-8")
    finally:
        conn.close()


def token_on(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(port, username="hx_secretary", password=PASSWORD, *, headers=SAME, token=None, source="127.0.0.1",
            extra=None):
    if token is None:
        token = token_on(call(port, "GET", "/signin")[2])
    fields = {"csrf_token": token, "username": username, "password": password, "next": "/register", "lang": "zh",
              **(extra or {})}
    return call(port, "POST", "/signin", fields, headers, source)


def session_cookie(headers) -> SimpleCookie | None:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("xsyz_session="):
            cookie = SimpleCookie()
            cookie.load(value)
            return cookie
    return None


def raw_cookie_header(headers) -> str:
    return next(v for n, v in headers if n.lower() == "set-cookie" and v.startswith("xsyz_session="))


def test_a_good_password_sets_an_httponly_strict_cookie_and_goes_back_to_the_page(server, demo_env):
    status, headers, _ = sign_in(server)
    assert status == 303 and dict(headers)["location"] == "/register"
    raw = raw_cookie_header(headers)
    assert "HttpOnly" in raw and "SameSite=strict" in raw.replace("Strict", "strict") and "Path=/" in raw
    assert "Max-Age=43200" in raw and "Secure" not in raw                  # plain http on loopback
    token = session_cookie(headers)["xsyz_session"].value
    assert resume_session(demo_env, token) == user_id(demo_env, "hx_secretary")


def test_behind_https_the_cookie_is_secure(server):
    status, headers, _ = sign_in(server, headers={**SAME, "X-Forwarded-Proto": "https"})
    assert status == 303 and "Secure" in raw_cookie_header(headers)


def test_the_sign_in_page_is_strict_about_what_it_loads_and_keeps(server):
    status, headers, page = call(server, "GET", "/signin?next=/meetings%3Fcompound%3D1")
    head = dict((k.lower(), v) for k, v in headers)
    assert status == 200 and head["cache-control"] == "no-store"
    assert "default-src 'none'" in head["content-security-policy"] and "<script" not in page
    assert 'name="next" value="/meetings?compound=1"' in page
    assert 'autocomplete="current-password"' in page and f'maxlength="{PASSWORD_MAX}"' in page


@pytest.mark.parametrize("asked", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                   "javascript:alert(1)", "/signout", "/signin?next=/x", "register", "/a\r\nSet-Cookie: x=1", "/" + "a" * 600])
def test_next_never_leaves_the_site_nor_loops(asked):
    assert safe_next(asked) == "/"


def test_next_keeps_a_page_of_this_site():
    assert safe_next("/issue?issue=155&lang=en") == "/issue?issue=155&lang=en"


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},                      # a sibling subdomain is another site's page here
    {"Origin": "https://evil.example"},
    {"Referer": "https://evil.example/login.html"},
    {"Origin": "null"},
    {},                                                     # no sign of where it came from
], ids=["cross-site", "same-site", "origin", "referer", "null-origin", "none"])
def test_a_form_posted_from_another_site_signs_nobody_in(server, headers):
    status, answer_headers, page = sign_in(server, headers=headers)
    assert status == 403 and session_cookie(answer_headers) is None
    assert STALE in page and 'value="hx_secretary"' in page                 # the name typed is kept


def test_an_old_browser_without_fetch_metadata_signs_in_by_its_origin(server):
    status, _, _ = sign_in(server, headers={"Origin": f"http://127.0.0.1:{server}"})
    assert status == 303


@pytest.mark.parametrize("token", ["", "123.abc", "1.", "x" * 99, "not-a-token"])
def test_a_forged_token_is_refused(server, token):
    status, headers, page = sign_in(server, token=token)
    assert status == 403 and session_cookie(headers) is None and STALE in page


def test_a_sign_in_page_left_open_for_more_than_twelve_hours_asks_again(server, demo_env):
    old = sign_in_token(demo_env, at=time.time() - 13 * 3600)
    status, _, page = sign_in(server, token=old)
    assert status == 403 and STALE in page
    assert sign_in(server, token=sign_in_token(demo_env, at=time.time() - 11 * 3600))[0] == 303


def test_a_wrong_password_and_an_unknown_name_get_the_same_chinese_answer(server):
    answers = [sign_in(server, name, "wrong-2026") for name in ("hx_secretary", "no_such_user")]
    assert [a[0] for a in answers] == [400, 400]
    assert all(LOGIN_FAILED in a[2] and session_cookie(a[1]) is None for a in answers)


def test_markup_typed_as_the_name_comes_back_as_text(server):
    status, _, page = sign_in(server, '<img src=x onerror=alert(1)>"', "wrong-2026")
    assert status == 400 and "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;&#34;" in page


def test_a_twenty_megabyte_password_is_refused_before_any_work(server):
    status, _, page = sign_in(server, password="p" * (PASSWORD_MAX + 1))
    assert status == 400 and f"密码不能超过 {PASSWORD_MAX} 个字符" in page
    started = time.monotonic()
    status, _, page = call(server, "POST", "/signin", {"username": "admin", "password": "x" * (20 * 1024 * 1024)}, SAME)
    assert status == 400 and STALE in page and time.monotonic() - started < 30


def test_fifty_anonymous_failures_on_admin_leave_the_owner_a_way_in(server, demo_env):
    """The attacker sits behind the proxy (nginx on loopback sends X-Real-IP); the owner too."""
    attacker = {**SAME, "X-Real-IP": "203.0.113.66"}
    answers = [sign_in(server, "admin", f"guess-{n}", headers=attacker)[0] for n in range(50)]
    assert set(answers) == {400}
    status, headers, _ = sign_in(server, "admin", PASSWORD, headers={**SAME, "X-Real-IP": "198.51.100.7"})
    assert status == 303 and session_cookie(headers) is not None
    failures = rows(demo_env, "SELECT count(*) AS n FROM events WHERE kind = 'login_failed'")[0]["n"]
    assert failures <= 2                                                    # aggregated, not one per try


def test_x_real_ip_from_a_peer_that_is_not_the_proxy_is_ignored(server):
    """Only loopback's own proxy is believed: a client elsewhere (127.0.0.2 here) cannot pretend
    to be a new address on every try and escape its limit."""
    answers = [sign_in(server, "admin", f"guess-{n}", source="127.0.0.2",
                       headers={**SAME, "X-Real-IP": f"10.0.{n}.1"})[2] for n in range(25)]
    assert any("失败次数过多" in page for page in answers[-5:])


def test_signing_in_again_ends_the_browsers_earlier_session(server, demo_env):
    first = session_cookie(sign_in(server)[1])["xsyz_session"].value
    status, headers, _ = sign_in(server, "hx_recorder", headers={**SAME, "Cookie": f"xsyz_session={first}"})
    assert status == 303 and resume_session(demo_env, first) is None


def test_sign_out_ends_the_session_and_clears_the_cookie(server, demo_env):
    token = session_cookie(sign_in(server)[1])["xsyz_session"].value
    fields = {"csrf_token": sign_out_token(demo_env, token), "lang": "zh"}
    status, headers, _ = call(server, "POST", "/signout", fields, {**SAME, "Cookie": f"xsyz_session={token}"})
    assert status == 303 and dict(headers)["location"] == "/signin?note=signin.signed_out"
    raw = raw_cookie_header(headers)
    assert "Max-Age=0" in raw and "HttpOnly" in raw
    assert resume_session(demo_env, token) is None
    status, _, page = call(server, "GET", "/signin?note=signin.signed_out")
    assert "您已退出登录。" in page


def test_a_sign_out_from_another_site_or_with_another_sessions_token_ends_nothing(server, demo_env):
    token = session_cookie(sign_in(server)[1])["xsyz_session"].value
    other = session_cookie(sign_in(server, "hx_recorder")[1])["xsyz_session"].value
    cookie = {"Cookie": f"xsyz_session={token}"}
    status, _, _ = call(server, "POST", "/signout", {"csrf_token": sign_out_token(demo_env, token)},
                        {"Sec-Fetch-Site": "cross-site", **cookie})
    assert status == 403
    status, headers, _ = call(server, "POST", "/signout", {"csrf_token": sign_out_token(demo_env, other)},
                              {**SAME, **cookie})
    assert status == 303 and dict(headers)["location"] == "/" and session_cookie(headers) is None
    assert resume_session(demo_env, token) == user_id(demo_env, "hx_secretary")


def test_a_note_is_shown_only_from_the_known_list(server):
    _, _, page = call(server, "GET", "/signin?note=%3Cb%3Ehi%3C/b%3E")
    assert "&lt;b&gt;" not in page and "<b>hi" not in page
    _, _, page = call(server, "GET", "/signin?note=signin.ended.password_reset&lang=en")
    assert "An admin reset your password" in page or "reset" in page.lower()


def test_no_page_runs_a_script_that_could_write_or_read_a_cookie():
    """Cookies are the server's business now (this module's routes and /household): no page emits
    JavaScript (st.html runs scripts only with unsafe_allow_javascript) nor touches document.cookie."""
    from pathlib import Path
    web = Path(__file__).resolve().parents[1] / "deliberation" / "web"
    offending = [str(p.relative_to(web)) for p in web.rglob("*") if p.suffix in (".py", ".html")
                 and ("unsafe_allow_javascript" in p.read_text(encoding="utf-8")
                      or "document.cookie" in p.read_text(encoding="utf-8"))]
    assert offending == []
