"""The generic database helpers: append-only triggers and advisory locks, on both databases."""

import pytest
from django.db import DatabaseError, connection, transaction

from guanjia.core.db import advisory_lock, create_append_only_triggers, drop_append_only_triggers

TABLE = "core_test_append_only"


@pytest.fixture
def append_only_table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE core_test_append_only (id integer PRIMARY KEY, note varchar(20))"
        )
        cursor.execute("INSERT INTO core_test_append_only (id, note) VALUES (1, 'first')")
    with connection.schema_editor(atomic=False) as editor:
        create_append_only_triggers(editor, TABLE, "append-only table")
    yield
    with connection.schema_editor(atomic=False) as editor:
        drop_append_only_triggers(editor, TABLE)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE core_test_append_only")


def _rows() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, note FROM core_test_append_only ORDER BY id")
        return list(cursor.fetchall())


@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_test_append_only SET note = 'changed'", "DELETE FROM core_test_append_only"],
)
def test_an_append_only_table_refuses_updates_and_deletes(append_only_table, statement):
    with (
        pytest.raises(DatabaseError, match="append-only table"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert _rows() == [(1, "first")]


def test_an_append_only_table_still_takes_new_rows(append_only_table):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_test_append_only (id, note) VALUES (2, 'second')")

    assert _rows() == [(1, "first"), (2, "second")]


def test_dropping_the_triggers_allows_changes_again(append_only_table):
    with connection.schema_editor(atomic=False) as editor:
        drop_append_only_triggers(editor, TABLE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_test_append_only SET note = 'changed'")

    assert _rows() == [(1, "changed")]
    with connection.schema_editor(atomic=False) as editor:
        create_append_only_triggers(editor, TABLE, "append-only table")


@pytest.mark.django_db(transaction=True)
def test_an_advisory_lock_outside_a_transaction_does_nothing():
    advisory_lock("core.test:outside")  # autocommit: nothing to hold, nothing raised

    with transaction.atomic():
        advisory_lock("core.test:inside")
        advisory_lock("core.test:inside", shared=True)  # the same session may hold both
    assert connection.get_autocommit()
