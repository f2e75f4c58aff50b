"""Each existing register entry gets its history as events from the columns it kept: who
registered it and when, a letter's drafter, checker and approver, and who closed it."""

from django.db import migrations


def _steps(entry):
    # The columns keep who, not when, of a letter's steps: they are dated at the answer (or
    # the last change) and keep their order by being written in it.
    last = entry.answered_at or entry.updated_at
    steps = [(entry.received_by_id, entry.received_at, "registered", "", "open", "")]
    for actor_id, action in (
        (entry.letter_drafted_by_id, "letter_drafted"),
        (entry.letter_checked_by_id, "letter_checked"),
    ):
        if actor_id is not None:
            steps.append((actor_id, last, action, "open", "open", ""))
    if entry.status == "closed":
        action = "letter_approved" if entry.letter_status == "approved" else "closed"
        steps.append((entry.answered_by_id, last, action, "open", "closed", entry.answer))
    return steps


def events_from_columns(apps, schema_editor):
    Entry = apps.get_model("tickets", "ServiceRequest")
    Event = apps.get_model("tickets", "RequestEvent")
    events = [
        Event(
            entry=entry,
            actor_id=actor_id,
            at=at,
            action=action,
            from_status=old,
            to_status=new,
            note=note,
        )
        for entry in Entry.objects.all().iterator()
        for actor_id, at, action, old, new, note in _steps(entry)
    ]
    Event.objects.bulk_create(events, batch_size=500)


def drop_events(apps, schema_editor):
    apps.get_model("tickets", "RequestEvent").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_register_entry_events")]

    operations = [migrations.RunPython(events_from_columns, drop_events)]
