"""Reversals (冲红): a payment of a counted day is reversed only on an approval by a different
person (the supervisor for a payment of the same day, the director and finance always, never
the cashier who took it); approved, the bills it paid are owed again and its receipt reads
已冲红. Every refusal changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from guanjia.billing.models import EntryKind, LedgerEntry
from guanjia.cashier.models import PaymentReversal, ReceiptStatus, ReversalStatus
from guanjia.cashier.selectors.account import unit_account
from guanjia.cashier.services import (
    count_session,
    decide_reversal,
    request_reversal,
)
from guanjia.core.workflows import WorkflowDenied, WorkflowError

from .conftest import on
from .factories import code_of, pay

pytestmark = pytest.mark.usefixtures("no_late_fees")


def _owed(unit):
    return unit_account(unit, day=dt.date(2024, 3, 20)).total


@pytest.fixture
def counted(unit, cashier):
    """A cheque of 230.50 taken today paid everything; the day is counted."""
    payment = pay(unit, "230.50", cashier, method="cheque")
    count_session(session=payment.session, denominations={"100": 2}, explanation="", by=cashier)
    return payment


def test_asked_then_approved_reverses_the_payment(world, unit, cashier, counted):
    assert _owed(unit) == Decimal("0.00")
    reversal = request_reversal(
        payment=counted, cause="bounced_cheque", reason="支票退票", by=cashier
    )
    assert (reversal.status, reversal.requested_by) == (ReversalStatus.REQUESTED, cashier)
    decide_reversal(reversal=reversal, approve=True, by=world.user("director"))
    reversal.refresh_from_db()
    counted.receipt.refresh_from_db()
    assert reversal.status == ReversalStatus.APPROVED
    assert counted.receipt.status == ReceiptStatus.REVERSED
    assert _owed(unit) == Decimal("230.50")
    reversed_entries = LedgerEntry.objects.filter(kind=EntryKind.REVERSAL)
    assert reversed_entries.count() == counted.lines.count()
    assert sum(e.amount for e in reversed_entries) == Decimal("230.50")
    assert [e.to_status for e in reversal.events.order_by("pk")] == ["requested", "approved"]


def test_the_supervisor_decides_only_a_payment_of_the_same_day(world, unit, cashier, counted):
    reversal = request_reversal(payment=counted, cause="bounced_cheque", reason="退票", by=cashier)
    with on(dt.date(2024, 3, 21)), pytest.raises(WorkflowDenied):
        decide_reversal(reversal=reversal, approve=True, by=world.user("supervisor"))
    decide_reversal(reversal=reversal, approve=True, by=world.user("supervisor"))
    reversal.refresh_from_db()
    assert reversal.status == ReversalStatus.APPROVED


def test_the_cashier_who_took_it_never_decides(world, unit, cashier, counted):
    from guanjia.accounts.tests.factories import grant

    grant(cashier, "director", world.a)
    reversal = request_reversal(payment=counted, cause="other", reason="错收", by=cashier)
    with pytest.raises(WorkflowDenied):
        decide_reversal(reversal=reversal, approve=True, by=cashier)
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 0


def test_a_rejection_says_why_and_may_be_asked_again(world, unit, cashier, counted):
    director = world.user("director")
    reversal = request_reversal(payment=counted, cause="other", reason="错收", by=cashier)
    with pytest.raises(WorkflowError):
        decide_reversal(reversal=reversal, approve=False, by=director)
    decide_reversal(reversal=reversal, approve=False, reason="无银行凭证", by=director)
    reversal.refresh_from_db()
    assert reversal.status == ReversalStatus.REJECTED
    assert _owed(unit) == Decimal("0.00")
    again = request_reversal(payment=counted, cause="bounced_cheque", reason="附退票单", by=cashier)
    assert (again.pk, again.status, again.cause) == (
        reversal.pk,
        ReversalStatus.REQUESTED,
        "bounced_cheque",
    )


def test_a_payment_of_the_open_day_is_voided_not_reversed(unit, cashier):
    payment = pay(unit, "100.00", cashier)
    with pytest.raises(ValidationError) as caught:
        request_reversal(payment=payment, cause="other", reason="错收", by=cashier)
    assert code_of(caught.value) == "use_void"
    assert not PaymentReversal.objects.exists()


@pytest.mark.parametrize(
    ("cause", "reason", "field"),
    [("gold", "错收", "cause"), ("other", " ", "reason"), ("other", "x" * 201, "reason")],
)
def test_bad_requests_are_refused_by_field(cashier, counted, cause, reason, field):
    with pytest.raises(ValidationError) as caught:
        request_reversal(payment=counted, cause=cause, reason=reason, by=cashier)
    assert field in caught.value.message_dict
    assert not PaymentReversal.objects.exists()


def test_asked_twice_is_refused(cashier, counted):
    request_reversal(payment=counted, cause="other", reason="错收", by=cashier)
    with pytest.raises(ValidationError) as caught:
        request_reversal(payment=counted, cause="other", reason="错收", by=cashier)
    assert code_of(caught.value) == "already_requested"


def test_only_the_cashier_asks(world, counted):
    with pytest.raises(PermissionDenied):
        request_reversal(payment=counted, cause="other", reason="错收", by=world.user("supervisor"))


def test_an_approved_reversal_is_final(world, cashier, counted):
    reversal = request_reversal(payment=counted, cause="other", reason="错收", by=cashier)
    decide_reversal(reversal=reversal, approve=True, by=world.user("finance"))
    with pytest.raises(WorkflowError):
        decide_reversal(reversal=reversal, approve=True, by=world.user("director"))
    with pytest.raises(ValidationError) as caught:
        request_reversal(payment=counted, cause="other", reason="再冲", by=cashier)
    assert code_of(caught.value) == "receipt_not_valid"
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == counted.lines.count()


def test_the_receipt_page_asks_and_decides(world, cashier, counted):
    url = reverse("cashier:receipt-detail", args=[counted.receipt.pk])
    till = world.client("cashier")
    assert till.get(url).context["can_ask_reversal"]
    refused = till.post(
        reverse("cashier:receipt-reverse", args=[counted.receipt.pk]), {"cause": "other"}
    )
    assert refused.status_code == 400
    assert refused.context["reversal_form"].errors["reason"]
    till.post(
        reverse("cashier:receipt-reverse", args=[counted.receipt.pk]),
        {"cause": "bounced_cheque", "reason": "支票退票"},
    )
    director = world.client("director")
    assert director.get(url).context["can_decide_reversal"]
    assert not till.get(url).context["can_decide_reversal"]
    director.post(
        reverse("cashier:receipt-reversal-decide", args=[counted.receipt.pk]), {"approve": "yes"}
    )
    counted.receipt.refresh_from_db()
    assert counted.receipt.status == ReceiptStatus.REVERSED
    verify = world.client(None).get(
        reverse("cashier:receipt-verify", kwargs={"token": counted.receipt.token})
    )
    assert "已冲红" in verify.content.decode()
