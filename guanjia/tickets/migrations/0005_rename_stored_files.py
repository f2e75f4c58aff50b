"""Move attachments, photos and signatures stored under the names users gave them (or the
repair number) to random names typed from their content (guanjia.core.files)."""

from django.db import migrations

from guanjia.core.files.storage import rename_stored_files


def rename(apps, schema_editor):
    rename_stored_files(
        apps.get_model("tickets", "RequestAttachment"), "file", content_type_field="content_type"
    )
    rename_stored_files(apps.get_model("tickets", "RepairPhoto"), "image")
    rename_stored_files(apps.get_model("tickets", "RepairOrder"), "signature")


class Migration(migrations.Migration):
    # Each row is saved before its old file is deleted; one transaction around them all would
    # roll the rows back after the old files are gone.
    atomic = False

    dependencies = [("tickets", "0004_random_file_names")]

    # Backwards: the random names work with the old code as well; nothing to undo.
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
