"""`make run`'s last step: the development web server and a job worker, stopped together.

    python manage.py devserver [addrport]

Each child runs in its own process group (its session), so this command alone receives the
terminal's Ctrl-C and decides how they stop:

1. SIGINT (Ctrl-C), SIGTERM or SIGHUP here, or either child exiting by itself, starts the stop;
2. the worker's leader gets SIGTERM (django-q's graceful stop: the pusher stops, workers
   finish the task in hand, then the monitor), the web server's group SIGINT (as Ctrl-C);
3. whatever is still alive after `--grace` seconds (default 8) gets SIGKILL, group by group,
   so no worker is left behind holding the SQLite file or a port. A job killed there is
   delivered again by the broker after Q_CLUSTER["retry"] and resumes from its checkpoint
   (docs/jobs.md).

Before this, the Makefile started `qcluster &` from a non-interactive shell: the background
job ignored SIGINT, and the shell's exit trap (`kill 0`) sent SIGTERM to the whole group at
once, the cluster's own processes included: they died mid-way, and the cluster's sentinel
restarted and waited for them instead of stopping (more than 10 s, often for good).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the development web server and a job worker; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--grace",
            type=float,
            default=8.0,
            help="Seconds the children have to stop before they are killed (default 8).",
        )
        parser.add_argument(
            "--noreload", action="store_true", help="Run the web server without the reloader."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, "manage.py"]
        web = [*manage, "runserver", options["addrport"]]
        if options["noreload"]:
            web.append("--noreload")
        children = {
            "worker": _start([*manage, "qcluster"]),
            "web": _start(web),
        }
        asked: list[int] = []

        def ask_to_stop(signum: int, frame: FrameType | None) -> None:
            asked.append(signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, ask_to_stop)
        try:
            while not asked and all(p.poll() is None for p in children.values()):
                time.sleep(0.2)
        finally:
            # The worker's leader alone: it stops its own processes in order (pusher, workers
            # after the task in hand, monitor). Signalled too, its workers would die at once
            # and the leader would wait for them (and restart them) instead of stopping.
            _signal(children["worker"], signal.SIGTERM)
            # The web server's whole group, as Ctrl-C in a terminal: reloader and server.
            _signal_group(children["web"], signal.SIGINT)
            deadline = time.monotonic() + options["grace"]
            while time.monotonic() < deadline and any(_group_alive(p) for p in children.values()):
                time.sleep(0.1)
            for name, p in children.items():
                if _group_alive(p):
                    self.stderr.write(f"devserver: {name} did not stop in time: killed")
                    _signal_group(p, signal.SIGKILL)
                p.wait()


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    # A new session: the child and its own children (the cluster's workers, the reloader's
    # server) form one group of their own, which the terminal's Ctrl-C does not reach, and
    # which is stopped and, if need be, killed as a whole. SIGINT is set back to its default
    # (a shell may have started this command with it ignored), the child installs its own.
    return subprocess.Popen(  # noqa: S603  # our own interpreter and manage.py
        argv,
        start_new_session=True,
        preexec_fn=_default_signals,  # no threads are running yet
    )


def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _signal(p: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(p.pid, signum)


def _signal_group(p: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, signum)


def _group_alive(p: subprocess.Popen[bytes]) -> bool:
    """Whether any process of the child's group is still running (zombies do not count)."""
    p.poll()  # reap the leader if it exited
    try:
        os.killpg(p.pid, 0)
    except ProcessLookupError:
        return False
    if not os.path.isdir("/proc"):
        return True
    # killpg(0) also succeeds for a group whose only members are zombies not yet reaped.
    return any(_in_group(int(pid), p.pid) for pid in os.listdir("/proc") if pid.isdigit())


def _in_group(pid: int, pgid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0] != "Z" and int(fields[2]) == pgid
