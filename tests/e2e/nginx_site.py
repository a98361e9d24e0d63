"""Debian's nginx in front of app processes, from the shipped files: deploy/render.py renders the
loopback variant of the site (the same upstreams and locations as the TLS site) and a standalone
nginx.conf into a folder; nginx runs there in the foreground on a free loopback port until stop().
Used by tests/e2e/test_through_nginx.py and the benchmarks (no pytest here)."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from deploy import render

from .helpers import free_port

START_TIMEOUT_S = 15
# deploy/nginx/upstreams.conf.in, log_format deliberation
LOG_LINE = re.compile(r'^\S+ \[[^\]]+\] "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) (?P<bytes>\d+) '
                      r'(?P<upstream>\S+(?:, \S+)*) (?P<seconds>[\d.]+) "(?P<agent>[^"]*)"$')


def nginx_binary() -> str:
    """Debian's nginx (test.sh installs it); an error, not a skip, when it is missing."""
    path = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    if path is None:
        raise RuntimeError("Debian's nginx is not installed; run ./test.sh (it apt-installs it)")
    return path


@dataclass
class LogEntry:
    method: str
    path: str
    status: int
    bytes: int
    upstreams: tuple[str, ...]      # "127.0.0.1:8501" each; "-" when nginx answered alone
    agent: str


class NginxSite:
    def __init__(self, proc: subprocess.Popen, prefix: Path, ports: list[int]):
        self.proc, self.prefix, self.ports = proc, prefix, ports
        self.port = ports[0]
        self.url = f"http://127.0.0.1:{self.port}"

    def log(self) -> list[LogEntry]:
        """The access log so far (nginx writes a line when a request ends: a WebSocket's when it
        closes)."""
        entries = []
        for line in (self.prefix / "access.log").read_text(errors="replace").splitlines():
            match = LOG_LINE.match(line)
            if match is None:
                raise AssertionError(f"access log line not in the shipped format: {line!r}")
            entries.append(LogEntry(match["method"], match["path"], int(match["status"]), int(match["bytes"]),
                                    tuple(match["upstream"].split(", ")), match["agent"]))
        return entries

    def served_by(self) -> Counter:
        """Requests per app process (upstream address)."""
        return Counter(up for entry in self.log() for up in entry.upstreams if up != "-")

    def errors(self) -> str:
        return (self.prefix / "error.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGQUIT)          # graceful: lets open requests finish
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass


def app_environment(db_path: Path, secret: str = "") -> dict[str, str]:
    """The variables the units' EnvironmentFile gives every app process (deploy/render.py writes it,
    with one cookie secret for all), the database replaced by `db_path`."""
    env = {}
    for line in render.environment_file(secret or None).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return {**env, "DELIBERATION_DB": str(db_path)}


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def launch(prefix: Path, conf_text: str, ports: list[int]) -> NginxSite | str:
    """nginx on `conf_text` (written to prefix/nginx.conf) in the foreground: the running site once
    all `ports` listen, else what nginx said. `nginx -t` first, so a broken template fails with
    nginx's own words."""
    binary = nginx_binary()
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)                  # started as root, the workers (nobody) write request bodies here
    conf = prefix / "nginx.conf"
    conf.write_text(conf_text, encoding="utf-8")
    command = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30, check=False)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered site:\n{checked.stderr}")
    proc = subprocess.Popen([*command, "-g", "daemon off;"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    site = NginxSite(proc, prefix, ports)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        if all(_listening(port) for port in ports):
            return site
        time.sleep(0.05)
    site.stop()
    return (proc.stderr.read().decode(errors="replace") if proc.stderr else "") + site.errors()


def start(prefix: Path, render_conf, port_count: int = 1) -> NginxSite:
    """launch() on `render_conf(*free ports)`, again on other ports if one was taken meanwhile."""
    said = ""
    for _attempt in range(3):
        ports = [free_port() for _ in range(port_count)]
        result = launch(prefix, render_conf(*ports), ports)
        if isinstance(result, NginxSite):
            return result
        said = result
        if "Address already in use" not in said:
            break
    raise RuntimeError(f"nginx did not start:\n{said}")


def start_nginx(app_ports: list[int], prefix: Path) -> NginxSite:
    """The loopback site in front of `app_ports`, on a free port; files, logs and temp folders in
    `prefix`."""
    return start(prefix, lambda port: render.standalone(render.loopback_site(app_ports, port), prefix))
