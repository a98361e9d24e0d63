"""POST /household (web/resident/household.py) over a real server: the board's 议事码 is checked
and remembered by the server in an HttpOnly cookie; a wrong, forged or cross-site post remembers
nothing and says why in Chinese."""
from __future__ import annotations

import re

import pytest

from deliberation.web.common.form_tokens import HOUSEHOLD, form_token
from deliberation.web.resident import household
from tests.factories import household_codes
from tests.resident_http import serving
from tests.test_sign_in_http import SAME, call

YILE = 2


@pytest.fixture
def server(demo_env):
    with serving(household.routes, proxy_headers=True, forwarded_allow_ips="127.0.0.1") as port:
        yield port


def post(port, db, headers=SAME, **fields):
    sent = {"csrf_token": form_token(db, HOUSEHOLD), "compound_id": str(YILE), **fields}
    return call(port, "POST", "/household", sent, headers)


def cookie_header(headers) -> str | None:
    return next((v for n, v in headers if n.lower() == "set-cookie" and v.startswith(f"xsyz_household_{YILE}=")),
                None)


def test_a_good_code_is_remembered_by_the_server_and_the_board_opens_again(server, demo_env):
    code = household_codes(demo_env, YILE, 1, prefix="7栋")[0]
    status, headers, _ = post(server, demo_env, code=code.lower().replace("-", " "))
    assert status == 303 and dict(headers)["location"] == f"/public?compound={YILE}"
    raw = cookie_header(headers)
    assert raw.startswith(f"xsyz_household_{YILE}={code};") and "HttpOnly" in raw and "Path=/" in raw
    assert "SameSite=strict" in raw.replace("Strict", "strict") and "Max-Age=31536000" in raw


def test_behind_https_the_code_cookie_is_secure(server, demo_env):
    code = household_codes(demo_env, YILE, 1, prefix="7栋")[0]
    _, headers, _ = post(server, demo_env, {**SAME, "X-Forwarded-Proto": "https"}, code=code)
    assert "Secure" in cookie_header(headers)


def test_a_wrong_code_is_quoted_as_text_and_nothing_is_remembered(server, demo_env):
    status, headers, page = post(server, demo_env, code="<b>ABCD</b>")
    assert status == 400 and cookie_header(headers) is None
    assert "不正确" in page and "&lt;b&gt;ABCD&lt;/b&gt;" in page and "<b>ABCD" not in page
    assert 'value="&lt;b&gt;ABCD&lt;/b&gt;"' in page                  # the form again, with what was typed
    assert re.search(r'name="csrf_token" value="\d+\.[0-9a-f]{64}"', page)


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {}],
                         ids=["cross-site", "other-origin", "no-origin"])
def test_a_code_posted_from_another_site_is_not_remembered(server, demo_env, headers):
    code = household_codes(demo_env, YILE, 1, prefix="7栋")[0]
    status, answer, page = post(server, demo_env, headers, code=code)
    assert status == 403 and cookie_header(answer) is None and "议事码未保存" in page


def test_a_forged_token_is_refused(server, demo_env):
    code = household_codes(demo_env, YILE, 1, prefix="7栋")[0]
    status, answer, _ = post(server, demo_env, code=code, csrf_token="1700000000." + "0" * 64)
    assert status == 403 and cookie_header(answer) is None


def test_forget_clears_the_cookie(server, demo_env):
    status, headers, _ = post(server, demo_env, forget="1")
    assert status == 303 and "Max-Age=0" in cookie_header(headers)


@pytest.mark.parametrize("compound", ["abc", "-1", "0", "999999", "9" * 40, ""])
def test_a_tampered_compound_gets_the_chinese_not_found_page(server, demo_env, compound):
    status, headers, page = post(server, demo_env, compound_id=compound, code="ABCD-EF23")
    assert status == 404 and "找不到" in page and cookie_header(headers) is None
