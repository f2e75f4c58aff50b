"""The one-statement run path on PostgreSQL (services/runs/simple.py) posts exactly what the
Python path computes: the same amounts to the fen, payers, line numbers and explanations,
over a mixed set of units; the units it cannot do are left to the Python path."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from guanjia.billing.models import BillingRun, EntryKind, LedgerEntry, Method, UnitBalance
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import post_run, preview_run
from guanjia.billing.services import runs as runs_module
from guanjia.core.policies.services import set_policy
from guanjia.estates.models import UnitEvent, UnitStatus
from guanjia.estates.tests.factories import OwnershipFactory, PersonFactory, UnitFactory

from .factories import FeeStandardFactory, FeeStandardVersionFactory

MARCH = dt.date(2024, 3, 1)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's"
)


@pytest.fixture
def statement(monkeypatch):
    """Counts what the one-statement path posted."""
    posted: list[int] = []
    real = runs_module.post_simple_lines

    def spy(*args, **kwargs):
        count, total = real(*args, **kwargs)
        posted.append(count)
        return count, total

    monkeypatch.setattr(runs_module, "post_simple_lines", spy)
    return posted


def _mixed_units(world, standard):
    """Areas that round differently, owners by share, an ended ownership, an unsold unit,
    a vacant one, one delivered in January (its own fee start, before the month), one on
    10 March (prorated), one of another kind."""
    areas = ["89.57", "120.33", "65.07", "89.57", "143.99", "77.01", "101.25", "56.78"]
    statuses = [UnitStatus.OCCUPIED, UnitStatus.RENTED, UnitStatus.OCCUPIED, UnitStatus.VACANT]
    statuses += [UnitStatus.UNSOLD, UnitStatus.OCCUPIED, UnitStatus.DELIVERED]
    statuses += [UnitStatus.OCCUPIED]
    units = [
        UnitFactory(community=world.a, building_area=Decimal(a), inner_area=None, status=s)
        for a, s in zip(areas, statuses, strict=True)
    ]
    OwnershipFactory(unit=units[0], share=Decimal("30"))
    OwnershipFactory(unit=units[0], share=Decimal("70"))  # the main owner pays
    OwnershipFactory(unit=units[1], ends_on=dt.date(2024, 2, 1))  # a former owner: no payer
    for unit in units[2:4] + units[5:]:
        OwnershipFactory(unit=unit)
    for unit, day in ((units[6], 10), (units[5], 1)):  # this month (prorated), in January
        UnitEvent.objects.create(
            community=world.a,
            unit=unit,
            kind="status",
            to_status=UnitStatus.DELIVERED,
            at=dt.datetime(2024, 3 if day == 10 else 1, day, 9, tzinfo=dt.UTC),
        )
    units[7].kind = "shop"
    units[7].save()
    return units


def _vacant_discount(world):
    with time_machine.travel(dt.datetime(2023, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        set_policy(
            key="billing.vacant_discount_rate",
            value="0.3",
            community=world.a,
            reason="合同",
            by=world.user("finance"),
            effective_from=dt.date(2024, 1, 1),
        )


def _assert_posted_as_previewed(preview):
    charges = {(e.unit_id, e.line_no): e for e in LedgerEntry.objects.filter(kind="charge")}
    assert len(charges) == len(preview.lines)
    for line in preview.lines:
        entry = charges[(line.unit_id, line.line_no)]
        assert entry.amount == line.amount, line.room_code
        assert entry.payer_id == line.payer_id, line.room_code
        assert entry.explanation == {"formula": line.formula, **line.inputs}
    assert ledger_problems() == []


@postgres_only
@pytest.mark.parametrize("rounding", ["half_up", "down", "up", "jiao"])
@pytest.mark.parametrize("method", [Method.BUILDING_AREA, Method.FIXED])
def test_the_statement_posts_what_the_python_path_computes(
    world, item, cashier, clock, statement, rounding, method
):
    _vacant_discount(world)
    standard = FeeStandardFactory(
        community=world.a,
        fee_item=item,
        method=method,
        rounding=rounding,
        vacant_discount=True,
        developer=PersonFactory(community=world.a, name="某某地产"),
        unit_kinds=["flat"],
    )
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.3333"))
    units = _mixed_units(world, standard)
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    assert preview.errors == []
    result = post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    # 7 flats: the vacant one (discount) and the delivered one (prorated) are Python's
    assert statement == [5]
    assert result.added == 7
    assert result.run.total == preview.total
    _assert_posted_as_previewed(preview)
    by_unit = {e.unit_id: e for e in LedgerEntry.objects.filter(kind=EntryKind.CHARGE)}
    assert by_unit[units[4].pk].payer_id == standard.developer_id
    assert by_unit[units[1].pk].payer_id is None
    assert units[7].pk not in by_unit  # a shop: not this standard's kind
    assert by_unit[units[5].pk].explanation["fee_start"] == "2024-01-15"  # half-month rule
    assert by_unit[units[0].pk].explanation["fee_start"] == preview.lines[0].inputs["fee_start"]
    assert LedgerEntry.objects.filter(kind=EntryKind.DISCOUNT, unit=units[3]).count() == 1
    assert ledger_problems() == []  # the statement's balances agree with its entries
    if method == Method.BUILDING_AREA and rounding == "half_up":
        assert by_unit[units[0].pk].amount == Decimal("208.99")  # 89.57 × 2.3333 = 208.993681


@postgres_only
def test_the_statement_extends_a_run_to_units_added_later(world, item, cashier, clock, statement):
    standard = FeeStandardFactory(community=world.a, fee_item=item)
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    UnitFactory.create_batch(3, community=world.a)
    first = post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    UnitFactory(community=world.a, building_area=Decimal("100.00"))
    again = post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    assert (first.added, again.added) == (3, 1)
    assert statement == [3, 1]
    assert again.run.pk == first.run.pk
    assert again.run.total == Decimal("921.25")  # 3 × 223.75 + 250.00
    assert post_run(community=world.a, period=MARCH, fee_item=item, by=cashier).added == 0
    assert UnitBalance.objects.filter(billed=Decimal("250.00")).count() == 1
    assert ledger_problems() == []


@postgres_only
def test_a_unit_the_statement_leaves_out_with_an_error_posts_nothing(
    world, item, cashier, clock, statement
):
    standard = FeeStandardFactory(community=world.a, fee_item=item, method=Method.INNER_AREA)
    FeeStandardVersionFactory(standard=standard, rate=Decimal("3"))
    UnitFactory.create_batch(3, community=world.a)
    bad = UnitFactory(community=world.a, inner_area=None)
    with pytest.raises(ValidationError) as info:
        post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    assert statement == [3]  # posted, then rolled back with the rest
    assert info.value.messages == [
        f"{bad.room_code}: The unit has no inner area: an inner-area fee cannot be billed."
    ]
    assert not LedgerEntry.objects.exists()
    assert not UnitBalance.objects.exists()
    assert not BillingRun.objects.exists()


def test_a_standard_that_needs_python_does_not_take_the_statement(
    world, item, cashier, clock, statement
):
    standard = FeeStandardFactory(community=world.a, fee_item=item)
    FeeStandardVersionFactory(
        standard=standard, rate=Decimal("2.5"), effective_to=dt.date(2024, 3, 15)
    )
    FeeStandardVersionFactory(
        standard=standard, rate=Decimal("2.8"), effective_from=dt.date(2024, 3, 16)
    )
    UnitFactory.create_batch(2, community=world.a)
    assert post_run(community=world.a, period=MARCH, fee_item=item, by=cashier).added == 4
    assert statement == []  # a rate change inside the month (and SQLite: never)
