"""Ledger entries are append-only: database triggers refuse UPDATE and DELETE."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from guanjia.billing.db import create_triggers

    create_triggers(schema_editor)


def backwards(apps: Any, schema_editor: Any) -> None:
    from guanjia.billing.db import drop_triggers

    drop_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
