"""Move household documents to the random names of guanjia.core.files (typed from their
content, under estates/documents/<yyyy>/<mm>/)."""

from django.db import migrations

from guanjia.core.files.storage import rename_stored_files


def rename(apps, schema_editor):
    rename_stored_files(
        apps.get_model("estates", "UnitDocument"), "file", content_type_field="content_type"
    )


class Migration(migrations.Migration):
    # Each row is saved before its old file is deleted (see rename_stored_files).
    atomic = False

    dependencies = [("estates", "0001_registry")]

    # Backwards: the random names work with the old code as well; nothing to undo.
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
