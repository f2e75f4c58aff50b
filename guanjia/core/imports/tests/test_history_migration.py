"""The data migration that turns a batch's simple-history rows into workflow events, run
over rows written the way the framework wrote them before events existed."""

import importlib

from django.apps import apps

from guanjia.core.imports import services
from guanjia.core.imports.models import ImportBatchEvent

from .test_flow import _upload

migration = importlib.import_module(
    "guanjia.core.imports.migrations.0003_import_batch_history_as_events"
)


def test_each_change_of_status_in_the_history_becomes_one_event(world, sample_importer):
    batch = _upload(world, [["A1"]])
    services.discard_import(batch=batch, by=world.user("director"))
    ImportBatchEvent.objects.all().delete()
    migration.events_from_history(apps, None)
    events = list(batch.events.values_list("action", "from_status", "to_status", "actor"))
    director = world.user("director").pk
    assert events == [
        ("uploaded", "", "uploaded", director),
        ("validated", "uploaded", "validated", director),
        ("discarded", "validated", "discarded", director),
    ]
