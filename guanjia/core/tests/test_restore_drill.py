"""`manage.py restore_drill`: back up, restore into a scratch database, compare row counts.

Runs on whichever database the suite runs on (SQLite by default, PostgreSQL in the second CI
run). The data must be committed for a second connection (pg_dump) to see it, hence
`transactional_db`.
"""

import shutil
import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from guanjia.accounts.tests.factories import staff
from guanjia.core.management.commands import restore_drill

PG_TOOLS = bool(shutil.which("pg_dump") and shutil.which("pg_restore"))
pytestmark = pytest.mark.skipif(
    connection.vendor == "postgresql" and not PG_TOOLS,
    reason="pg_dump/pg_restore are not installed (apt-get install postgresql-client)",
)


@pytest.fixture
def estate(transactional_db, world):
    """Some committed rows in several tables."""
    for role in ("receptionist", "cashier", "admin"):
        world.user(role)
    staff("technician", world.b, username="tech-b", company=world.company)
    return world


def _drill(*args: str) -> str:
    out = StringIO()
    call_command("restore_drill", *args, stdout=out)
    return out.getvalue()


def test_the_drill_passes_on_a_healthy_database(estate):
    report = _drill()
    assert "restore drill passed" in report
    users = next(line for line in report.splitlines() if "accounts_user " in f"{line} ")
    assert users.split()[1:] == ["4", "4"]


def test_the_report_names_every_table(estate):
    report = _drill()
    for table in ("accounts_user", "accounts_membership", "core_community", "django_migrations"):
        assert table in report


def test_the_backup_is_kept_when_asked(estate, tmp_path):
    kept = tmp_path / "guanjia.backup"
    _drill("--keep", str(kept))
    assert kept.stat().st_size > 0
    if connection.vendor == "sqlite":
        with sqlite3.connect(kept) as backup:
            assert backup.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0] == 4


def test_a_restored_copy_that_differs_fails_the_drill(estate, monkeypatch):
    real = restore_drill.DRILLS[connection.vendor]

    def lossy(conn, workdir):
        result = real(conn, workdir)
        result.restored["lost_table"] = 1
        table = next(t for t in result.restored if t.endswith("accounts_user"))
        result.restored[table] -= 1
        return result

    monkeypatch.setitem(restore_drill.DRILLS, connection.vendor, lossy)
    out = StringIO()
    with pytest.raises(CommandError, match="2 table"):
        call_command("restore_drill", stdout=out)
    assert out.getvalue().count("<-- DIFFERENT") == 2
    assert "missing" in out.getvalue()


def test_the_drill_refuses_to_run_inside_a_transaction(db):
    with pytest.raises(CommandError, match="outside a transaction"):
        call_command("restore_drill", stdout=StringIO())


def test_counts_are_compared_table_by_table():
    assert restore_drill.compare_counts({"a": 1, "b": 2}, {"a": 1, "b": 2}) == []
    assert restore_drill.compare_counts({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 0}) == ["b", "c"]
    assert restore_drill.compare_counts({"a": 1}, {}) == ["a"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_scratch_database_is_dropped_afterwards(estate):
    _drill()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'guanjia_drill_%%'")
        assert cursor.fetchone()[0] == 0
