"""Each existing run gets its history as events from the columns it kept: posted (by whom,
when), the reversal request (by whom, why) and the reversal (by whom, when)."""

from django.db import migrations


def events_from_columns(apps, schema_editor):
    Run = apps.get_model("billing", "BillingRun")
    Event = apps.get_model("billing", "BillingRunEvent")
    events = []
    for run in Run.objects.all().iterator():
        steps = [(run.posted_by_id, run.created_at, "posted", "", "posted", "")]
        if run.reversal_requested_by_id is not None:
            steps.append(
                (
                    run.reversal_requested_by_id,
                    run.updated_at,
                    "requested",
                    "posted",
                    "reversal_requested",
                    run.reversal_reason,
                )
            )
        if run.status == "reversed":
            at = run.reversed_at or run.updated_at
            steps.append(
                (run.reversed_by_id, at, "approved", "reversal_requested", "reversed", "")
            )
        for actor_id, at, action, old, new, note in steps:
            events.append(
                Event(
                    run=run,
                    actor_id=actor_id,
                    at=at,
                    action=action,
                    from_status=old,
                    to_status=new,
                    note=note,
                )
            )
    Event.objects.bulk_create(events, batch_size=500)


def drop_events(apps, schema_editor):
    apps.get_model("billing", "BillingRunEvent").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0009_billing_run_events")]

    operations = [migrations.RunPython(events_from_columns, drop_events)]
