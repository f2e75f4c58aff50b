"""Every existing community gets the sanction table of spec §19's examples (new communities
get it from the app's post_save signal)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from guanjia.sanctions.defaults import rows

    Community = apps.get_model("core", "Community")
    SanctionType = apps.get_model("sanctions", "SanctionType")
    for community in Community.objects.all():
        have = set(
            SanctionType.objects.filter(community=community).values_list("code", flat=True)
        )
        SanctionType.objects.bulk_create(
            [SanctionType(**values) for values in rows(community.pk) if values["code"] not in have]
        )


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0001_non_resident_violations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
