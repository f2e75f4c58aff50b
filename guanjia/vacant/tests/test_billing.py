"""Billing's vacant discount (spec §10, §13: `billing.vacant_discount_rate`) follows the
register: a delivered unit entered as not in use is billed with the discount, and without it
once it leaves. Billing reads the unit status the register sets (estates' lifecycle)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from guanjia.billing.models import EntryKind, LedgerEntry
from guanjia.billing.services import post_run, preview_run
from guanjia.billing.tests.factories import (
    FeeItemFactory,
    FeeStandardFactory,
    FeeStandardVersionFactory,
)
from guanjia.core.policies.services import set_policy
from guanjia.estates.models import UnitStatus
from guanjia.estates.tests.factories import OwnershipFactory
from guanjia.vacant import services
from guanjia.vacant.models import ExitReason

from .factories import supervisor, vacancy, zone_unit

pytestmark = pytest.mark.django_db
MARCH = dt.date(2024, 3, 1)


@pytest.fixture
def billing(world):
    with time_machine.travel(dt.datetime(2023, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        set_policy(
            key="billing.vacant_discount_rate",
            value="0.3",
            community=world.a,
            reason="当地规定",
            by=world.user("finance"),
            effective_from=dt.date(2024, 1, 1),
        )
    item = FeeItemFactory(company=world.company, code="service", name="物业服务费")
    standard = FeeStandardFactory(community=world.a, fee_item=item, vacant_discount=True)
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.0"))
    with time_machine.travel(dt.datetime(2024, 3, 20, 10, tzinfo=dt.UTC), tick=False):
        yield item


def _unit(world):
    unit = zone_unit(world, status=UnitStatus.DELIVERED, building_area=Decimal("100.00"))
    OwnershipFactory(unit=unit)
    return unit


def _discounts(world, item):
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    assert preview.errors == []
    return {line.unit_id: (line.amount, line.discount) for line in preview.lines}


def test_the_register_gives_the_vacant_discount_and_takes_it_away(world, billing):
    registered, other = _unit(world), _unit(world)
    v = vacancy(world, unit=registered, since=dt.date(2024, 3, 1))
    got = _discounts(world, billing)
    assert got[registered.pk] == (Decimal("200.00"), Decimal("60.00"))  # 100 m² × 2.00 × 30 %
    assert got[other.pk] == (Decimal("200.00"), Decimal("0.00"))

    services.leave_vacancy(vacancy=v, reason=ExitReason.MOVED_IN, by=supervisor(world))
    assert _discounts(world, billing)[registered.pk] == (Decimal("200.00"), Decimal("0.00"))


def test_the_posted_discount_is_6000_fen(world, billing):
    unit = _unit(world)
    vacancy(world, unit=unit, since=dt.date(2024, 3, 1))
    post_run(community=world.a, period=MARCH, fee_item=billing, by=world.user("cashier"))
    entry = LedgerEntry.objects.get(unit=unit, kind=EntryKind.DISCOUNT)
    assert entry.amount == Decimal("-60.00")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT amount FROM {LedgerEntry._meta.db_table} WHERE id = %s",  # noqa: S608
            [entry.pk],
        )
        assert cursor.fetchone()[0] == -6000  # integer fen
