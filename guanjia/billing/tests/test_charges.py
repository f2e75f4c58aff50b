"""One-off charges other apps post (a paid repair): the fee item once, the open month, one
posting per reference, and the same under concurrency on PostgreSQL."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanjia.accounts.tests.factories import staff
from guanjia.billing.db import ledger_maintenance
from guanjia.billing.models import FeeCategory, FeeItem, LedgerEntry, MonthClose
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import OneOffCharge, post_one_off_charge
from guanjia.core.tests.factories import CommunityFactory
from guanjia.core.tests.races import postgres_only
from guanjia.estates.tests.factories import UnitFactory

DEC_30 = dt.date(2026, 12, 30)


def _charge(unit, reference="repair:1", amount="85.50", day=DEC_30) -> OneOffCharge:
    return OneOffCharge(
        unit_id=unit.pk,
        amount=Decimal(amount),
        fee_code="repair",
        fee_name="有偿维修费",
        reference=reference,
        day=day,
        memo="维修单 1",
        explanation={"repair": "1"},
    )


@pytest.fixture
def unit(db):
    return UnitFactory(community=CommunityFactory())


def test_a_charge_posts_once_into_the_month_of_its_day(unit):
    by = staff("technician", unit.community)

    entry = post_one_off_charge(community=unit.community, charge=_charge(unit), by=by)

    assert entry is not None
    assert (entry.kind, entry.amount, entry.period) == (
        "charge",
        Decimal("85.50"),
        DEC_30.replace(day=1),
    )
    assert (entry.bill_ref, entry.memo, entry.unit_id) == ("repair:1", "维修单 1", unit.pk)
    assert post_one_off_charge(community=unit.community, charge=_charge(unit), by=by) is None
    assert LedgerEntry.objects.filter(bill_ref="repair:1").count() == 1


def test_the_fee_item_is_created_once_as_a_one_off_item(unit):
    by = staff("technician", unit.community)

    post_one_off_charge(community=unit.community, charge=_charge(unit, "repair:1"), by=by)
    post_one_off_charge(community=unit.community, charge=_charge(unit, "repair:2"), by=by)

    item = FeeItem.objects.get(company=unit.community.company, code="repair")
    assert (item.name, item.category) == ("有偿维修费", FeeCategory.ONE_OFF)
    assert LedgerEntry.objects.filter(fee_item=item).count() == 2


def test_a_charge_due_in_closed_months_posts_into_the_first_open_one(unit):
    director = staff("director", unit.community)
    for period in (dt.date(2026, 12, 1), dt.date(2027, 1, 1)):
        MonthClose.objects.create(community=unit.community, period=period, closed_by=director)

    entry = post_one_off_charge(community=unit.community, charge=_charge(unit), by=director)

    assert entry is not None
    assert entry.period == dt.date(2027, 2, 1)


@pytest.mark.parametrize("amount", ["0.00", "-5.00", "0.001"])
def test_a_charge_with_a_bad_amount_is_refused_and_nothing_is_posted(unit, amount):
    by = staff("technician", unit.community)

    with pytest.raises(ValidationError):
        post_one_off_charge(community=unit.community, charge=_charge(unit, amount=amount), by=by)

    assert not LedgerEntry.objects.filter(bill_ref="repair:1").exists()


@pytest.fixture
def empty_ledger_after(transactional_db):
    yield
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_ledgerentry")


def _at_once(count: int, work) -> list[str]:
    """Run `work(i)` in `count` threads released together; the errors they raised."""
    failures: list[str] = []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except Exception as exc:  # the test reports any error
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.postgres
@postgres_only
def test_charges_of_different_repairs_at_once_create_the_fee_item_once(empty_ledger_after):
    community = CommunityFactory()
    units = UnitFactory.create_batch(6, community=community)
    technicians = [staff("technician", community) for _ in units]

    def post(index: int) -> None:
        charge = _charge(units[index], f"repair:{index}")
        post_one_off_charge(community=community, charge=charge, by=technicians[index])

    assert _at_once(len(units), post) == []
    assert FeeItem.objects.filter(company=community.company, code="repair").count() == 1
    assert LedgerEntry.objects.filter(bill_ref__startswith="repair:").count() == len(units)
    assert ledger_problems() == []


@pytest.mark.postgres
@postgres_only
def test_the_same_charge_posted_at_once_posts_once(empty_ledger_after):
    unit = UnitFactory(community=CommunityFactory())
    technicians = [staff("technician", unit.community) for _ in range(6)]

    def post(index: int) -> None:
        post_one_off_charge(community=unit.community, charge=_charge(unit), by=technicians[index])

    assert _at_once(len(technicians), post) == []
    assert LedgerEntry.objects.filter(bill_ref="repair:1").count() == 1
    assert ledger_problems() == []
