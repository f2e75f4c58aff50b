"""Receipts: issued with the payment (gap-free number per community and year), printed (the
first print is the original, every later one a copy 副本), voided with a reason and kept."""

from __future__ import annotations

from decimal import Decimal

import cn2an
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.billing.models import LedgerEntry
from guanjia.billing.services import reverse_entries
from guanjia.core import workflows
from guanjia.core.access import User
from guanjia.core.numbering.services import next_number
from guanjia.estates.models.identity import field_error

from ..models import (
    RECEIPT_KIND,
    CashierSession,
    Deposit,
    DepositStatus,
    Payment,
    Receipt,
    ReceiptStatus,
)

PRINTED = "printed"


def amount_in_words(amount: Decimal) -> str:
    """The amount in Chinese capitals as a receipt writes it (大写): 贰佰贰拾叁元玖角整,
    壹拾万元壹角整, 伍分. cn2an writes the figures; a total without fen ends in 整."""
    words: str = cn2an.an2cn(f"{amount:.2f}", "rmb")
    if not words.endswith(("分", "整")):
        words += "整"
    return words


def issue_receipt(*, payment: Payment, by: User) -> Receipt:
    """Number and record the receipt of `payment`, in the payment's transaction (a payment
    that rolls back gives its number back: no gap)."""
    number = next_number(community=payment.community, kind=RECEIPT_KIND)
    receipt = Receipt.objects.create(
        community=payment.community,
        payment=payment,
        number=str(number),
        year=number.year,
        seq=number.seq,
    )
    workflows.record_creation(receipt, by=by, action="issued")
    return receipt


def record_print(*, receipt: Receipt, by: User) -> bool:
    """Log a print (or PDF) of the receipt; True when it is a copy (副本): printed before."""
    is_copy = receipt.events.filter(action=PRINTED).exists()
    workflows.record_event(receipt, by=by, action=PRINTED, data={"copy": is_copy})
    return is_copy


@transaction.atomic
def void_receipt(*, receipt: Receipt, reason: str, by: User) -> Receipt:
    """Void (作废) a spoiled receipt of the cashier's open day: its payment's ledger entries
    are reversed and the receipt is kept, marked void, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the receipt is voided."), "reason_required")
    if len(reason) > 200:
        raise field_error("reason", _("At most 200 characters."), "too_long")
    locked = workflows.lock(receipt)
    # The day's row too: a count cannot pass a void half-way (and the guard reads it).
    session = CashierSession.objects.select_for_update().get(pk=locked.payment.session_id)
    locked.payment.session = session
    workflows.check_transition(locked, ReceiptStatus.VOID, by=by)
    deposit = Deposit.objects.select_for_update().filter(payment=locked.payment_id).first()
    if deposit is not None:
        # Its deposit was never held: void with it (refused once its settlement is asked for).
        workflows.transition(deposit, DepositStatus.VOID, by=by, note=reason)
    entries = list(
        LedgerEntry.objects.filter(pk__in=locked.payment.lines.values("entry_id")).select_related(
            "community"
        )
    )
    reverse_entries(
        entries=entries, by=by, memo=_("Receipt %(number)s voided") % {"number": locked.number}
    )
    workflows.transition(
        locked,
        ReceiptStatus.VOID,
        by=by,
        note=reason,
        void_reason=reason,
        voided_by=by,
        voided_at=timezone.now(),
    )
    for field in Receipt._meta.concrete_fields:
        setattr(receipt, field.attname, getattr(locked, field.attname))
    return receipt
