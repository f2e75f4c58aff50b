"""Complaint and repair events become core.workflows events (ADR 0008): the columns are
renamed and widened in place, so every existing row keeps its history."""

from django.conf import settings
from django.db import migrations, models


def _event_columns(model_name):
    return [
        migrations.RenameField(
            model_name=model_name, old_name="old_status", new_name="from_status"
        ),
        migrations.RenameField(model_name=model_name, old_name="new_status", new_name="to_status"),
        migrations.AlterField(
            model_name=model_name,
            name="from_status",
            field=models.CharField(blank=True, max_length=30, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="to_status",
            field=models.CharField(blank=True, max_length=30, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="action",
            field=models.CharField(blank=True, max_length=30, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_register_entry_history_from_columns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [*_event_columns("complaintevent"), *_event_columns("repairevent")]
