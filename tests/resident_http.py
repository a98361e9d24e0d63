"""The residents' light pages over real HTTP: uvicorn on a free loopback port in a thread, serving
web/resident.routes() (or any Starlette routes); a plain http.client GET, and a Browser (a phone
that keeps its cookies and posts forms, multipart included)."""
from __future__ import annotations

import gzip
import http.client
import secrets
import socket
import threading
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette


@contextmanager
def serving(routes, **config):
    """Yield the port of a uvicorn server running `routes` until the block ends (`config`: more
    uvicorn.Config settings, e.g. proxy_headers)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes), log_level="warning", lifespan="off",
                                           **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            threading.Event().wait(0.01)
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass
class Answer:
    status: int
    headers: dict            # lower-case names
    raw: bytes               # as sent (gzip when Content-Encoding says so)

    @property
    def text(self) -> str:
        body = gzip.decompress(self.raw) if self.headers.get("content-encoding") == "gzip" else self.raw
        return body.decode("utf-8")


def get(port: int, path: str, headers: dict | None = None, method: str = "GET") -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


@dataclass
class FormAnswer:
    status_code: int
    text: str
    headers: http.client.HTTPMessage


class Browser:
    """One phone: its own cookies, its own source address (127.0.0.x: the server's client.host)."""

    def __init__(self, port: int, address: str = "127.0.0.1"):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, data: dict | None = None, files: list | None = None,
                headers: dict | None = None, with_cookies: bool = True) -> FormAnswer:
        body, sent = b"", dict(headers or {})
        if files is not None:
            boundary = secrets.token_hex(12)
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                     for k, v in (data or {}).items()]
            for name, (filename, content, kind) in files:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
                             f'\r\nContent-Type: {kind}\r\n\r\n'.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if with_cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.address, 0))
        try:
            conn.request(method, path, body=body or None, headers=sent)
            answer = conn.getresponse()
            text = answer.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in answer.headers.get_all("set-cookie") or ():
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        if answer.status == 303:                                      # POST, then GET the answer page
            return self.get(answer.headers["location"])
        return FormAnswer(answer.status, text, answer.headers)

    def get(self, path: str, **kw) -> FormAnswer:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> FormAnswer:
        return self.request("POST", path, **kw)
