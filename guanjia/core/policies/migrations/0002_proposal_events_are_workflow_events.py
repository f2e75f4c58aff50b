"""Proposal events become workflow events (ADR 0008): old/new status are renamed from/to,
and the new `at` and `action` columns are filled from each existing row."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill_at_and_action(apps, schema_editor):
    Event = apps.get_model("policies", "PolicyProposalEvent")
    for event in Event.objects.all().iterator():
        event.at = event.created_at
        event.action = "requested" if event.from_status == "" else event.to_status
        event.save(update_fields=["at", "action"])


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_policy_values_and_proposals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("policyproposalevent", "old_status", "from_status"),
        migrations.RenameField("policyproposalevent", "new_status", "to_status"),
        migrations.AlterModelOptions(
            name="policyproposalevent",
            options={
                "ordering": ["at", "pk"],
                "verbose_name": "proposal event",
                "verbose_name_plural": "proposal events",
            },
        ),
        migrations.AddField(
            model_name="policyproposalevent",
            name="action",
            field=models.CharField(blank=True, max_length=30, verbose_name="action"),
        ),
        migrations.AddField(
            model_name="policyproposalevent",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AddField(
            model_name="policyproposalevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AlterField(
            model_name="policyproposalevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=30, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="policyproposalevent",
            name="to_status",
            field=models.CharField(blank=True, max_length=30, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name="policyproposalevent",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="policyproposalevent",
            name="note",
            field=models.TextField(blank=True, max_length=4000, verbose_name="note"),
        ),
        migrations.RunPython(fill_at_and_action, migrations.RunPython.noop),
    ]
