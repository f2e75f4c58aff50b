"""Taking a payment: allocation by the community's policy, prepayment, methods, payer,
late fees to today, the ledger entries it posts and what it refuses."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanjia.billing.models import Bucket, EntryKind, LedgerEntry, UnitBalance
from guanjia.billing.selectors import ledger_problems
from guanjia.cashier.models import Payment, PaymentLine, Receipt
from guanjia.cashier.selectors import unit_account
from guanjia.cashier.services import PaymentRequest, preview_payment, take_payment
from guanjia.estates.tests.factories import PersonFactory

from .conftest import FEB, JAN, set_community_policy
from .factories import code_of, day_of, pay

TODAY = dt.date(2024, 3, 20)


def lines(payment):
    return [
        (line.kind, line.fee_item.code, line.bill_month, line.amount)
        for line in payment.lines.select_related("fee_item")
    ]


def outstanding(unit):
    return sum((b.outstanding for b in UnitBalance.objects.filter(unit=unit)), Decimal("0.00"))


def test_the_account_lists_each_bill_oldest_first_with_late_fees_to_today(unit):
    account = unit_account(unit, day=TODAY)
    assert [(line.bill_month, line.kind, line.amount) for line in account.lines] == [
        (JAN, "charge", Decimal("100.00")),
        (JAN, "late_fee", Decimal("14.70")),  # 100 × 0.3 % × 49 days (Feb 1 - Mar 20)
        (FEB, "charge", Decimal("30.50")),  # water: priority 10 before service's 50
        (FEB, "charge", Decimal("100.00")),
        (FEB, "late_fee", Decimal("1.83")),  # 30.50 × 0.3 % × 20 = 1.83
        (FEB, "late_fee", Decimal("6.00")),
    ]
    assert account.total == Decimal("253.03")
    assert account.owner_name == "王业主"


@pytest.mark.usefixtures("no_late_fees")
def test_a_partial_payment_pays_the_oldest_bill_first_then_items_by_priority(unit, cashier):
    payment = pay(unit, "150.00", cashier)
    assert lines(payment) == [
        ("charge", "service", JAN, Decimal("100.00")),
        ("charge", "water", FEB, Decimal("30.50")),
        ("charge", "service", FEB, Decimal("19.50")),
    ]
    assert outstanding(unit) == Decimal("80.50")
    entries = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, unit=unit).order_by("pk")
    assert [(e.amount, e.bill_ref, e.period) for e in entries] == [
        (Decimal("-100.00"), "bill:2024-01", dt.date(2024, 3, 1)),
        (Decimal("-30.50"), "bill:2024-02", dt.date(2024, 3, 1)),
        (Decimal("-19.50"), "bill:2024-02", dt.date(2024, 3, 1)),
    ]
    assert ledger_problems() == []


def test_late_fees_are_paid_last_and_posted_to_today_first(unit, cashier):
    payment = pay(unit, "253.03", cashier)
    assert [line[0] for line in lines(payment)] == [
        "charge",
        "charge",
        "charge",
        "late_fee",
        "late_fee",
        "late_fee",
    ]
    assert outstanding(unit) == Decimal("0.00")
    desk = LedgerEntry.objects.filter(kind=EntryKind.LATE_FEE, bill_ref__endswith=":desk")
    assert desk.count() == 3
    assert unit_account(unit, day=TODAY).lines == []


def test_when_item_priority_comes_first_the_priority_item_of_every_month_is_paid_first(
    world, unit, cashier, no_late_fees
):
    set_community_policy(world, "billing.allocation_order", ["item_priority", "oldest_period"])
    payment = pay(unit, "40.00", cashier)
    assert lines(payment) == [
        ("charge", "water", FEB, Decimal("30.50")),
        ("charge", "service", JAN, Decimal("9.50")),
    ]


@pytest.mark.usefixtures("no_late_fees")
def test_an_overpayment_becomes_a_general_prepayment(unit, cashier):
    payment = pay(unit, "300.00", cashier, tendered=Decimal("300.00"))
    assert lines(payment)[-1] == ("prepayment", "prepaid", None, Decimal("69.50"))
    assert unit_account(unit, day=TODAY).prepaid == Decimal("69.50")
    entry = LedgerEntry.objects.get(kind=EntryKind.PREPAYMENT)
    assert (entry.bucket, entry.amount) == (Bucket.PREPAID, Decimal("-69.50"))


@pytest.mark.usefixtures("no_late_fees")
def test_a_per_item_prepayment_goes_to_the_chosen_item(world, unit, cashier, water):
    set_community_policy(world, "cashier.prepayment", "per_item")
    payment = pay(unit, "240.50", cashier, prepay_item=water)
    assert lines(payment)[-1] == ("prepayment", "water", None, Decimal("10.00"))


@pytest.mark.usefixtures("no_late_fees")
def test_a_per_item_prepayment_without_its_item_is_refused_and_nothing_is_saved(
    world, unit, cashier
):
    set_community_policy(world, "cashier.prepayment", "per_item")
    with pytest.raises(ValidationError) as caught:
        pay(unit, "240.50", cashier)
    assert code_of(caught.value) == "prepay_item_required"
    assert not Payment.objects.exists()
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


@pytest.mark.usefixtures("no_late_fees")
def test_more_than_owed_is_refused_where_the_community_takes_no_prepayment(world, unit, cashier):
    set_community_policy(world, "cashier.prepayment", "refused")
    with pytest.raises(ValidationError) as caught:
        pay(unit, "230.51", cashier)
    assert code_of(caught.value) == "overpayment"
    assert "0.01" in str(caught.value)
    assert not Payment.objects.exists()


@pytest.mark.usefixtures("no_late_fees")
def test_cash_records_the_change_given(unit, cashier):
    payment = pay(unit, "30.50", cashier, tendered=Decimal("50.00"))
    assert (payment.tendered, payment.change) == (Decimal("50.00"), Decimal("19.50"))


@pytest.mark.usefixtures("no_late_fees")
@pytest.mark.parametrize("method", ["bank_card", "wechat", "alipay", "transfer", "cheque"])
def test_every_other_method_keeps_its_reference(unit, cashier, method):
    payment = pay(unit, "10.00", cashier, method=method, reference="4200001234202403201234")
    assert (payment.method, payment.reference) == (method, "4200001234202403201234")


@pytest.mark.usefixtures("no_late_fees")
def test_a_payer_who_is_not_the_owner_is_recorded_and_the_receipt_keeps_the_owner(
    world, unit, cashier
):
    tenant = PersonFactory(community=world.a, name="李租户")
    payment = pay(unit, "10.00", cashier, payer=tenant)
    assert (payment.payer, payment.payer_name, payment.owner_name) == (tenant, "李租户", "王业主")
    assert LedgerEntry.objects.get(kind=EntryKind.PAYMENT).payer == tenant
    typed = pay(unit, "10.00", cashier, payer_name="王业主的朋友")
    assert (typed.payer, typed.payer_name) == (None, "王业主的朋友")


@pytest.mark.usefixtures("no_late_fees")
def test_a_payment_is_receipted_in_the_same_transaction(unit, cashier):
    payment = pay(unit, "10.00", cashier)
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.number == "SJ-2024-000001"
    assert receipt.events.get().action == "issued"


@pytest.mark.usefixtures("no_late_fees")
def test_the_preview_shows_where_every_fen_goes_and_writes_nothing(unit, cashier):
    day_of(cashier, unit.community)
    request = PaymentRequest(
        unit=unit, amount=Decimal("150.00"), method="cash", idempotency_key="k" * 16
    )
    preview = preview_payment(request=request, by=cashier)
    assert [(p.line.bill_month, p.amount) for p in preview.allocation.parts] == [
        (JAN, Decimal("100.00")),
        (FEB, Decimal("30.50")),
        (FEB, Decimal("19.50")),
    ]
    assert preview.allocation.rest == Decimal("0.00")
    assert not Payment.objects.exists()


@pytest.mark.usefixtures("no_late_fees")
def test_a_confirmation_made_on_an_older_screen_is_refused(unit, cashier):
    seen = unit_account(unit, day=TODAY).fingerprint
    pay(unit, "10.00", cashier)
    with pytest.raises(ValidationError) as caught:
        pay(unit, "10.00", cashier, expected_owed=seen)
    assert code_of(caught.value) == "owed_changed"
    assert Payment.objects.count() == 1


@pytest.mark.usefixtures("no_late_fees")
def test_the_same_key_records_one_payment_and_returns_the_first(unit, cashier):
    first = pay(unit, "10.00", cashier, key="counter-key-0001")
    again = pay(unit, "10.00", cashier, key="counter-key-0001")
    assert again.pk == first.pk
    assert again.replayed
    assert not first.replayed
    assert Payment.objects.count() == 1
    assert PaymentLine.objects.count() == 1


@pytest.mark.usefixtures("no_late_fees")
def test_the_same_key_for_a_different_payment_is_refused(unit, cashier):
    pay(unit, "10.00", cashier, key="counter-key-0001")
    with pytest.raises(ValidationError) as caught:
        pay(unit, "11.00", cashier, key="counter-key-0001")
    assert code_of(caught.value) == "key_reused"
    assert Payment.objects.count() == 1


def test_a_payment_without_an_open_day_is_refused(unit, cashier):
    request = PaymentRequest(
        unit=unit, amount=Decimal("10"), method="cash", idempotency_key="x" * 12
    )
    with pytest.raises(ValidationError) as caught:
        take_payment(request=request, by=cashier)
    assert code_of(caught.value) == "no_open_session"
    assert not LedgerEntry.objects.filter(kind__in=[EntryKind.PAYMENT, EntryKind.LATE_FEE]).exists()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount": Decimal("0")}, "amount", "bad_amount"),
        ({"amount": Decimal("-5")}, "amount", "bad_amount"),
        ({"amount": Decimal("1.005")}, "amount", "bad_amount"),
        ({"amount": "abc"}, "amount", "bad_amount"),
        ({"amount": Decimal("10000000.01")}, "amount", "too_large"),
        ({"method": "bitcoin"}, "method", "bad_method"),
        ({"method": "wechat"}, "reference", "reference_required"),
        ({"method": "cheque", "reference": "   "}, "reference", "reference_required"),
        ({"method": "alipay", "reference": "x" * 65}, "reference", "too_long"),
        ({"tendered": Decimal("5.00")}, "tendered", "tendered_too_little"),
        ({"tendered": Decimal("0.001")}, "tendered", "bad_amount"),
        (
            {"method": "transfer", "reference": "T1", "tendered": Decimal("20")},
            "tendered",
            "not_cash",
        ),
        ({"idempotency_key": "short"}, "idempotency_key", "bad_key"),
        ({"idempotency_key": "有中文的键有中文的键"}, "idempotency_key", "bad_key"),
        ({"payer_name": "名" * 101}, "payer_name", "too_long"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_changes(
    unit, cashier, changes, field, code
):
    day_of(cashier, unit.community)
    before = LedgerEntry.objects.count()
    data = {"unit": unit, "amount": Decimal("10.00"), "method": "cash", "idempotency_key": "k" * 12}
    data.update(changes)
    with pytest.raises(ValidationError) as caught:
        take_payment(request=PaymentRequest(**data), by=cashier)
    assert code_of(caught.value) == code
    assert field in caught.value.message_dict
    assert LedgerEntry.objects.count() == before
    assert not Payment.objects.exists()


def test_a_payer_of_another_community_is_refused(world, unit, cashier):
    day_of(cashier, unit.community)
    stranger = PersonFactory(community=world.b)
    request = PaymentRequest(
        unit=unit, amount=Decimal("1"), method="cash", idempotency_key="k" * 12, payer=stranger
    )
    with pytest.raises(ValidationError) as caught:
        take_payment(request=request, by=cashier)
    assert code_of(caught.value) == "other_community"


def test_a_role_without_the_right_to_take_payments_is_refused(world, unit):
    from django.core.exceptions import PermissionDenied

    request = PaymentRequest(
        unit=unit, amount=Decimal("1"), method="cash", idempotency_key="k" * 12
    )
    with pytest.raises(PermissionDenied):
        take_payment(request=request, by=world.user("finance"))


def test_a_paid_bill_accrues_no_more_late_fees_and_the_daily_job_adds_nothing_twice(
    world, unit, cashier, today
):
    from guanjia.billing.services import accrue_late_fees, late_fees_as_of

    pay(unit, "253.03", cashier)  # everything, late fees to today included
    accrue_late_fees(community=world.a, day=TODAY)  # the job for today, run tonight
    today.move_to(dt.datetime(2024, 3, 25, 2, tzinfo=dt.UTC))
    later = late_fees_as_of(community=world.a, day=dt.date(2024, 3, 25), units=[unit.pk])
    assert [fee.to_post for fee in later] == [Decimal("0.00")] * 3
    assert outstanding(unit) == Decimal("0.00")
    assert ledger_problems() == []


def test_a_bill_paid_in_part_accrues_on_what_is_left_from_the_day_of_payment(
    world, unit, cashier, today
):
    from guanjia.billing.services import late_fees_as_of

    pay(unit, "60.00", cashier)  # 60.00 of January's 100.00
    today.move_to(dt.datetime(2024, 3, 21, 2, tzinfo=dt.UTC))
    fees = late_fees_as_of(community=world.a, day=dt.date(2024, 3, 21), units=[unit.pk])
    january = next(fee for fee in fees if fee.bill_month == "2024-01")
    # 100 × 0.3 % × 48 days to Mar 19, then 40 × 0.3 % × 2 days (Mar 20, 21) = 14.64
    assert january.total == Decimal("14.64")
    assert january.principal == Decimal("40.00")
