"""Reversing (冲红) a payment after its day was counted: asked by the cashier with the cause,
decided by a different person (models/reversals.py says who); approved, every ledger entry
the payment posted is reversed (the bills it paid are owed again, late fees accrue again
from their dates, the unit's arrears case sends its first written reminder), its receipt
reads 已冲红, and a deposit it received is void (spec §05 edge
cases, §26). Within the open day the receipt is voided instead (services/receipts.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.billing.models import LedgerEntry
from guanjia.billing.services import reverse_entries
from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.estates.models.identity import field_error

from ..models import (
    Deposit,
    DepositStatus,
    Payment,
    PaymentReversal,
    ReceiptStatus,
    ReversalCause,
    ReversalStatus,
    SessionStatus,
)
from .dunning import after_reversal


@transaction.atomic
def request_reversal(*, payment: Payment, cause: str, reason: str, by: User) -> PaymentReversal:
    """Ask for `payment` to be reversed. Refused: a payment of the open day (void its
    receipt), a receipt already void or reversed, a deposit whose settlement has started, a
    reversal already waiting or done."""
    require_perm(by, "cashier.add_payment", payment.community)
    if cause not in ReversalCause.values:
        raise field_error("cause", _("Choose why the payment is reversed."), "bad_cause")
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the payment is reversed."), "reason_required")
    if len(reason) > 200:
        raise field_error("reason", _("At most 200 characters."), "too_long")
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("session", "receipt")
        .get(pk=payment.pk)
    )
    if payment.session.status == SessionStatus.OPEN:
        raise ValidationError(
            _("This payment's day is still open: void its receipt instead."), code="use_void"
        )
    if payment.receipt.status != ReceiptStatus.VALID:
        raise ValidationError(
            _("Receipt %(number)s is %(status)s: there is nothing to reverse.")
            % {"number": payment.receipt.number, "status": payment.receipt.get_status_display()},
            code="receipt_not_valid",
        )
    _check_deposit(payment)
    found = PaymentReversal.objects.filter(payment=payment).first()
    if found is None:
        reversal = PaymentReversal.objects.create(
            community=payment.community,
            payment=payment,
            cause=cause,
            reason=reason,
            requested_by=by,
        )
        workflows.record_creation(reversal, by=by, note=reason, action="requested")
        return reversal
    found = workflows.lock(found)
    if found.status != ReversalStatus.REJECTED:
        raise ValidationError(
            _("A reversal of this payment is already %(status)s.")
            % {"status": found.get_status_display()},
            code="already_requested",
        )
    workflows.request_approval(found, by=by, note=reason, cause=cause, reason=reason)
    return found


def _check_deposit(payment: Payment) -> Deposit | None:
    deposit = Deposit.objects.select_for_update().filter(payment=payment).first()
    if deposit is not None and deposit.status != DepositStatus.HELD:
        raise ValidationError(
            _("This deposit's settlement has started: it is settled, not reversed."),
            code="deposit_in_settlement",
        )
    return deposit


@transaction.atomic
def decide_reversal(
    *, reversal: PaymentReversal, approve: bool, by: User, reason: str = ""
) -> PaymentReversal:
    """Approve (the entries are reversed, the receipt marked) or reject (with the reason)."""
    reversal = workflows.lock(reversal)
    workflows.decide(reversal, approve, by=by, reason=reason)
    if not approve:
        return reversal
    payment = reversal.payment
    deposit = _check_deposit(payment)
    entries = list(
        LedgerEntry.objects.filter(pk__in=payment.lines.values("entry_id")).select_related(
            "community"
        )
    )
    receipt = payment.receipt
    memo = _("Receipt %(number)s reversed (冲红)") % {"number": receipt.number}
    reverse_entries(entries=entries, by=by, memo=memo[:200])
    workflows.transition(receipt, ReceiptStatus.REVERSED, by=by, note=reversal.reason)
    if deposit is not None:
        workflows.transition(deposit, DepositStatus.VOID, by=by, note=reversal.reason)
    else:  # what it paid is owed again: the first reminder (spec §05 edge cases, §10)
        after_reversal(unit=payment.unit, receipt_number=receipt.number, by=by)
    return reversal
