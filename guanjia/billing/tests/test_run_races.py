"""Two cashiers (or a cashier and a retried job) posting the same month at the same moment:
the month is billed once, and the one who comes second is told so, never shown an error."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanjia.accounts.tests.factories import CommunityFactory, staff
from guanjia.billing.db import ledger_maintenance
from guanjia.billing.models import BillingRun, EntryKind, LedgerEntry
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import post_run
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="race safety is proven on PostgreSQL"
)
FEB = dt.date(2024, 2, 1)


@pytest.fixture
def empty_ledger_after(transactional_db):
    yield
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_ledgerentry")


@pytest.mark.postgres
@postgres_only
@pytest.mark.parametrize("posters", [2, 6])
def test_posting_the_same_month_at_once_bills_it_once(empty_ledger_after, posters):
    community = CommunityFactory()
    item = FeeItemFactory(company=community.company)
    standard = FeeStandardFactory(community=community, fee_item=item)
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    for unit in UnitFactory.create_batch(20, community=community):
        OwnershipFactory(unit=unit)
    cashiers = [staff("cashier", community) for _ in range(posters)]
    added: list[int] = []
    failures: list[str] = []
    barrier = threading.Barrier(posters)

    def post(cashier) -> None:
        try:
            barrier.wait(timeout=30)
            added.append(post_run(community=community, period=FEB, fee_item=item, by=cashier).added)
        except ValidationError as exc:
            failures.append(f"ValidationError {exc.messages}")
        except Exception as exc:  # the test reports any other error
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in cashiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(added) == [0] * (posters - 1) + [20]
    assert BillingRun.objects.filter(community=community).count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.CHARGE).count() == 20
    assert ledger_problems() == []
