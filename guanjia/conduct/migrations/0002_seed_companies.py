"""The manual's standards (§07) and levels (§23) for the companies that exist already (a new
company gets them from the post_save hook in apps.py)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from guanjia.conduct.models.records import DEFAULT_LEVELS
    from guanjia.conduct.models.standards import DEFAULTS

    Company = apps.get_model("core", "Company")
    StandardItem = apps.get_model("conduct", "StandardItem")
    RecordLevel = apps.get_model("conduct", "RecordLevel")
    for company in Company.objects.all():
        if not StandardItem.objects.filter(company=company).exists():
            for kind, lines in DEFAULTS.items():
                for i, (text, instead) in enumerate(lines, start=1):
                    StandardItem.objects.create(
                        company=company, kind=kind, text=text, instead=instead, position=i
                    )
        if RecordLevel.objects.filter(company=company).exists():
            continue
        levels = {}
        for i, (code, kind, name, points, authority, lapses, after, _to, source) in enumerate(
            DEFAULT_LEVELS, start=1
        ):
            levels[code] = RecordLevel.objects.create(
                company=company, code=code, kind=kind, name=name, points=points,
                authority=authority, position=i, lapses=lapses, converts_after=after,
                default_for=source,
            )
        for code, *_rest, to, _source in DEFAULT_LEVELS:
            if to:
                levels[code].converts_to = levels[to]
                levels[code].save(update_fields=["converts_to"])


class Migration(migrations.Migration):
    dependencies = [("conduct", "0001_conduct")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
