"""The data migration that gives existing runs their history from the columns they kept."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from guanjia.billing.models import BillingRunEvent
from guanjia.billing.services import approve_run_reversal, post_run, request_run_reversal
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeStandardFactory, FeeStandardVersionFactory

migration = importlib.import_module(
    "guanjia.billing.migrations.0010_billing_run_history_from_columns"
)


@pytest.fixture
def posted(clock, world, item):
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    OwnershipFactory(unit=UnitFactory(community=world.a))
    feb = dt.date(2024, 2, 1)
    return post_run(community=world.a, period=feb, fee_item=item, by=world.user("cashier")).run


def test_a_reversed_run_gets_its_posting_request_and_reversal_as_events(clock, world, posted):
    request_run_reversal(run=posted, by=world.user("cashier"), reason="单价录错")
    approve_run_reversal(run=posted, by=world.user("director"))
    BillingRunEvent.objects.all().delete()
    migration.events_from_columns(apps, None)
    events = list(posted.events.values_list("action", "from_status", "to_status", "actor", "note"))
    cashier, director = world.user("cashier").pk, world.user("director").pk
    assert events == [
        ("posted", "", "posted", cashier, ""),
        ("requested", "posted", "reversal_requested", cashier, "单价录错"),
        ("approved", "reversal_requested", "reversed", director, ""),
    ]
