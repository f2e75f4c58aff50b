"""Deposits (押金): received into the cashier's day with a receipt, held in the unit's deposit
column, settled on a request a different person approves (the director up to
`approval.deduction_dir_max`, finance above), paid out to the payer against the original
receipt; deductions become the office's income. Every refusal changes nothing."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from guanjia.accounts.tests.factories import grant
from guanjia.billing.models import EntryKind, LedgerEntry, UnitBalance
from guanjia.cashier.models import Deposit, DepositStatus, LineKind
from guanjia.cashier.services import (
    decide_settlement,
    expected_cash,
    pay_out,
    request_settlement,
    take_deposit,
)
from guanjia.core.workflows import WorkflowDenied, WorkflowError

from .factories import code_of, day_of, owned_unit

pytestmark = pytest.mark.usefixtures("no_late_fees")


def _take(unit, cashier, amount="2000.00", kind="renovation_owner", **kw):
    day_of(cashier, unit.community)
    kw.setdefault("idempotency_key", uuid.uuid4().hex)
    return take_deposit(
        unit=unit,
        kind=kind,
        amount=amount,
        method=kw.pop("method", "cash"),
        payer_name=kw.pop("payer_name", "王业主"),
        purpose=kw.pop("purpose", "装修 ZX-2024-0001"),
        by=cashier,
        **kw,
    )


@pytest.fixture
def unit(world):
    return owned_unit(world.a)


@pytest.fixture
def deposit(unit, cashier):
    return _take(unit, cashier)


def _deposit_column(unit):
    row = UnitBalance.objects.filter(unit=unit).values_list("deposit", flat=True)
    return sum(row, Decimal("0.00"))


def test_a_deposit_is_a_payment_with_a_receipt_and_a_deposit_in_entry(deposit, unit, cashier):
    payment = deposit.payment
    line = payment.lines.get()
    assert (deposit.status, deposit.amount, deposit.payer_name) == (
        DepositStatus.HELD,
        Decimal("2000.00"),
        "王业主",
    )
    assert (line.kind, line.amount, line.entry.kind, line.entry.amount) == (
        LineKind.DEPOSIT,
        Decimal("2000.00"),
        EntryKind.DEPOSIT_IN,
        Decimal("-2000.00"),
    )
    assert line.fee_item.category == "deposit"
    assert payment.receipt.number.startswith("SJ-")
    assert _deposit_column(unit) == Decimal("2000.00")  # held for the unit
    event = deposit.events.get()
    assert (event.actor, event.action, event.to_status) == (cashier, "created", "held")
    # The cash is in the drawer.
    assert expected_cash(payment.session) == Decimal("2200.00")


def test_the_same_key_again_is_the_same_deposit(unit, cashier):
    first = _take(unit, cashier, idempotency_key="deposit-key-1")
    again = _take(unit, cashier, idempotency_key="deposit-key-1")
    assert again.pk == first.pk
    assert Deposit.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"kind": "bribe"}, "kind"),
        ({"method": "gold"}, "method"),
        ({"method": "transfer"}, "reference"),  # a transfer needs its reference
        ({"payer_name": " "}, "payer_name"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(unit, cashier, changes, field):
    with pytest.raises(ValidationError) as caught:
        _take(unit, cashier, **changes)
    assert field in caught.value.message_dict
    assert Deposit.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_no_open_day_no_deposit(unit, cashier):
    with pytest.raises(ValidationError) as caught:
        take_deposit(
            unit=unit,
            kind="pass",
            amount="20",
            method="cash",
            payer_name="李师傅",
            idempotency_key=uuid.uuid4().hex,
            by=cashier,
        )
    assert code_of(caught.value) == "no_open_session"


def test_only_the_cashier_receives_a_deposit(world, unit):
    with pytest.raises(PermissionDenied):
        _take(unit, world.user("receptionist"))


def test_settlement_with_deductions_then_approved_then_paid_out(world, deposit, unit, cashier):
    desk, director = world.user("receptionist"), world.user("director")
    request_settlement(
        deposit=deposit,
        deductions=[("垃圾清运", "200"), ("损坏公共墙面", "300.50")],
        note="验收合格",
        by=desk,
    )
    deposit.refresh_from_db()
    assert (deposit.status, deposit.deduction_total, deposit.requested_by) == (
        DepositStatus.REQUESTED,
        Decimal("500.50"),
        desk,
    )
    assert deposit.net_refund == Decimal("1499.50")
    decide_settlement(deposit=deposit, approve=True, by=director, reference="FW-1")
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.APPROVED
    receipt = deposit.payment.receipt.number
    pay_out(deposit=deposit, receipt_number=receipt.lower(), method="cash", by=cashier)
    deposit.refresh_from_db()
    assert (deposit.status, deposit.refund_amount, deposit.refunded_by) == (
        DepositStatus.SETTLED,
        Decimal("1499.50"),
        cashier,
    )
    # The deposit column is back to zero; the deductions are billed and paid (income).
    assert _deposit_column(unit) == Decimal("0.00")
    kept = LedgerEntry.objects.filter(unit=unit, fee_item__code="deposit_deduction")
    assert sorted(kept.values_list("kind", "amount")) == [
        (EntryKind.CHARGE, Decimal("200.00")),
        (EntryKind.CHARGE, Decimal("300.50")),
        (EntryKind.PAYMENT, Decimal("-300.50")),
        (EntryKind.PAYMENT, Decimal("-200.00")),
    ]
    balance = UnitBalance.objects.get(unit=unit, fee_item__code="deposit_deduction")
    assert (balance.billed, balance.paid, balance.outstanding) == (
        Decimal("500.50"),
        Decimal("500.50"),
        Decimal("0.00"),
    )
    # The refund left the drawer: 200 float + 2000 in - 1499.50 out.
    assert expected_cash(deposit.refund_session) == Decimal("700.50")
    assert [e.to_status for e in deposit.events.order_by("pk")] == [
        "held",
        "requested",
        "approved",
        "settled",
    ]


def test_a_rejected_settlement_holds_the_deposit_again(world, deposit):
    request_settlement(deposit=deposit, note="申请退还", by=world.user("receptionist"))
    decide_settlement(deposit=deposit, approve=False, reason="未验收", by=world.user("director"))
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.HELD
    # Asked again with another list: the new list replaces the old one.
    request_settlement(
        deposit=deposit, deductions=[("清运", "50")], note="复验", by=world.user("supervisor")
    )
    assert list(deposit.deductions.values_list("item", "amount")) == [("清运", Decimal("50.00"))]


def test_the_requester_never_decides(world, deposit):
    director = world.user("director")
    grant(director, "supervisor", world.a)  # may also ask
    request_settlement(deposit=deposit, note="退还", by=director)
    with pytest.raises(WorkflowDenied) as caught:
        decide_settlement(deposit=deposit, approve=True, by=director)
    assert caught.value.code == "own_request"
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.REQUESTED


def test_deductions_above_the_directors_limit_need_finance(world, unit, cashier):
    deposit = _take(unit, cashier, amount="5000.00")
    request_settlement(
        deposit=deposit,
        deductions=[("破坏承重墙", "2000.01")],
        note="扣除",
        by=world.user("supervisor"),
    )
    with pytest.raises((WorkflowDenied, PermissionDenied)):
        decide_settlement(deposit=deposit, approve=True, by=world.user("director"))
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.REQUESTED
    decide_settlement(deposit=deposit, approve=True, by=world.user("finance"))
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.APPROVED


@pytest.mark.parametrize(
    ("deductions", "code"),
    [
        ([("超额扣款", "2000.01")], "deduction_above_held"),
        ([("甲", "1500"), ("乙", "600")], "deduction_above_held"),
        ([("", "10")], "deduction_item_missing"),
        ([("清运", "0")], "bad_amount"),
        ([("清运", "ten")], None),
    ],
)
def test_bad_deductions_are_refused_and_nothing_changes(world, deposit, deductions, code):
    with pytest.raises(ValidationError) as caught:
        request_settlement(
            deposit=deposit, deductions=deductions, note="扣款", by=world.user("supervisor")
        )
    assert "deductions" in caught.value.message_dict
    if code:
        assert code_of(caught.value) == code
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.HELD
    assert not deposit.deductions.exists()


def test_pay_out_only_when_approved_against_the_original_receipt(world, deposit, cashier):
    receipt = deposit.payment.receipt.number
    with pytest.raises(ValidationError) as caught:
        pay_out(deposit=deposit, receipt_number=receipt, method="cash", by=cashier)
    assert code_of(caught.value) == "move_not_allowed"
    request_settlement(deposit=deposit, note="退还", by=world.user("receptionist"))
    decide_settlement(deposit=deposit, approve=True, by=world.user("director"))
    with pytest.raises(ValidationError) as caught:
        pay_out(deposit=deposit, receipt_number="SJ-2024-999999", method="cash", by=cashier)
    assert "receipt_number" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        pay_out(deposit=deposit, receipt_number=receipt, method="cash", by=world.user("director"))
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.APPROVED
    pay_out(deposit=deposit, receipt_number=receipt, method="cash", by=cashier)
    # Refunded twice: refused, nothing more leaves.
    with pytest.raises(ValidationError):
        pay_out(deposit=deposit, receipt_number=receipt, method="cash", by=cashier)
    assert LedgerEntry.objects.filter(kind=EntryKind.DEPOSIT_OUT).count() == 1


def test_a_full_forfeit_refunds_nothing(world, deposit, cashier):
    request_settlement(
        deposit=deposit,
        deductions=[("逾期未退证", "2000")],
        note="没收",
        by=world.user("supervisor"),
    )
    decide_settlement(deposit=deposit, approve=True, by=world.user("finance"))
    pay_out(
        deposit=deposit, receipt_number=deposit.payment.receipt.number, method="cash", by=cashier
    )
    deposit.refresh_from_db()
    assert (deposit.status, deposit.refund_amount, deposit.refund_method) == (
        "settled",
        Decimal("0.00"),
        "",
    )


def test_a_settled_deposit_moves_no_more(world, deposit, cashier):
    request_settlement(deposit=deposit, note="退还", by=world.user("receptionist"))
    decide_settlement(deposit=deposit, approve=True, by=world.user("director"))
    pay_out(
        deposit=deposit, receipt_number=deposit.payment.receipt.number, method="cash", by=cashier
    )
    with pytest.raises(WorkflowError) as caught:
        request_settlement(deposit=deposit, note="再退", by=world.user("receptionist"))
    assert caught.value.code == "move_not_allowed"


# --- Pages ---------------------------------------------------------------------------------


def test_the_register_shows_totals_held_by_type(
    world, unit, cashier, django_assert_max_num_queries
):
    _take(unit, cashier)
    _take(unit, cashier, kind="pass", amount="20")
    client = world.client("cashier")
    with django_assert_max_num_queries(20):
        page = client.get(reverse("cashier:deposit-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2,020.00" in text
    assert "王业主" in text


def test_the_register_query_count_does_not_grow_with_rows(world, unit, cashier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("cashier")
    _take(unit, cashier)
    client.get(reverse("cashier:deposit-list"))  # the session's first request costs more
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cashier:deposit-list"))
    for _n in range(5):
        _take(unit, cashier, amount="10")
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("cashier:deposit-list"))
    assert len(six) == len(one)


def test_receiving_a_deposit_on_the_page_goes_to_its_receipt(world, unit, cashier):
    day_of(cashier, world.a)
    client = world.client("cashier")
    form = client.get(reverse("cashier:deposit-take"))
    key = form.context["form"].initial["idempotency_key"]
    data = {
        "room": unit.room_code,
        "kind": "pass",
        "amount": "20",
        "method": "cash",
        "payer_name": "李师傅",
        "purpose": "出入证",
        "idempotency_key": key,
    }
    done = client.post(reverse("cashier:deposit-take"), data)
    deposit = Deposit.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("cashier:receipt-detail", args=[deposit.payment.receipt.pk])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"room": "9-9-9999"}, "room"),
        ({"amount": "0"}, "amount"),
        ({"payer_name": ""}, "payer_name"),
    ],
)
def test_a_bad_deposit_form_is_shown_again_with_400(world, unit, cashier, changes, field):
    day_of(cashier, world.a)
    data = {
        "room": unit.room_code,
        "kind": "pass",
        "amount": "20",
        "method": "cash",
        "payer_name": "李师傅",
        "idempotency_key": uuid.uuid4().hex,
        **changes,
    }
    page = world.client("cashier").post(reverse("cashier:deposit-take"), data)
    assert page.status_code == 400
    assert page.context["form"].errors[field]
    assert Deposit.objects.count() == 0


def test_the_whole_flow_on_the_pages(world, deposit, cashier):
    url = reverse("cashier:deposit-detail", args=[deposit.pk])
    desk = world.client("receptionist")
    page = desk.get(url)
    assert page.context["can_request"]
    assert not page.context["can_decide"]
    refused = desk.post(
        reverse("cashier:deposit-request-settlement", args=[deposit.pk]),
        {"note": "验收合格", "deductions": "垃圾清运"},
    )
    assert refused.status_code == 400
    assert refused.context["settle_form"].errors["deductions"]
    done = desk.post(
        reverse("cashier:deposit-request-settlement", args=[deposit.pk]),
        {"note": "验收合格", "deductions": "垃圾清运 200\n墙面修补，100"},
    )
    assert done.status_code == 302
    director = world.client("director")
    assert director.get(url).context["can_decide"]
    director.post(reverse("cashier:deposit-decide", args=[deposit.pk]), {"approve": "yes"})
    deposit.refresh_from_db()
    assert deposit.status == "approved"
    assert deposit.deduction_total == Decimal("300.00")
    till = world.client("cashier")
    assert till.get(url).context["can_pay"]
    wrong = till.post(
        reverse("cashier:deposit-pay-out", args=[deposit.pk]),
        {"receipt_number": "nope", "method": "cash"},
    )
    assert wrong.status_code == 400
    assert wrong.context["pay_form"].errors["receipt_number"]
    till.post(
        reverse("cashier:deposit-pay-out", args=[deposit.pk]),
        {"receipt_number": deposit.payment.receipt.number, "method": "cash"},
    )
    deposit.refresh_from_db()
    assert (deposit.status, deposit.refund_amount) == ("settled", Decimal("1700.00"))


def test_a_rejection_without_a_reason_is_refused_on_the_page(world, deposit):
    request_settlement(deposit=deposit, note="退还", by=world.user("receptionist"))
    page = world.client("director").post(
        reverse("cashier:deposit-decide", args=[deposit.pk]), {"approve": "no"}
    )
    assert page.status_code == 400
    deposit.refresh_from_db()
    assert deposit.status == "requested"


def test_voiding_a_deposits_receipt_the_same_day_voids_the_deposit(world, deposit, unit, cashier):
    from guanjia.cashier.services import void_receipt

    void_receipt(receipt=deposit.payment.receipt, reason="打错金额", by=cashier)
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.VOID
    assert _deposit_column(unit) == Decimal("0.00")
    assert expected_cash(deposit.payment.session) == Decimal("200.00")


def test_a_deposit_whose_settlement_is_asked_for_cannot_lose_its_receipt(world, deposit, cashier):
    from guanjia.cashier.services import void_receipt

    request_settlement(deposit=deposit, note="退还", by=world.user("receptionist"))
    with pytest.raises(WorkflowError):
        void_receipt(receipt=deposit.payment.receipt, reason="打错金额", by=cashier)
    deposit.payment.receipt.refresh_from_db()
    assert deposit.payment.receipt.status == "valid"
