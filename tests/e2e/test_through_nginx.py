"""The shipped nginx site (deploy/nginx, rendered by deploy/render.py in its plain-HTTP loopback
variant) in front of two app processes on one database, as deploy/systemd runs them, driven by
Debian's nginx and Chromium: security headers (the residents' own strict policy kept), gzip on
Streamlit's JavaScript, staff pages free of any CSP violation, a meeting and a photo upload each
held on one process by the route cookie, a resident's concern with a photo, both processes
serving, and an address a client claims in X-Real-IP replaced by nginx's. No nginx is a failure
(test.sh installs it), never a skip."""
from __future__ import annotations

import gzip
import http.client
import re
import shutil
import sqlite3
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import PHONE, assert_no_exception, goto, shot, sign_in, wait_idle
from .nginx_site import NginxSite, app_environment, start_nginx
from .test_photos_browser import open_panel, photo_file
from .test_resident_forms_browser import WORDS, fill_report, gps_jpeg, send

ARTIFACTS = "test_through_nginx"
DESKTOP = {"width": 1400, "height": 1000}
STICKY_EXEMPT = ("/static/", "/board", "/healthz", "/signin", "/signout")     # deliberation_any / _by_address
CSP_PROBE = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`));"""
STAFF_PAGES = ("", "register", "issue?issue=4", "meetings", "tasks", "dashboard", "rollup", "roster", "users",
               "compounds", "onboarding", "deployment", "audit", "account")


@dataclass
class Site:
    nginx: NginxSite
    ports: list[int]
    direct: list[str]          # each process without nginx

    @property
    def url(self) -> str:
        return self.nginx.url


@pytest.fixture(scope="module")
def site(streamlit_server, demo_db):
    env = app_environment(demo_db)
    # Two processes, one database and one cookie secret, as deliberation-app@<port> runs them.
    # DELIBERATION_PROCESS only makes the fixture start a second one (it keys servers on their env).
    direct = [streamlit_server(demo_db, env={**env, "DELIBERATION_PROCESS": str(n)}) for n in (1, 2)]
    ports = [int(url.rsplit(":", 1)[1]) for url in direct]
    prefix = Path(tempfile.mkdtemp(prefix="nginx-"))     # not under pytest's 0700 folder: workers run as nobody
    nginx = start_nginx(ports, prefix)
    yield Site(nginx, ports, direct)
    nginx.stop()
    log_copy = Path(__file__).resolve().parents[2] / "test-artifacts" / ARTIFACTS
    log_copy.mkdir(parents=True, exist_ok=True)
    for name in ("access.log", "error.log"):
        if (prefix / name).exists():
            shutil.copyfile(prefix / name, log_copy / f"nginx-{name}")
    shutil.rmtree(prefix, ignore_errors=True)


# --- plain HTTP --------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None


def request(base: str, path: str, headers: dict | None = None, method: str = "GET", body: str | None = None) -> Answer:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": "test-through-nginx", **(headers or {})})
        response = conn.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    finally:
        conn.close()


def route_cookie(answer: Answer) -> str | None:
    for value in answer.all("Set-Cookie"):
        if value.startswith("xsyz_route="):
            return value
    return None


def test_staff_pages_get_the_security_headers_and_a_route_cookie(site):
    page = request(site.url, "/")
    assert page.status == 200
    csp = page.one("Content-Security-Policy")
    assert csp is not None and csp.startswith("default-src 'self'") and "frame-ancestors 'self'" in csp
    assert "'unsafe-eval'" not in csp and "*" not in csp
    assert page.one("X-Content-Type-Options") == "nosniff"
    assert page.one("Referrer-Policy") == "same-origin"
    assert page.one("X-Frame-Options") == "SAMEORIGIN"
    assert page.one("Strict-Transport-Security") is None          # plain http: never HSTS
    cookie = route_cookie(page)
    assert cookie and re.fullmatch(r"xsyz_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie), cookie
    again = request(site.url, "/", {"Cookie": cookie.split(";")[0]})
    assert route_cookie(again) is None                             # kept, never replaced
    assert request(site.direct[0], "/").one("Content-Security-Policy") is None     # nginx adds it


def test_the_residents_pages_keep_their_own_strict_policy_and_caching(site):
    through = request(site.url, "/board/1", {"Accept-Encoding": "gzip"})
    direct = request(site.direct[0], "/board/1", {"Accept-Encoding": "gzip"})
    assert through.status == direct.status == 200
    assert through.one("Content-Security-Policy") == direct.one("Content-Security-Policy")
    assert through.one("Content-Security-Policy").startswith("default-src 'none'")
    assert through.one("X-Content-Type-Options") == "nosniff" and through.one("Referrer-Policy") == "same-origin"
    assert route_cookie(through) is None                           # a public page stays cacheable
    assert through.one("ETag") == direct.one("ETag") and through.one("Content-Encoding") == "gzip"
    assert gzip.decompress(through.body) == gzip.decompress(direct.body)
    assert request(site.url, "/board/1", {"Accept-Encoding": "gzip", "If-None-Match": through.one("ETag")}).status == 304
    health = request(site.url, "/healthz")
    assert health.status == 200 and b'"ok"' in health.body and route_cookie(health) is None


def test_streamlit_javascript_is_gzipped_by_nginx(site):
    index = request(site.url, "/").body.decode()
    scripts = re.findall(r'src="\./(static/js/index\.[\w-]+\.js)"', index)
    assert scripts, index[:500]
    direct = request(site.direct[1], "/" + scripts[0], {"Accept-Encoding": "gzip"})
    through = request(site.url, "/" + scripts[0], {"Accept-Encoding": "gzip"})
    assert direct.status == through.status == 200
    assert direct.one("Content-Encoding") is None                  # what the issue found: 4 MB uncompressed
    assert through.one("Content-Encoding") == "gzip"
    assert gzip.decompress(through.body) == direct.body
    assert len(through.body) < 0.4 * len(direct.body), (len(through.body), len(direct.body))
    assert "immutable" in through.one("Cache-Control")


def test_too_large_bodies_and_the_agent_api_are_refused_in_chinese_or_404(site):
    assert request(site.direct[0], "/_stcore/agent/openapi.json").status == 200
    assert request(site.url, "/_stcore/agent/openapi.json").status == 404
    # 70 MB announced: nginx answers from the headers alone, before the body is sent.
    conn = http.client.HTTPConnection("127.0.0.1", site.nginx.port, timeout=30)
    try:
        conn.putrequest("POST", "/board/1/report")
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(70 * 1024 * 1024))
        conn.endheaders()
        answer = conn.getresponse()
        body = answer.read().decode()
    finally:
        conn.close()
    assert answer.status == 413 and "提交的内容太大" in body and "nginx" not in body


# --- in Chromium ---------------------------------------------------------------------------------------

def pinned_cookie(site: Site, port: int) -> str:
    """A route cookie nginx gave out that leads to the process on `port` (asked for until one does;
    each new one lands on either process with even odds)."""
    for _ in range(40):
        before = len(site.nginx.log())
        cookie = route_cookie(request(site.url, "/_stcore/health"))
        entry = [e for e in site.nginx.log()[before:] if e.path == "/_stcore/health" and e.agent == "test-through-nginx"]
        if cookie and entry and entry[-1].upstreams == (f"127.0.0.1:{port}",):
            return cookie.split(";")[0].split("=", 1)[1]
    raise AssertionError(f"no route cookie led to port {port} in 40 tries: the hash ignores the cookie?")


def pinned_context(browser, site: Site, port: int, agent: str):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai", user_agent=agent)
    context.add_cookies([{"name": "xsyz_route", "value": pinned_cookie(site, port), "url": site.url}])
    context.set_default_timeout(30000)
    return context


def processes_of(site: Site, agent: str) -> dict[str, set[str]]:
    """For one browser (its user agent): path kind -> the app processes that answered it. A
    WebSocket is logged when it closes, so close the context first."""
    for _ in range(100):
        entries = [e for e in site.nginx.log() if e.agent == agent]
        if any(e.path == "/_stcore/stream" for e in entries):
            break
        time.sleep(0.1)
    kinds: dict[str, set[str]] = {}
    for entry in entries:
        kind = "exempt" if entry.path.startswith(STICKY_EXEMPT) else entry.path.split("?")[0]
        if kind.startswith("/_stcore/upload_file/"):
            kind = "upload"
        elif kind not in ("/_stcore/stream", "exempt"):
            kind = "sticky"
        kinds.setdefault(kind, set()).update(entry.upstreams)
    return kinds


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_every_staff_page_runs_under_the_content_security_policy(browser, site):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.add_init_script(CSP_PROBE)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        goto(page, f"{site.url}/register")              # signed out: the sign-in form inside the app
        seen = {"signed out": csp_violations(page)} if csp_violations(page) else {}
        sign_in(page, site.url, "admin")
        for path in STAFF_PAGES:
            goto(page, f"{site.url}/{path}")
            assert_no_exception(page)
            found = csp_violations(page)
            if found:
                seen[path or "/"] = found
        page.set_viewport_size({"width": 1280, "height": 900})
        goto(page, f"{site.url}/register")
        shot(page, ARTIFACTS, "register-desktop")
        page.set_viewport_size(PHONE)
        goto(page, f"{site.url}/register")
        shot(page, ARTIFACTS, "register-phone")
    finally:
        context.close()
    assert seen == {} and console == [], f"CSP violations: {seen}\nconsole: {console}"
    assert errors == []


def test_a_meeting_runs_on_one_process_behind_nginx(browser, site):
    agent = "xsyz-e2e-meeting"
    context = pinned_context(browser, site, site.ports[0], agent)
    page = context.new_page()
    try:
        sign_in(page, site.url, "hx_secretary")
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="会议", exact=True).click()
        wait_idle(page)
        schedule = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="安排会议", exact=True))
        schedule.get_by_role("button", name="安排会议").click()
        page.get_by_role("heading", name=re.compile(r"^第\d+次会议$")).first.wait_for()
        wait_idle(page)
        start = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="开始会议", exact=True))
        start.get_by_role("button", name="开始会议").click()
        # Set for the rule's next date: opened on another day, it asks once (not on the day itself).
        asked = page.get_by_test_id("stAlertContentWarning").filter(has_text="本次会议原定")
        started = page.get_by_test_id("stAlertContentWarning").filter(has_text="未达法定人数")
        asked.or_(started).first.wait_for()
        if asked.count():
            wait_idle(page)
            page.get_by_role("button", name="按实际时间开始").click()
        started.wait_for()
        wait_idle(page)
        roll = page.get_by_test_id("stExpander").filter(has_text="出席情况(按协商主体)")
        for who in ("党支部 · 李明华", "业主委员会 · 张志强", "物业服务企业 · 刘海涛",
                    "社区居委会/工作站 · 黄丽萍", "社区警务室 · 吴卫东"):
            roll.get_by_role("radiogroup", name=who).get_by_text("出席", exact=True).click()     # saved at once
            wait_idle(page)
        page.get_by_test_id("stAlertContentSuccess").filter(has_text="已达法定人数").wait_for()
        wait_idle(page)
        assert_no_exception(page)
        shot(page, ARTIFACTS, "meeting-through-nginx")
    finally:
        context.close()
    kinds = processes_of(site, agent)
    mine = {f"127.0.0.1:{site.ports[0]}"}
    assert kinds.get("/_stcore/stream") == mine and kinds.get("sticky") == mine, kinds


def test_a_photo_upload_reaches_the_process_of_its_session(browser, site, tmp_path):
    agent = "xsyz-e2e-upload"
    context = pinned_context(browser, site, site.ports[1], agent)
    page = context.new_page()
    try:
        sign_in(page, site.url, "hx_recorder")
        open_panel(page, site.url)
        page.get_by_text("整改后", exact=True).first.click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(photo_file(tmp_path))
        wait_idle(page)
        page.get_by_role("button", name="上传照片").click()
        wait_idle(page)
        page.get_by_text("已上传 1 张照片").first.wait_for()
        page.locator('[data-testid="stImage"] img').first.wait_for()
        assert_no_exception(page)
        shot(page, ARTIFACTS, "photo-uploaded-through-nginx")
    finally:
        context.close()
    kinds = processes_of(site, agent)
    mine = {f"127.0.0.1:{site.ports[1]}"}
    assert kinds.get("upload") == mine and kinds.get("/_stcore/stream") == mine and kinds.get("sticky") == mine, kinds


def test_a_resident_raises_a_concern_with_a_photo_through_nginx(browser, site, demo_db):
    agent = "xsyz-e2e-resident-phone"
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                locale="zh-CN", java_script_enabled=False, user_agent=agent).new_page()
    try:
        answer = phone.goto(f"{site.url}/board/1")
        assert answer.status == 200 and answer.headers["content-security-policy"].startswith("default-src 'none'")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(phone, ARTIFACTS, "board-phone")
        photo = [{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()}]
        fill_report(phone, site.url, 1, photo)
        send(phone, photo)
        phone.get_by_role("heading", name="已收到您的反映").wait_for()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", phone.locator(".secret").inner_text())
        shot(phone, ARTIFACTS, "receipt-phone")
    finally:
        phone.context.close()
    desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    try:
        desktop.goto(f"{site.url}/board/1")
        shot(desktop, ARTIFACTS, "board-desktop")
    finally:
        desktop.context.close()
    with sqlite3.connect(demo_db) as conn:
        stored = conn.execute("SELECT count(DISTINCT r.id), count(p.id) FROM reports r JOIN photos p ON p.report_id = r.id "
                              "WHERE r.words = ?", [WORDS]).fetchone()
    assert stored == (1, 1)
    posted = [e for e in site.nginx.log() if e.agent == agent and e.method == "POST"]
    assert posted and all(e.status < 400 for e in posted), posted


def test_both_processes_served_and_nginx_logged_no_error(site):
    served = site.nginx.served_by()
    assert set(served) == {f"127.0.0.1:{port}" for port in site.ports}, served
    assert all(count >= 20 for count in served.values()), served
    errors = [line for line in site.nginx.errors().splitlines()
              if any(level in line for level in ("[error]", "[crit]", "[alert]", "[emerg]"))
              and "client intended to send too large body" not in line]          # the 70 MB test's, on purpose
    assert errors == [], "\n".join(errors)


# --- the browser's address, as the sign-in limits see it ----------------------------------------------

def bad_sign_ins(base: str, username: str, tries: int) -> list[str]:
    """`tries` wrong passwords for `username`, each claiming another address in X-Real-IP and
    X-Forwarded-For (as an attacker would, to dodge the per-address limits); the error each gets."""
    said = []
    for n in range(tries):
        form = request(base, "/signin").body.decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "next": "/", "lang": "zh", "username": username,
                                       "password": f"wrong-{n}-Guess1"})
        spoofed = f"203.0.113.{n + 1}"
        answer = request(base, "/signin", {"Content-Type": "application/x-www-form-urlencoded", "Origin": base,
                                           "X-Real-IP": spoofed, "X-Forwarded-For": spoofed}, method="POST", body=body)
        said.append(re.search(r'<p class="error" role="alert">([^<]*)</p>', answer.body.decode()).group(1))
    return said


def test_nginx_replaces_the_address_a_client_claims(site):
    too_many = "登录失败次数过多"
    # Straight to the app from loopback, the claimed address is believed: six "different" clients.
    direct = bad_sign_ins(site.direct[0], "hx_property", 6)
    assert not any(too_many in said for said in direct), direct
    # Through nginx the app gets nginx's own X-Real-IP: one client, refused after five failures.
    through = bad_sign_ins(site.url, "hx_owners", 6)
    assert not any(too_many in said for said in through[:5]) and too_many in through[5], through
