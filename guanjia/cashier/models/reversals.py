"""Reversals (冲红) of payments: a bounced cheque, a failed debit, a payment to the wrong unit,
found after the cashier's day was counted (in the open day the receipt is voided instead).
The cashier asks with the cause; a different person decides (spec §26 "Reversal (冲红)": the
supervisor for a payment of the same day, the director and finance always; never the cashier
who issued the receipt, §26 note 1). Approved, the payment's ledger entries are reversed, the
bills it paid are owed again and its receipt reads 已冲红."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

from .payments import Payment

if TYPE_CHECKING:
    from guanjia.core.access import User


class ReversalCause(models.TextChoices):
    BOUNCED_CHEQUE = "bounced_cheque", _("Cheque bounced")  # 退票
    FAILED_DEBIT = "failed_debit", _("Bank debit failed")  # 托收失败
    WRONG_UNIT = "wrong_unit", _("Paid to the wrong unit")  # 错收房号
    OTHER = "other", _("Other")  # 其他


class ReversalStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")  # 待审批
    APPROVED = "approved", _("Reversed (red entry)")  # 已冲红
    REJECTED = "rejected", _("Rejected")  # 已驳回


# Asked once a payment; rejected, it may be asked again (with a better reason); approved is
# final: the entries are reversed.
REVERSAL_MOVES: dict[str, frozenset[str]] = {
    ReversalStatus.REQUESTED: frozenset({ReversalStatus.APPROVED, ReversalStatus.REJECTED}),
    ReversalStatus.APPROVED: frozenset(),
    ReversalStatus.REJECTED: frozenset({ReversalStatus.REQUESTED}),
}


class PaymentReversal(TimeStampedModel):
    """The reversal asked for one payment: why, by whom, where its decision stands."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("payment")
    )
    cause = models.CharField(_("cause"), max_length=20, choices=ReversalCause)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=ReversalStatus, default=ReversalStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment reversal")
        verbose_name_plural = _("payment reversals")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_payment_reversal", _("Can approve the reversal (冲红) of a payment")),
            (
                "approve_payment_reversal_same_day",
                _("Can approve the reversal of a payment taken today"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReversalStatus.values),
                name="paymentreversal_known_status",
                violation_error_message=_("Unknown reversal status."),
            ),
            models.CheckConstraint(
                condition=Q(cause__in=ReversalCause.values),
                name="paymentreversal_known_cause",
                violation_error_message=_("Unknown reversal cause."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="reversal_community_status"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.get_status_display()}"


class PaymentReversalEvent(WorkflowEvent):
    """One step of a reversal: asked, approved (the entries reversed) or rejected."""

    statuses = dict(ReversalStatus.choices)

    reversal = models.ForeignKey(
        PaymentReversal,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("payment reversal"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("payment reversal event")
        verbose_name_plural = _("payment reversal events")


def may_approve_reversal(user: User, payment: Payment) -> bool:
    """The director and finance always, the supervisor for a payment taken today; never the
    cashier who took it (and issued its receipt)."""
    from guanjia.core.access import has_perm_in

    if payment.created_by_id == getattr(user, "pk", None):
        return False
    if has_perm_in(user, "cashier.approve_payment_reversal", payment.community_id):
        return True
    today = timezone.localdate(payment.created_at) == timezone.localdate()
    return today and has_perm_in(
        user, "cashier.approve_payment_reversal_same_day", payment.community_id
    )


def _may_request(user: User, reversal: PaymentReversal) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.add_payment", reversal.community_id)


def _may_decide(user: User, reversal: PaymentReversal) -> bool:
    return may_approve_reversal(user, reversal.payment)


workflows.register(
    PaymentReversal,
    workflows.Transitions(
        moves=REVERSAL_MOVES,
        event_model=PaymentReversalEvent,
        event_object="reversal",
        actor=_may_request,
        approval=workflows.Approvals(
            requested=ReversalStatus.REQUESTED,
            approved=ReversalStatus.APPROVED,
            rejected=ReversalStatus.REJECTED,
            may_decide=_may_decide,
            fields=workflows.ApprovalFieldNames(
                requested_by="requested_by",
                requested_at=None,
                decided_by=None,
                decided_at=None,
                decision=None,
                reason=None,
                reference=None,
                amount=None,
            ),
        ),
    ),
)
