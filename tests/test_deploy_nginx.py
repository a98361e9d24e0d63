"""The shipped TLS site (deploy/nginx/site.conf.in, rendered by deploy/render.py) under Debian's real
nginx with a throwaway self-signed certificate, in front of a stand-in app (a bare HTTP server that
answers "/" and drops the connection on "/crash"): nginx accepts it, port 80 only redirects to https,
HSTS is sent on https and never on http, the route cookie is Secure there, and a process that dies
mid-request gives the Chinese maintenance page with the security headers. The renderer itself: Debian's python3 runs it,
it refuses a placeholder without a value. (The site in front of real app processes, through Chromium:
tests/e2e/test_through_nginx.py.)"""
from __future__ import annotations

import http.client
import shutil
import ssl
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from deploy import render
from tests.e2e.nginx_site import start


class StandIn(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/crash":
            return                      # no answer at all: the connection closes, nginx says 502
        body = b"<!doctype html><title>app</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def app_port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tls_site(app_port):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is missing (Debian's openssl package; test.sh installs it)", pytrace=False)
    prefix = Path(tempfile.mkdtemp(prefix="nginx-tls-"))
    cert, key = prefix / "fullchain.pem", prefix / "privkey.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    site = start(prefix, lambda http_port, https_port: render.standalone(
        render.tls_site([app_port], "127.0.0.1", str(cert), str(key), http_port=http_port, https_port=https_port),
        prefix), port_count=2)
    yield {"site": site, "http": site.ports[0], "https": site.ports[1], "conf": (prefix / "nginx.conf").read_text()}
    site.stop()
    shutil.rmtree(prefix, ignore_errors=True)


def ask(port: int, path: str, *, tls: bool) -> tuple[int, dict[str, list[str]], str]:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE       # our own throwaway cert
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        headers: dict[str, list[str]] = {}
        for name, value in answer.getheaders():
            headers.setdefault(name.lower(), []).append(value)
        return answer.status, headers, answer.read().decode("utf-8", errors="replace")
    finally:
        conn.close()


def test_port_80_only_redirects_to_https_without_hsts(tls_site):
    status, headers, _ = ask(tls_site["http"], "/register?issue=4", tls=False)
    assert status == 301 and headers["location"] == ["https://127.0.0.1/register?issue=4"]
    assert "strict-transport-security" not in headers


def test_https_sends_hsts_the_security_headers_and_a_secure_route_cookie(tls_site):
    status, headers, body = ask(tls_site["https"], "/", tls=True)
    assert status == 200 and body == "<!doctype html><title>app</title>"
    assert headers["strict-transport-security"] == ["max-age=31536000"]
    assert headers["content-security-policy"][0].startswith("default-src 'self'")
    assert headers["x-content-type-options"] == ["nosniff"] and headers["x-frame-options"] == ["SAMEORIGIN"]
    cookies = headers["set-cookie"]
    assert len(cookies) == 1 and cookies[0].startswith("xsyz_route=") and cookies[0].endswith("; Secure"), cookies


def test_a_process_dying_mid_request_gives_the_chinese_maintenance_page(tls_site):
    status, headers, body = ask(tls_site["https"], "/crash", tls=True)
    assert status == 503 and "系统正在维护或重启" in body and "nginx" not in body.lower()
    assert headers["content-type"] == ["text/html; charset=utf-8"]
    assert headers["strict-transport-security"] == ["max-age=31536000"]
    assert headers["content-security-policy"][0].startswith("default-src 'self'")


def test_the_rendered_site_has_no_placeholder_left_and_names_the_certificate(tls_site):
    assert "{{" not in tls_site["conf"] and "}}" not in tls_site["conf"]
    default = render.tls_site([8501, 8502], "yishi.example.cn", "/etc/letsencrypt/live/yishi.example.cn/fullchain.pem",
                              "/etc/letsencrypt/live/yishi.example.cn/privkey.pem")
    assert "server 127.0.0.1:8501" in default and "server 127.0.0.1:8502" in default
    assert "ssl_certificate     /etc/letsencrypt/live/yishi.example.cn/fullchain.pem;" in default
    assert default.count("Strict-Transport-Security") == 1


def test_fill_refuses_a_placeholder_without_a_value():
    with pytest.raises(KeyError, match="server_name"):
        render.fill("server_name {{server_name}};")


def test_debian_python_renders_every_file(tmp_path):
    python3 = shutil.which("python3", path="/usr/bin")
    done = subprocess.run([python3, str(render.DEPLOY / "render.py"), "--server-name", "yishi.example.cn",
                           "--ports", "8501,8502,8503", "-o", str(tmp_path)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    site = (tmp_path / "nginx" / "deliberation.conf").read_text()
    assert site.count("server 127.0.0.1:8503") == 3                  # in each of the three upstreams
    units = sorted(p.name for p in (tmp_path / "systemd").iterdir())
    assert units == sorted(p.name for p in render.unit_files())
    env = tmp_path / "deliberation.env"
    assert oct(env.stat().st_mode & 0o777) == "0o600" and "STREAMLIT_SERVER_COOKIE_SECRET=\n" not in env.read_text()
    bad = subprocess.run([python3, str(render.DEPLOY / "render.py"), "--ports", "8501,8501", "-o", str(tmp_path)],
                         capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "distinct" in bad.stderr
