"""`make run` stops cleanly: Ctrl-C (SIGINT to the terminal's foreground process group) stops
the web server and the job worker with all their children within a few seconds.

The test runs the command `make run` ends with (`manage.py devserver`) as a terminal would:
in a process group of its own, against a copy of the test database, waits until the web server
answers and the cluster's workers are up, sends SIGINT to the group and watches every process
that had been started below it."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

STOPPED_WITHIN = 10.0  # seconds; the command's own grace is 8 s, then SIGKILL
STARTED_WITHIN = 120.0  # a busy 2-core machine imports Django slowly


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    """A database the children can open: the test database itself, or a file copy of it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "run.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _stat(pid: int) -> list[str] | None:
    """The fields after the command name in /proc/<pid>/stat, None when gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(errors="replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] in ("Z", "X") else fields


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat(int(name))) is not None:
            parents[int(name)] = int(fields[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="walks /proc (Linux)")
def test_ctrl_c_stops_the_web_server_and_every_job_worker(transactional_db, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp_path),
        "JOBS_ASYNC": "1",
        "JOB_WORKERS": "2",
    }
    log = tmp_path / "run.log"
    children: set[int] = set()
    run = subprocess.Popen(  # noqa: S603  # our interpreter and manage.py
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,  # the terminal's foreground process group
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    try:
        deadline = time.monotonic() + STARTED_WITHIN
        # Up: the server answers (reloader + server) and the cluster has its sentinel,
        # 2 workers, monitor and pusher below the qcluster process.
        while time.monotonic() < deadline:
            if run.poll() is not None:
                pytest.fail(f"devserver exited early: {log.read_text()}")
            if _answers(port) and len(_descendants(run.pid)) >= 2 + 1 + 5:
                break
            time.sleep(0.5)
        else:
            pytest.fail("devserver did not start in time")
        children = _descendants(run.pid)

        started = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C
        run.wait(timeout=STOPPED_WITHIN + 5)
        while time.monotonic() - started < STOPPED_WITHIN and any(_stat(p) for p in children):
            time.sleep(0.1)
        took = time.monotonic() - started
        left = {p: Path(f"/proc/{p}/cmdline").read_bytes() for p in children if _stat(p)}
        assert left == {}, f"still running {took:.1f} s after Ctrl-C"
        assert took < STOPPED_WITHIN
        output = log.read_text()
        assert "killed" not in output, output  # all stopped on their own, none was killed
        assert run.returncode == 0
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        for pid in children:
            if _stat(pid):
                os.kill(pid, signal.SIGKILL)
