"""Receipts (收据): one per payment, numbered gap-free per community and year, verifiable by
anyone holding the printed QR code, voided (作废) with a reason and kept (spec §05)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

from .payments import Payment
from .sessions import SessionStatus

if TYPE_CHECKING:
    from guanjia.core.access import User

RECEIPT_KIND = "receipt"  # core.numbering kind: SJ-2026-000001


class ReceiptStatus(models.TextChoices):
    VALID = "valid", _("Valid")  # 有效
    VOID = "void", _("Void")  # 作废
    REVERSED = "reversed", _("Reversed (red entry)")  # 已冲红 (models/reversals.py)


# The whole workflow: a receipt is valid until it is voided (its own open day) or its payment
# is reversed (冲红, an approval, after the day); neither comes back.
RECEIPT_MOVES: dict[str, frozenset[str]] = {
    ReceiptStatus.VALID: frozenset({ReceiptStatus.VOID, ReceiptStatus.REVERSED}),
    ReceiptStatus.VOID: frozenset(),
    ReceiptStatus.REVERSED: frozenset(),
}


def new_token() -> str:
    """The unguessable part of a receipt's public verification address (192 bits)."""
    return secrets.token_urlsafe(24)


class Receipt(TimeStampedModel):
    """The receipt of one payment: its number, its public token, valid or void."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="receipt", verbose_name=_("payment")
    )
    number = models.CharField(_("receipt no."), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    token = models.CharField(_("verification token"), max_length=40, default=new_token)
    status = models.CharField(
        _("status"), max_length=20, choices=ReceiptStatus, default=ReceiptStatus.VALID
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("voided by"),
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-year", "-seq"]
        permissions = [("void_receipt", _("Can void a receipt of the open day"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "seq"],
                name="receipt_number_once",
                violation_error_message=_("This receipt number is already used."),
            ),
            models.UniqueConstraint(
                fields=["token"],
                name="receipt_token_unique",
                violation_error_message=_("This verification token is already used."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReceiptStatus.values),
                name="receipt_known_status",
                violation_error_message=_("Unknown receipt status."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ReceiptEvent(WorkflowEvent):
    """One thing that happened to a receipt: issued, printed (the first is the original,
    every later one a copy 副本), voided."""

    statuses = dict(ReceiptStatus.choices)

    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="events", verbose_name=_("receipt")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("receipt event")
        verbose_name_plural = _("receipt events")


def _may_void(user: User, receipt: Receipt) -> bool:
    """The cashier who took the payment voids a spoiled receipt of their own open day."""
    from guanjia.core.access import has_perm_in

    return receipt.payment.created_by_id == getattr(user, "pk", None) and has_perm_in(
        user, "cashier.void_receipt", receipt.community_id
    )


def _may_reverse(user: User, receipt: Receipt) -> bool:
    """Whoever may approve the payment's reversal (models/reversals.py) marks its receipt."""
    from .reversals import may_approve_reversal

    return may_approve_reversal(user, receipt.payment)


def _day_still_open(receipt: Receipt) -> str | None:
    """A receipt is voided in its own day, while that day is open: after the count its money
    is in the cash, and taking it back is a reversal (冲红), an approval."""
    if receipt.payment.session.status != SessionStatus.OPEN:
        return str(
            _("The day of this receipt is counted or closed: ask for a reversal (冲红) instead.")
        )
    return None


workflows.register(
    Receipt,
    workflows.Transitions(
        moves=RECEIPT_MOVES,
        event_model=ReceiptEvent,
        event_object="receipt",
        actor=_may_void,
        actors={ReceiptStatus.REVERSED: _may_reverse},
        guards={ReceiptStatus.VOID: _day_still_open},
    ),
)
