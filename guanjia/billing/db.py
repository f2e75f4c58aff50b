"""Database-level protection of the ledger: triggers that refuse UPDATE and DELETE on
`billing_ledgerentry` on SQLite and PostgreSQL (ARCHITECTURE.md mechanism 5). The generic
pieces (append-only triggers, advisory locks) are in `guanjia/core/db.py`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from guanjia.core.db import create_append_only_triggers, drop_append_only_triggers

TABLE = "billing_ledgerentry"
MESSAGE = "ledger entries are append-only: post a reversal instead"


def create_triggers(schema_editor: Any) -> None:
    create_append_only_triggers(schema_editor, TABLE, MESSAGE)


def drop_triggers(schema_editor: Any) -> None:
    drop_append_only_triggers(schema_editor, TABLE)


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
