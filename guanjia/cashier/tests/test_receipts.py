"""Receipts: numbered gap-free per community and year, the total in Chinese capitals, void
with a reason in the open day only, by the cashier who took it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.accounts.tests.factories import staff
from guanjia.billing.models import EntryKind, LedgerEntry, UnitBalance
from guanjia.billing.selectors import ledger_problems
from guanjia.cashier.models import Receipt, ReceiptStatus
from guanjia.cashier.services import (
    amount_in_words,
    close_session,
    count_session,
    void_receipt,
)
from guanjia.core.workflows import WorkflowDenied, WorkflowError

from .factories import charge, code_of, item, owned_unit, pay

pytestmark = pytest.mark.usefixtures("no_late_fees")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.05", "伍分"),
        ("10.00", "壹拾元整"),
        ("100000.10", "壹拾万元壹角整"),
        ("1000000.00", "壹佰万元整"),
        ("223.90", "贰佰贰拾叁元玖角整"),
        ("1001.01", "壹仟零壹元零壹分"),
    ],
)
def test_the_total_in_chinese_capitals(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_receipts_are_numbered_without_gaps_per_community_and_year(world, unit, cashier):
    first = pay(unit, "1.00", cashier).receipt
    with pytest.raises(ValidationError):  # refused: gives no number away
        pay(unit, "1.00", cashier, method="wechat", reference="")
    second = pay(unit, "1.00", cashier).receipt
    other_cashier = staff("cashier", world.b, company=world.company)
    b_unit = owned_unit(world.b)
    charge(
        b_unit, item(world.b, "service", "物业服务费"), dt.date(2024, 3, 1), "9.00", other_cashier
    )
    in_b = pay(b_unit, "1.00", other_cashier).receipt
    assert [first.number, second.number, in_b.number] == [
        "SJ-2024-000001",
        "SJ-2024-000002",
        "SJ-2024-000001",
    ]


def test_a_new_year_starts_at_one(world, unit, cashier, today):
    day = pay(unit, "1.00", cashier).session
    count_session(session=day, denominations={"100": 2, "1": 1}, explanation="", by=cashier)
    close_session(session=day, note="", by=world.user("finance"))
    today.move_to(dt.datetime(2025, 1, 2, 2, tzinfo=dt.UTC))
    assert pay(unit, "1.00", cashier).receipt.number == "SJ-2025-000001"


def test_each_receipt_has_its_own_unguessable_token(unit, cashier):
    tokens = {pay(unit, "1.00", cashier).receipt.token for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 32 for token in tokens)


def test_voiding_reverses_the_payment_restores_what_is_owed_and_keeps_the_receipt(unit, cashier):
    receipt = pay(unit, "150.00", cashier).receipt
    void_receipt(receipt=receipt, reason="打印错误", by=cashier)
    receipt.refresh_from_db()
    assert (receipt.status, receipt.void_reason, receipt.voided_by) == ("void", "打印错误", cashier)
    assert sum(b.outstanding for b in UnitBalance.objects.filter(unit=unit)) == Decimal("230.50")
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 3
    event = receipt.events.get(to_status="void")
    assert (event.actor, event.note, event.from_status) == (cashier, "打印错误", "valid")
    assert ledger_problems() == []


def test_voiding_twice_is_refused_and_reverses_nothing_more(unit, cashier):
    receipt = pay(unit, "150.00", cashier).receipt
    void_receipt(receipt=receipt, reason="打印错误", by=cashier)
    with pytest.raises(WorkflowError) as caught:
        void_receipt(receipt=receipt, reason="再次", by=cashier)
    assert caught.value.code == "move_not_allowed"
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 3


@pytest.mark.parametrize(("reason", "code"), [("", "reason_required"), ("理" * 201, "too_long")])
def test_a_void_needs_a_short_reason(unit, cashier, reason, code):
    receipt = pay(unit, "10.00", cashier).receipt
    with pytest.raises(ValidationError) as caught:
        void_receipt(receipt=receipt, reason=reason, by=cashier)
    assert code_of(caught.value) == code
    assert Receipt.objects.get().status == ReceiptStatus.VALID


def test_a_receipt_of_a_counted_day_is_not_voided_but_reversed_by_approval(unit, cashier):
    receipt = pay(unit, "10.00", cashier).receipt
    session = receipt.payment.session
    count_session(session=session, denominations={"100": 2, "10": 1}, explanation="", by=cashier)
    with pytest.raises(WorkflowError) as caught:
        void_receipt(receipt=receipt, reason="错", by=cashier)
    assert caught.value.code == "condition"
    assert "冲红" in caught.value.messages[0]
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()


def test_only_the_cashier_who_took_it_voids_a_receipt(world, unit, cashier):
    receipt = pay(unit, "10.00", cashier).receipt
    colleague = staff("cashier", world.a, company=world.company)
    for other in (colleague, world.user("supervisor")):
        with pytest.raises(PermissionDenied) as caught:
            void_receipt(receipt=receipt, reason="错", by=other)
        assert isinstance(caught.value, WorkflowDenied)
    assert Receipt.objects.get().status == ReceiptStatus.VALID
