"""Database-level protection of the ledger: triggers that refuse UPDATE and DELETE on
`billing_ledgerentry` on SQLite and PostgreSQL (ARCHITECTURE.md mechanism 5), and the
advisory locks that keep concurrent postings, runs and month closes in order."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

TABLE = "billing_ledgerentry"
MESSAGE = "ledger entries are append-only: post a reversal instead"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]
POSTGRES_CREATE = [
    f"CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$;",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]


def create_triggers(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_CREATE if vendor == "sqlite" else POSTGRES_CREATE:
        schema_editor.execute(sql)


def drop_triggers(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP:
        schema_editor.execute(sql)


@contextmanager
def ledger_maintenance() -> Iterator[None]:
    """Lift the triggers for a maintenance step that must remove ledger rows (emptying a
    test or demo database). Never used by business code: corrections are reversals."""
    with connection.schema_editor(atomic=False) as editor:
        drop_triggers(editor)
    try:
        yield
    finally:
        with connection.schema_editor(atomic=False) as editor:
            create_triggers(editor)


def advisory_lock(name: str, *, shared: bool = False) -> None:
    """Hold the lock `name` until the transaction ends (PostgreSQL advisory lock; `shared`
    ones coexist, an exclusive one waits for them all). Outside a transaction, and on SQLite
    (one writer at a time), it does nothing."""
    if connection.vendor != "postgresql" or connection.get_autocommit():
        return
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [key])  # one of two names
