"""Two cashiers (or a cashier and a retried job) posting the same month at the same moment:
the month is billed once, and the one who comes second is told so, never shown an error."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanjia.accounts.tests.factories import staff
from guanjia.billing.db import ledger_maintenance
from guanjia.billing.models import BillingRun, EntryKind, LedgerEntry
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import post_run
from guanjia.core.tests.factories import CommunityFactory
from guanjia.core.tests.races import postgres_only
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

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


@pytest.mark.postgres
@postgres_only
def test_two_directors_closing_a_month_at_once_close_it_once(empty_ledger_after):
    from guanjia.billing.models import MonthClose
    from guanjia.billing.services import close_month

    community = CommunityFactory()
    directors = [staff("director", community) for _ in range(4)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(directors))

    def close(director) -> None:
        try:
            barrier.wait(timeout=30)
            close_month(community=community, period=FEB, by=director)
            outcomes.append("closed")
        except ValidationError as exc:
            outcomes.append(exc.code or "invalid")
        except Exception as exc:  # the test reports any other error
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(d,)) for d in directors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["closed"] + ["period_closed"] * 3
    assert MonthClose.objects.filter(community=community).count() == 1


@pytest.mark.postgres
@postgres_only
def test_a_month_closes_only_after_a_posting_into_it_commits(empty_ledger_after):
    import time

    from django.db import transaction

    from guanjia.billing.models import MonthClose
    from guanjia.billing.services import close_month
    from guanjia.billing.services.ledger import check_period

    community = CommunityFactory()
    director = staff("director", community)
    order: list[str] = []
    holding = threading.Event()

    def posting() -> None:
        try:
            with transaction.atomic():
                check_period(community, FEB)  # what every posting does first
                holding.set()
                time.sleep(1)
                order.append("posting committed")
        finally:
            connection.close()

    def closing() -> None:
        try:
            holding.wait(timeout=30)
            close_month(community=community, period=FEB, by=director)
            order.append("month closed")
        finally:
            connection.close()

    threads = [threading.Thread(target=posting), threading.Thread(target=closing)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order == ["posting committed", "month closed"]
    assert MonthClose.objects.filter(community=community).count() == 1
