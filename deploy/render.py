#!/usr/bin/env python3
"""Render the deployment files for one server: the nginx site (ports of the app processes, server
name, certificate paths), the systemd units and the environment file (with a fresh cookie secret).

    python3 deploy/render.py --server-name yishi.example.cn --ports 8501,8502 -o /tmp/deliberation-deploy
    python3 deploy/render.py --ports 8501,8502 --loopback 8080 --standalone /tmp/trial -o /tmp/trial

The TLS site is the default. `--loopback PORT` renders the same upstreams and locations in a
plain-HTTP server on 127.0.0.1:PORT instead (CI's browser tests, a trial before the certificate);
`--standalone DIR` wraps the site in a whole nginx.conf whose pid, logs and temp files live in DIR.
Standard library only: runs with Debian's python3 before the app's .venv exists."""
from __future__ import annotations

import argparse
import re
import secrets
import shutil
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
NGINX, SYSTEMD = DEPLOY / "nginx", DEPLOY / "systemd"
PLACEHOLDER = re.compile(r"{{(\w+)}}")
SECRET_LINE = re.compile(r"^STREAMLIT_SERVER_COOKIE_SECRET=.*$", re.MULTILINE)


def fill(template: str, **values: str) -> str:
    """`template` with every {{name}} replaced; a multi-line value is indented like its placeholder.
    A placeholder without a value is an error, never left in a file nginx would then refuse."""
    missing = set(PLACEHOLDER.findall(template)) - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")

    def line(text: str) -> str:
        indent = text[:len(text) - len(text.lstrip(" "))]
        return PLACEHOLDER.sub(lambda m: values[m.group(1)].replace("\n", "\n" + indent), text)

    return "".join(line(text) for text in template.splitlines(keepends=True))


def _template(name: str) -> str:
    return (NGINX / name).read_text(encoding="utf-8")


def parse_ports(text: str) -> list[int]:
    ports = [int(part) for part in text.split(",") if part.strip()]
    if not ports or any(not 1 <= port <= 65535 for port in ports) or len(set(ports)) != len(ports):
        raise ValueError(f"ports must be distinct numbers 1-65535: {text!r}")
    return ports


def upstreams(ports: list[int]) -> str:
    servers = "\n".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)
    return fill(_template("upstreams.conf.in"), servers=servers)


def app_locations() -> str:
    return _template("app.conf.in").rstrip("\n")


def tls_site(ports: list[int], server_name: str, certificate: str, key: str, *, http_port: int = 80,
             https_port: int = 443) -> str:
    return fill(_template("site.conf.in"), upstreams=upstreams(ports).rstrip("\n"), app=app_locations(),
                server_name=server_name, process_count=str(len(ports)), http_port=str(http_port),
                https_port=str(https_port), ssl_certificate=certificate, ssl_certificate_key=key)


def loopback_site(ports: list[int], listen_port: int) -> str:
    return fill(_template("loopback.conf.in"), upstreams=upstreams(ports).rstrip("\n"), app=app_locations(),
                listen_port=str(listen_port))


def standalone(site: str, prefix: Path) -> str:
    return fill(_template("standalone.conf.in"), site=site.rstrip("\n"), prefix=str(prefix))


def environment_file(secret: str | None = None) -> str:
    """deliberation.env with a cookie secret of its own (every process of one server shares it)."""
    text = (SYSTEMD / "deliberation.env").read_text(encoding="utf-8")
    return SECRET_LINE.sub(f"STREAMLIT_SERVER_COOKIE_SECRET={secret or secrets.token_hex(32)}", text)


def unit_files() -> list[Path]:
    return sorted(p for p in SYSTEMD.iterdir() if p.suffix in (".service", ".timer"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", default="8501,8502", help="the app processes' ports on 127.0.0.1")
    parser.add_argument("--server-name", default="yishi.example.cn", help="the public host name")
    parser.add_argument("--ssl-certificate", help="default /etc/letsencrypt/live/NAME/fullchain.pem")
    parser.add_argument("--ssl-certificate-key", help="default /etc/letsencrypt/live/NAME/privkey.pem")
    parser.add_argument("--loopback", type=int, metavar="PORT", help="plain HTTP on 127.0.0.1:PORT, no TLS")
    parser.add_argument("--standalone", type=Path, metavar="DIR", help="also write DIR/nginx.conf around the site")
    parser.add_argument("-o", "--out", type=Path, required=True, help="folder to write into")
    args = parser.parse_args(argv)
    try:
        ports = parse_ports(args.ports)
    except ValueError as exc:
        parser.error(str(exc))
    if args.loopback:
        site = loopback_site(ports, args.loopback)
    else:
        live = f"/etc/letsencrypt/live/{args.server_name}"
        site = tls_site(ports, args.server_name, args.ssl_certificate or f"{live}/fullchain.pem",
                        args.ssl_certificate_key or f"{live}/privkey.pem")
    out = args.out
    (out / "nginx").mkdir(parents=True, exist_ok=True)
    (out / "systemd").mkdir(exist_ok=True)
    (out / "nginx" / "deliberation.conf").write_text(site, encoding="utf-8")
    if args.standalone:
        prefix = args.standalone.resolve()
        prefix.mkdir(parents=True, exist_ok=True)
        (prefix / "nginx.conf").write_text(standalone(site, prefix), encoding="utf-8")
    for unit in unit_files():
        shutil.copyfile(unit, out / "systemd" / unit.name)
    env = out / "deliberation.env"
    env.write_text(environment_file(), encoding="utf-8")
    env.chmod(0o600)
    print(f"written under {out}: nginx/deliberation.conf, systemd/ ({len(unit_files())} units), deliberation.env",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
