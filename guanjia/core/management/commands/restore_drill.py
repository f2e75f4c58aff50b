"""Restore drill: back up the database, restore the copy into a scratch database, compare.

A backup nobody has restored is a hope, not a backup. This command makes the same kind of
backup as docs/operations.md describes (SQLite: the online backup API, the equivalent of
`sqlite3 .backup`; PostgreSQL: `pg_dump -Fc`), restores it into a scratch database (a temporary
file; a database created for the drill and dropped afterwards), and compares the row count of
every table with the live database at the instant of the backup. It prints a report and exits
non-zero on any difference.

The live counts and the backup read the same snapshot (SQLite: one read transaction;
PostgreSQL: an exported snapshot handed to `pg_dump --snapshot`), so the drill can run while
staff are working.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3._functions import register as register_django_functions

Counts = dict[str, int]


@dataclass
class DrillResult:
    """What one drill found: row counts per table on both sides, and the backup made."""

    live: Counts
    restored: Counts
    backup_bytes: int
    seconds: float
    notes: list[str] = field(default_factory=list)


def compare_counts(live: Counts, restored: Counts) -> list[str]:
    """Tables whose row counts differ (or that exist on one side only), sorted."""
    return sorted(t for t in live.keys() | restored.keys() if live.get(t) != restored.get(t))


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_counts(db: sqlite3.Connection) -> Counts:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608  # names come from sqlite_master
        for name in names
    }


@contextmanager
def _read_snapshot(raw: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: the counts and the backup see the same database state."""
    raw.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        raw.execute("COMMIT")


def sqlite_drill(connection: BaseDatabaseWrapper, workdir: Path) -> DrillResult:
    started = time.monotonic()
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    backup_file = workdir / "backup.sqlite3"
    with _read_snapshot(raw):
        live = _sqlite_counts(raw)
        with sqlite3.connect(backup_file) as target:
            raw.backup(target)  # the online backup API, as `sqlite3 .backup` uses
        target.close()
    scratch_file = workdir / "restored.sqlite3"
    with sqlite3.connect(backup_file) as source, sqlite3.connect(scratch_file) as scratch:
        source.backup(scratch)  # the restore: the backup file put back as a database file
        # The SQL functions Django gives its own connections: CHECK constraints that use
        # them (a date's day, `month__day=1`) are evaluated by the integrity check.
        register_django_functions(scratch)
        integrity = scratch.execute("PRAGMA integrity_check").fetchone()[0]
        restored = _sqlite_counts(scratch)
    source.close()
    scratch.close()
    notes = [f"integrity_check: {integrity}"]
    if integrity != "ok":
        restored["<integrity_check>"] = -1  # forces a difference in the report
    return DrillResult(
        live, restored, backup_file.stat().st_size, time.monotonic() - started, notes
    )


# --- PostgreSQL ------------------------------------------------------------------------------

_PG_TABLES = (
    "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
    "FROM information_schema.tables "
    "WHERE table_type = 'BASE TABLE' "
    "AND table_schema NOT IN ('pg_catalog', 'information_schema')"
)


def _pg_counts(cursor: Any) -> Counts:
    cursor.execute(_PG_TABLES)
    names = [row[0] for row in cursor.fetchall()]
    counts: Counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {name}")  # noqa: S608  # quote_ident'ed catalogue names
        counts[name] = cursor.fetchone()[0]
    return counts


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} not found: install the PostgreSQL client (postgresql-client)")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # fixed tool, our arguments
    if done.returncode != 0:
        raise CommandError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")


@contextmanager
def _scratch_database(settings_dict: dict[str, Any]) -> Iterator[str]:
    """A database that exists for the drill only."""
    import psycopg

    name = f"guanjia_drill_{uuid.uuid4().hex[:12]}"
    params = {**_psycopg_params(settings_dict), "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_drill(connection: BaseDatabaseWrapper, workdir: Path) -> DrillResult:
    import psycopg

    started = time.monotonic()
    settings_dict = connection.settings_dict
    env = _pg_env(settings_dict)
    pg_dump, pg_restore = _pg_tool("pg_dump"), _pg_tool("pg_restore")
    backup_file = workdir / "backup.dump"
    with connection.cursor() as cursor:
        # The counts and pg_dump share one snapshot, exported from this transaction.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            live = _pg_counts(cursor)
            _run([pg_dump, "-Fc", f"--snapshot={snapshot}", "-f", str(backup_file),
                  settings_dict["NAME"]], env)  # fmt: skip
        finally:
            cursor.execute("COMMIT")
    with _scratch_database(settings_dict) as scratch:
        _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "-d", scratch,
              str(backup_file)], env)  # fmt: skip
        with psycopg.connect(**{**_psycopg_params(settings_dict), "dbname": scratch}) as db:
            restored = _pg_counts(db.cursor())
    return DrillResult(live, restored, backup_file.stat().st_size, time.monotonic() - started)


def _psycopg_params(settings_dict: dict[str, Any]) -> dict[str, Any]:
    return {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }


DRILLS = {"sqlite": sqlite_drill, "postgresql": postgres_drill}


class Command(BaseCommand):
    help = (
        "Back up the database, restore the backup into a scratch database and compare the "
        "row counts of every table. Exits non-zero on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--keep", metavar="PATH", help="also keep the backup file at PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        drill = DRILLS.get(connection.vendor)
        if drill is None:
            raise CommandError(f"no restore drill for the {connection.vendor} database")
        if connection.in_atomic_block:
            raise CommandError("run the drill outside a transaction")
        with tempfile.TemporaryDirectory(prefix="guanjia-drill-") as workdir:
            result = drill(connection, Path(workdir))
            if options["keep"]:
                backup = next(p for p in Path(workdir).iterdir() if p.stem == "backup")
                shutil.copy(backup, options["keep"])
        self._report(connection.vendor, result)
        differences = compare_counts(result.live, result.restored)
        if differences:
            raise CommandError(f"restore drill FAILED: {len(differences)} table(s) differ")
        self.stdout.write(self.style.SUCCESS("restore drill passed"))

    def _report(self, vendor: str, result: DrillResult) -> None:
        width = max((len(t) for t in result.live.keys() | result.restored.keys()), default=5)
        self.stdout.write(f"{'table':<{width}}  {'live':>9}  {'restored':>9}")
        for table in sorted(result.live.keys() | result.restored.keys()):
            live, restored = result.live.get(table), result.restored.get(table)
            mark = "" if live == restored else "  <-- DIFFERENT"
            self.stdout.write(f"{table:<{width}}  {_n(live):>9}  {_n(restored):>9}{mark}")
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"{vendor}: {len(result.live)} tables, {sum(result.live.values())} rows, "
            f"backup {result.backup_bytes} bytes, {result.seconds:.1f} s"
        )


def _n(value: int | None) -> str:
    return "missing" if value is None else str(value)
