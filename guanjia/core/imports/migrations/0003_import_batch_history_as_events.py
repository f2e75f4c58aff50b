"""Each existing batch gets its status history as events, read from its simple-history rows:
one event per change of status, with who made it, when and the reason recorded."""

from django.db import migrations


def events_from_history(apps, schema_editor):
    Historical = apps.get_model("imports", "HistoricalImportBatch")
    Event = apps.get_model("imports", "ImportBatchEvent")
    Batch = apps.get_model("imports", "ImportBatch")
    existing = set(Batch.objects.values_list("pk", flat=True))
    events, last = [], {}
    rows = Historical.objects.order_by("id", "history_date", "history_id")
    for row in rows.iterator():
        if row.id not in existing or last.get(row.id) == row.status:
            continue
        old = last.get(row.id, "")
        last[row.id] = row.status
        events.append(
            Event(
                batch_id=row.id,
                actor_id=row.history_user_id,
                at=row.history_date,
                action="uploaded" if old == "" else row.status,
                from_status=old,
                to_status=row.status,
                note=row.history_change_reason or "",
            )
        )
    Event.objects.bulk_create(events, batch_size=500)


def drop_events(apps, schema_editor):
    apps.get_model("imports", "ImportBatchEvent").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("imports", "0002_import_batch_events")]

    operations = [migrations.RunPython(events_from_history, drop_events)]
