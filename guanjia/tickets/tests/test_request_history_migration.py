"""The data migration that gives existing register entries their history from their columns."""

import importlib

from django.apps import apps

from guanjia.tickets import services
from guanjia.tickets.models import RequestEvent

from .factories import entry

migration = importlib.import_module(
    "guanjia.tickets.migrations.0007_register_entry_history_from_columns"
)


def test_an_approved_letter_gets_registration_draft_check_and_approval_as_events(world):
    letter = entry(world, world.a, "suggestion", channel="letter", subject="绿化")
    services.draft_letter_reply(entry=letter, text="感谢来函", by=world.user("receptionist"))
    services.check_letter_reply(entry=letter, by=world.user("supervisor"))
    services.approve_letter_reply(entry=letter, by=world.user("director"))
    RequestEvent.objects.all().delete()
    migration.events_from_columns(apps, None)
    steps = list(letter.events.values_list("action", "to_status", "actor"))
    assert steps == [
        ("registered", "open", letter.received_by_id),
        ("letter_drafted", "open", world.user("receptionist").pk),
        ("letter_checked", "open", world.user("supervisor").pk),
        ("letter_approved", "closed", world.user("director").pk),
    ]
