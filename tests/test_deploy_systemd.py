"""The shipped systemd units (deploy/systemd) do what the README says, run here without systemd:
`systemd-analyze verify` finds nothing to say about them; the timers' jobs (close-windows, purge,
backup) run their real commands on a demo database and do their work; the app unit's command line
starts a process that answers /healthz on the instance's port; the environment file names the
variables the app reads."""
from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import date

import pytest

from deploy import render
from tests.deploy_units import (
    SERVER_APP,
    SERVER_BACKUP,
    SERVER_ENV,
    UNITS,
    command_line,
    environment,
    read_unit,
    run_exec,
    unit_files,
)

JOBS = {"deliberation-close-windows": "close-windows", "deliberation-purge": "purge-personal",
        "deliberation-backup": "backup"}


@pytest.fixture
def server(tmp_path):
    """The server's folders moved under tmp_path: a demo database, /srv/backup, the env file."""
    db = tmp_path / "data" / "deliberation.db"
    db.parent.mkdir()
    subprocess.run([sys.executable, "-m", "deliberation", "demo", "--db", str(db)], cwd=render.DEPLOY.parent,
                   check=True, capture_output=True, timeout=300)
    backup = tmp_path / "backup"
    backup.mkdir()
    env_file = tmp_path / "deliberation.env"
    env_file.write_text(render.environment_file().replace("/srv/data/deliberation.db", str(db)), encoding="utf-8")
    replace = {SERVER_ENV: str(env_file), SERVER_APP: str(render.DEPLOY.parent), SERVER_BACKUP: str(backup)}
    return {"db": db, "backup": backup, "env": env_file, "replace": replace}


def test_systemd_analyze_verify_has_nothing_to_say(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze is missing (Debian's systemd package)", pytrace=False)
    # The units as installed, but pointing at this checkout (verify checks that commands exist);
    # the template unit as one instance, as `systemctl enable deliberation-app@8501` names it.
    for path in unit_files():
        text = path.read_text(encoding="utf-8").replace(SERVER_APP, str(render.DEPLOY.parent))
        name = path.name.replace("@.service", "@8501.service")
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run([analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stderr.strip() == "" and done.stdout.strip() == "", done.stderr + done.stdout


def test_verify_is_not_silent_about_a_broken_unit(tmp_path):
    """The check above can fail: a bad calendar and an unknown key are reported."""
    timer = (UNITS / "deliberation-backup.timer").read_text(encoding="utf-8").replace("*-*-* 02:30:00", "nightly at 2")
    (tmp_path / "deliberation-backup.timer").write_text(timer, encoding="utf-8")
    service = (UNITS / "deliberation-backup.service").read_text(encoding="utf-8").replace("UMask=", "Umask=")
    (tmp_path / "deliberation-backup.service").write_text(service.replace(SERVER_APP, str(render.DEPLOY.parent)),
                                                          encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
                          capture_output=True, text=True, timeout=60, check=False)
    assert "calendar" in done.stderr and "Umask" in done.stderr, done.stderr


def test_every_job_has_a_timer_and_every_unit_reads_the_environment_file():
    names = {p.name for p in unit_files()}
    for job in JOBS:
        assert f"{job}.service" in names and f"{job}.timer" in names
        timer = read_unit(UNITS / f"{job}.timer")
        assert timer.one("Timer", "Persistent") == "true" and timer.one("Install", "WantedBy") == "timers.target"
    for path in unit_files():
        if path.suffix == ".service":
            unit = read_unit(path)
            assert unit.one("Service", "EnvironmentFile") == SERVER_ENV
            assert unit.one("Service", "WorkingDirectory") == SERVER_APP
            assert unit.one("Service", "User") == "deliberation"


def test_the_environment_file_names_what_the_app_reads():
    env = environment(UNITS / "deliberation.env")
    assert env["DELIBERATION_DB"] == "/srv/data/deliberation.db"
    source = "".join(p.read_text(encoding="utf-8") for p in (render.DEPLOY.parent / "deliberation").rglob("*.py"))
    for key in ("DELIBERATION_DB", "DELIBERATION_RETENTION_DAYS", "DELIBERATION_MIN_FREE_MB"):
        assert key in env and f'"{key}"' in source, key
    secrets = [line.split("=", 1)[1] for text in (render.environment_file(), render.environment_file())
               for line in text.splitlines() if line.startswith("STREAMLIT_SERVER_COOKIE_SECRET=")]
    assert len(secrets) == 2 and secrets[0] != secrets[1] and all(len(s) == 64 for s in secrets)
    # Streamlit takes it from the variable: every process of one server signs with the same secret.
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=render.DEPLOY.parent,
                           env={**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets[0]},
                           capture_output=True, text=True, timeout=60, check=False).stdout
    assert f'cookieSecret = "{secrets[0]}"' in shown


def test_each_job_names_its_command_line_subcommand(server):
    for job, command in JOBS.items():
        argv = command_line(read_unit(UNITS / f"{job}.service", server["replace"]).one("Service", "ExecStart"))
        assert command in argv or any(f"-m deliberation {command} " in arg for arg in argv), argv


def test_the_close_windows_job_resolves_an_issue_whose_window_has_closed(server):
    with sqlite3.connect(server["db"]) as conn:
        issue = conn.execute("SELECT id FROM issues WHERE stage = 'publicizing' ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("UPDATE issues SET objection_closes_on = date('now', 'localtime', '-1 day') WHERE id = ?", [issue])
    done = run_exec(read_unit(UNITS / "deliberation-close-windows.service", server["replace"]), "ExecStart")
    assert [d.returncode for d in done] == [0], done[-1].stderr
    assert "已办结 1 个" in done[0].stdout
    with sqlite3.connect(server["db"]) as conn:
        assert conn.execute("SELECT stage FROM issues WHERE id = ?", [issue]).fetchone()[0] == "resolved"


def test_the_purge_job_erases_what_is_past_retention(server):
    def due() -> str:
        return subprocess.run([sys.executable, "-m", "deliberation", "purge-personal", "--dry-run",
                               "--db", str(server["db"])], cwd=render.DEPLOY.parent, capture_output=True,
                              text=True, check=True, timeout=120).stdout
    assert "议题 0 个" not in due()                                  # the demo has issues past 365 days
    done = run_exec(read_unit(UNITS / "deliberation-purge.service", server["replace"]), "ExecStart")
    assert [d.returncode for d in done] == [0], done[-1].stderr
    assert "议题 0 个" in due() and "居民反映 0 条" in due()


def test_the_backup_job_writes_todays_checked_copy_and_keeps_thirty_days(server):
    backup = server["backup"]
    old, recent = backup / "deliberation-2020-01-01.db", backup / "deliberation-recent.db"
    for path, days in ((old, 40), (recent, 10)):
        path.write_bytes(b"an earlier backup")
        stamp = time.time() - days * 86400
        os.utime(path, (stamp, stamp))
    unit = read_unit(UNITS / "deliberation-backup.service", server["replace"])
    done = run_exec(unit, "ExecStart") + run_exec(unit, "ExecStartPost")
    assert [d.returncode for d in done] == [0, 0], "\n".join(d.stderr for d in done)
    today = backup / f"deliberation-{date.today().isoformat()}.db"
    assert today.exists() and oct(today.stat().st_mode & 0o777) == "0o600"
    check = subprocess.run([sys.executable, "-m", "deliberation", "check", "--db", str(today)],
                           cwd=render.DEPLOY.parent, capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stderr
    assert not old.exists() and recent.exists()


def test_the_app_unit_starts_a_process_on_its_instance_port(server):
    unit = read_unit(UNITS / "deliberation-app@.service", server["replace"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = command_line(unit.one("Service", "ExecStart"), instance=str(port))
    assert argv[:4] == [f"{render.DEPLOY.parent}/.venv/bin/python", "-m", "streamlit", "run"]
    env = {"PATH": os.environ.get("PATH", ""), **environment(server["env"])}
    proc = subprocess.Popen(argv, cwd=unit.one("Service", "WorkingDirectory"), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        status, body = None, b""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with opener.open(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    status, body = answer.status, answer.read()
                    break
            except OSError:
                time.sleep(0.2)
        assert status == 200 and b'"ok"' in body, (status, body, proc.poll())
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
