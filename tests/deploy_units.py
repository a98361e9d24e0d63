"""Reading the shipped systemd units (deploy/systemd) and running their commands here, as systemd
would on the server: the server's paths moved into a test folder, systemd's escapes undone
(%i, %%, $$), the EnvironmentFile's variables given. No systemd needed; see tests/test_deploy_systemd.py."""
from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UNITS = REPO / "deploy" / "systemd"
SERVER_APP = "/srv/deliberation"                      # where the units expect the checkout
SERVER_BACKUP = "/srv/backup"
SERVER_ENV = "/etc/deliberation/deliberation.env"


@dataclass
class Unit:
    name: str
    sections: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def get(self, section: str, key: str) -> list[str]:
        return self.sections.get(section, {}).get(key, [])

    def one(self, section: str, key: str) -> str:
        values = self.get(section, key)
        assert len(values) == 1, f"{self.name}: [{section}] {key} = {values}"
        return values[0]


def read_unit(path: Path, replace: dict[str, str] | None = None) -> Unit:
    """A unit file as {section: {key: [values]}} (a key may repeat: ExecStart of a oneshot), with
    each `replace` key (a server path) swapped for its value in every line."""
    unit, section = Unit(path.name), ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        for old, new in (replace or {}).items():
            line = line.replace(old, new)
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            unit.sections.setdefault(section, {})
            continue
        key, sep, value = line.partition("=")
        assert sep and section, f"{path.name}: not a unit line: {raw!r}"
        unit.sections[section].setdefault(key.strip(), []).append(value.strip())
    return unit


def unit_files() -> list[Path]:
    return sorted(p for p in UNITS.iterdir() if p.suffix in (".service", ".timer"))


def command_line(value: str, instance: str = "") -> list[str]:
    """An Exec*= value as the argv systemd runs: specifiers (%i, %%) and $$ undone, then split
    with shell-like quoting (systemd's own rules for the quotes used here)."""
    out, i = [], 0
    while i < len(value):
        pair = value[i:i + 2]
        if pair == "%%":
            out.append("%")
        elif pair == "%i":
            out.append(instance)
        elif pair == "$$":
            out.append("$")
        elif value[i] == "%":
            raise AssertionError(f"specifier {pair!r} not handled here: {value}")
        else:
            out.append(value[i])
            i += 1
            continue
        i += 2
    return shlex.split("".join(out))


def environment(path: Path) -> dict[str, str]:
    """An EnvironmentFile's KEY=VALUE lines."""
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def run_exec(unit: Unit, key: str, *, instance: str = "", timeout: float = 120) -> list[subprocess.CompletedProcess]:
    """Run every `key` line (ExecStart, ExecStartPost) of the unit's [Service], in its working
    directory, with its EnvironmentFile and UMask; stop at the first failure, as systemd does."""
    service = unit.sections["Service"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    for env_file in service.get("EnvironmentFile", []):
        env.update(environment(Path(env_file.lstrip("-"))))
    umask = int(service["UMask"][0], 8) if "UMask" in service else None
    results = []
    for value in service.get(key, []):
        done = subprocess.run(command_line(value, instance), cwd=service["WorkingDirectory"][0], env=env,
                              capture_output=True, text=True, timeout=timeout,
                              preexec_fn=None if umask is None else (lambda: os.umask(umask)), check=False)
        results.append(done)
        if done.returncode != 0:
            break
    return results
