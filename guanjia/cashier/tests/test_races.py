"""Payments at the same moment, with real threads on PostgreSQL (SQLite has one writer at a
time, so it proves nothing there): a key pays once; sixteen cashiers never allocate more than
a bill owes."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanjia.accounts.tests.factories import staff
from guanjia.billing.db import ledger_maintenance
from guanjia.billing.models import Bucket, EntryKind, LedgerEntry, UnitBalance
from guanjia.billing.selectors import ledger_problems
from guanjia.cashier.models import Payment, PaymentLine, Receipt
from guanjia.cashier.services import PaymentRequest, take_payment
from guanjia.core.tests.races import at_once, postgres_only

from .conftest import set_community_policy
from .factories import code_of, day_of

pytestmark = [pytest.mark.postgres, postgres_only]
CASHIER_TABLES = (
    "cashier_paymentline",
    "cashier_receiptevent",
    "cashier_receipt",
    "cashier_payment",
    "cashier_cashiersessionevent",
    "cashier_cashiersession",
)


@pytest.fixture
def empty_after(transactional_db):
    """The threads commit: empty the cashier's tables and the ledger afterwards (its
    triggers refuse DELETE, so lift them for that)."""
    yield
    with ledger_maintenance(), connection.cursor() as cursor:
        for table in CASHIER_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (constant names)
        cursor.execute("DELETE FROM billing_ledgerentry")


def _request(unit, key: str, amount: str = "100.00") -> PaymentRequest:
    return PaymentRequest(unit=unit, amount=Decimal(amount), method="cash", idempotency_key=key)


def test_sixteen_submissions_with_one_key_record_one_payment(
    empty_after, unit, cashier, no_late_fees
):
    day_of(cashier, unit.community)
    key = uuid.uuid4().hex
    payments: list[int] = []

    def submit(_index: int) -> None:
        payments.append(take_payment(request=_request(unit, key), by=cashier).pk)

    assert at_once(range(16), submit) == ["done"] * 16
    assert len(set(payments)) == 1
    assert Payment.objects.count() == Receipt.objects.count() == 1
    assert PaymentLine.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
    assert ledger_problems() == []


def test_sixteen_cashiers_paying_one_unit_at_once_never_allocate_more_than_it_owes(
    world, empty_after, unit, no_late_fees
):
    set_community_policy(world, "cashier.prepayment", "refused")
    cashiers = [staff("cashier", world.a, company=world.company) for _ in range(16)]
    for person in cashiers:
        day_of(person, world.a)

    def pay(person) -> None:
        take_payment(request=_request(unit, uuid.uuid4().hex), by=person)

    def pay_or_refuse(person) -> None:
        try:
            pay(person)
        except ValidationError as exc:  # a field's refusal: its code for at_once
            raise ValidationError(str(exc), code=code_of(exc)) from exc

    outcomes = at_once(cashiers, pay_or_refuse)
    # 230.50 owed: two payments of 100.00 fit, the third would overpay and is refused.
    assert outcomes == ["done"] * 2 + ["overpayment"] * 14
    paid = sum(e.amount for e in LedgerEntry.objects.filter(bucket=Bucket.PAID))
    assert paid == Decimal("-200.00")
    assert sum(b.outstanding for b in UnitBalance.objects.filter(unit=unit)) == Decimal("30.50")
    assert ledger_problems() == []


def test_sixteen_cashiers_overpaying_at_once_allocate_what_is_owed_and_prepay_the_rest(
    world, empty_after, unit, no_late_fees
):
    cashiers = [staff("cashier", world.a, company=world.company) for _ in range(16)]
    for person in cashiers:
        day_of(person, world.a)

    def pay(person) -> None:
        take_payment(request=_request(unit, uuid.uuid4().hex), by=person)

    assert at_once(cashiers, pay) == ["done"] * 16
    balances = UnitBalance.objects.filter(unit=unit)
    assert sum(b.paid for b in balances) == Decimal("230.50")
    assert sum(b.outstanding for b in balances) == Decimal("0.00")
    assert sum(b.prepaid for b in balances) == Decimal("1369.50")
    assert ledger_problems() == []
