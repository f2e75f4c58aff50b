"""Generic database helpers that work the same on SQLite and PostgreSQL: transaction-scoped
advisory locks and append-only triggers. Apps build their own rules on these (billing's
ledger, `guanjia/billing/db.py`); nothing here knows an app's tables."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import connection


def advisory_lock(name: str, *, shared: bool = False) -> None:
    """Hold the lock `name` until the transaction ends (PostgreSQL advisory lock; `shared`
    ones coexist, an exclusive one waits for them all). Outside a transaction, and on SQLite
    (one writer at a time), it does nothing.

    Name locks after what they protect, prefixed with the app: `billing.month:<community>:
    <YYYY-MM>`."""
    if connection.vendor != "postgresql" or connection.get_autocommit():
        return
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [key])  # one of two names


def append_only_sql(vendor: str, table: str, message: str) -> tuple[list[str], list[str]]:
    """The statements that make `table` refuse UPDATE and DELETE with `message`, and the
    ones that undo it, for the database `vendor` ("sqlite" or "postgresql")."""
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        ]
        drop = [
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        ]
        return create, drop
    create = [
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$;",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();",
    ]
    drop = [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"DROP FUNCTION IF EXISTS {table}_append_only();",
    ]
    return create, drop


def create_append_only_triggers(schema_editor: Any, table: str, message: str) -> None:
    """Make `table` append-only (use in a migration's RunPython)."""
    create, _drop = append_only_sql(schema_editor.connection.vendor, table, message)
    for sql in create:
        schema_editor.execute(sql)


def drop_append_only_triggers(schema_editor: Any, table: str) -> None:
    """Lift what `create_append_only_triggers` set (the migration's reverse step)."""
    _create, drop = append_only_sql(schema_editor.connection.vendor, table, "")
    for sql in drop:
        schema_editor.execute(sql)
