"""The desk answers "how much do I owe?" (spec §04, §26 arrears: REC R): the receptionist reads
a unit's statement and late fees (the household archive's billing links) and the arrears, and
changes no money anywhere."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guanjia.billing.models import EntryKind
from guanjia.billing.services import Posting, post_entries
from guanjia.billing.tests.routes import ROUTES
from guanjia.core.tests.matrix import assert_unchanged, call, fingerprint, prepare
from guanjia.estates.selectors import unit_timeline

FEB = dt.date(2024, 2, 1)


@pytest.fixture
def owed(world, clock, unit, item):
    """The unit owes 223.75 for February's service fee."""
    post_entries(
        community=world.a,
        by=world.user("finance"),
        postings=[
            Posting(
                unit_id=unit.pk,
                fee_item_id=item.pk,
                period=FEB,
                kind=EntryKind.CHARGE,
                amount=Decimal("223.75"),
            )
        ],
    )
    return unit


def test_the_archive_billing_link_opens_the_statement_for_the_desk(world, owed):
    desk = world.client("receptionist")
    links = [entry.url for entry in unit_timeline(owed) if "/billing/" in (entry.url or "")]
    assert links, "the archive shows the unit's bills"
    for url in links:
        response = desk.get(url)
        assert response.status_code == 200
        assert "223.75" in response.content.decode()
    statement = desk.get(reverse("billing:unit-statement", args=[owed.pk])).content.decode()
    # Read only: no button that adds a fee exception.
    assert reverse("billing:unit-exception-create", args=[owed.pk]) not in statement
    reads = ("billing:unit-late-fees", "billing:unit-exceptions", "billing:unit-statement-print")
    for name in reads:
        assert desk.get(reverse(name, args=[owed.pk])).status_code == 200, name


def test_the_desk_sees_the_arrears(world, owed):
    desk = world.client("receptionist")
    response = desk.get(reverse("billing:overview"))
    assert response.status_code == 200
    assert "223.75" in response.content.decode()
    api = desk.get(reverse("billing-api:arrears"))
    assert api.status_code == 200
    assert "223.75" in api.content.decode()


@pytest.mark.parametrize(
    "case",
    [c for c in ROUTES if c.method != "GET"],
    ids=lambda c: c.key,
)
def test_the_desk_changes_no_money(world, case):
    desk = world.client("receptionist")
    prepared = prepare(case, world, world.a)
    before = fingerprint()
    response = call(desk, case, prepared)
    assert response.status_code == 403
    assert_unchanged(before, case.key)
