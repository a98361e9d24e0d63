"""The residents' light pages over real HTTP: uvicorn on a free loopback port in a thread, serving
web/resident.routes() (or any Starlette routes), and a plain http.client GET."""
from __future__ import annotations

import gzip
import http.client
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette


@contextmanager
def serving(routes):
    """Yield the port of a uvicorn server running `routes` until the block ends."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes), log_level="warning", lifespan="off"))
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
