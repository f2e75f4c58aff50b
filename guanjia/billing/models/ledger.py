"""Billing runs, month close, the append-only ledger, the balance table and waiver requests.

Sign convention of `LedgerEntry.amount` (yuan, stored as fen): positive increases what the
unit owes (charge, late fee, refund, deposit returned), negative decreases it (discount,
payment, prepayment, waiver, write-off, deposit received). A reversal carries the negated
amount and the bucket of the entry it reverses.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Person, Unit

from .standards import FeeItem

if TYPE_CHECKING:
    from guanjia.core.access import User


class RunStatus(models.TextChoices):
    POSTED = "posted", _("Posted")  # 已过账
    REVERSAL_REQUESTED = "reversal_requested", _("Reversal requested")  # 待审批冲销
    REVERSED = "reversed", _("Reversed")  # 已冲销


# A posted run is undone only as a whole: requested with a reason, then approved by the
# director (reversed) or refused (posted again).
RUN_MOVES: dict[str, frozenset[str]] = {
    RunStatus.POSTED: frozenset({RunStatus.REVERSAL_REQUESTED}),
    RunStatus.REVERSAL_REQUESTED: frozenset({RunStatus.REVERSED, RunStatus.POSTED}),
    RunStatus.REVERSED: frozenset(),
}


class BillingRun(TimeStampedModel):
    """The bills of one fee item for one community and month: posted once, extendable to
    units added later, undone only as a whole reversal."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    period = models.DateField(_("period"), help_text=_("The first day of the month billed."))
    fee_item = models.ForeignKey(
        FeeItem, on_delete=models.PROTECT, related_name="runs", verbose_name=_("fee item")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus, default=RunStatus.POSTED
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    total = MoneyField(_("total"), default=Decimal("0.00"))
    reversal_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reversal_reason = models.CharField(_("reason for reversal"), max_length=200, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        permissions = [("approve_run_reversal", _("Can approve the reversal of a billing run"))]
        ordering = ["-period", "community", "fee_item"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period", "fee_item"],
                condition=~Q(status="reversed"),
                name="billingrun_once_per_period_item",
                violation_error_message=_("This fee item is already billed for this month."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values),
                name="billingrun_known_status",
                violation_error_message=_("Unknown run status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.period:%Y-%m} {self.fee_item}"

    def is_touched_by_payments(self) -> bool:
        """Whether a payment, waiver or write-off of its fee item touches its units since."""
        units = self.entries.values("unit_id")
        return (
            LedgerEntry.objects.filter(
                unit_id__in=units, fee_item_id=self.fee_item_id, period__gte=self.period
            )
            .exclude(bucket=Bucket.BILLED)
            .exists()
        )


class BillingRunEvent(WorkflowEvent):
    """One step of a run's reversal: requested, approved (reversed) or refused."""

    statuses = dict(RunStatus.choices)

    run = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, related_name="events", verbose_name=_("billing run")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("billing run event")
        verbose_name_plural = _("billing run events")


class MonthClose(TimeStampedModel):
    """A closed month of one community: nothing more posts into it."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    period = models.DateField(_("period"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("month close")
        verbose_name_plural = _("month closes")
        ordering = ["community", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period"],
                name="monthclose_once",
                violation_error_message=_("This month is already closed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.period:%Y-%m}"


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Charge")  # 应收
    LATE_FEE = "late_fee", _("Late fee")  # 滞纳金
    DISCOUNT = "discount", _("Discount")  # 优惠
    REVERSAL = "reversal", _("Reversal")  # 冲销
    PAYMENT = "payment", _("Payment")  # 实收
    PREPAYMENT = "prepayment", _("Prepayment")  # 预存
    WAIVER = "waiver", _("Waiver")  # 减免
    WRITE_OFF = "write_off", _("Write-off")  # 核销
    REFUND = "refund", _("Refund")  # 退款
    DEPOSIT_IN = "deposit_in", _("Deposit received")  # 收押金
    DEPOSIT_OUT = "deposit_out", _("Deposit returned")  # 退押金


class Bucket(models.TextChoices):
    """Which balance column an entry moves (a reversal moves its original's)."""

    BILLED = "billed", _("Billed")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")
    WRITTEN_OFF = "written_off", _("Written off")
    PREPAID = "prepaid", _("Prepaid")
    DEPOSIT = "deposit", _("Deposit")


KIND_BUCKET: dict[str, str] = {
    EntryKind.CHARGE: Bucket.BILLED,
    EntryKind.LATE_FEE: Bucket.BILLED,
    EntryKind.DISCOUNT: Bucket.BILLED,
    EntryKind.PAYMENT: Bucket.PAID,
    EntryKind.PREPAYMENT: Bucket.PREPAID,
    EntryKind.REFUND: Bucket.PREPAID,
    EntryKind.WAIVER: Bucket.WAIVED,
    EntryKind.WRITE_OFF: Bucket.WRITTEN_OFF,
    EntryKind.DEPOSIT_IN: Bucket.DEPOSIT,
    EntryKind.DEPOSIT_OUT: Bucket.DEPOSIT,
}


class LedgerEntry(models.Model):
    """One money movement on a unit's account (append-only: triggers refuse UPDATE/DELETE)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ledger_entries")
    payer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True)
    period = models.DateField(_("period"))
    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind)
    bucket = models.CharField(_("bucket"), max_length=20, choices=Bucket)
    amount = MoneyField(_("amount"))
    line_no = models.PositiveSmallIntegerField(_("line"), default=1)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, related_name="reversed_by_entry"
    )
    billing_run = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, null=True, related_name="entries"
    )
    bill_ref = models.CharField(_("bill line"), max_length=60, blank=True)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    created_by = models.ForeignKey(  # None: a scheduled job (late fees)
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["period", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["billing_run", "unit", "line_no"],
                condition=Q(kind="charge"),
                name="ledgerentry_charge_once_per_run",
                violation_error_message=_("This unit is already billed in this run."),
            ),
            models.UniqueConstraint(
                fields=["unit", "fee_item", "bill_ref"],
                condition=Q(kind="late_fee", bill_ref__startswith="late:"),
                name="ledgerentry_late_fee_once_per_day",
                violation_error_message=_("This late fee is already accrued."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values) & Q(bucket__in=Bucket.values),
                name="ledgerentry_known_kind",
                violation_error_message=_("Unknown ledger entry kind."),
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="ledgerentry_reversal_has_original",
                violation_error_message=_("A reversal must name the entry it reverses."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "period"], name="ledgerentry_community_period"),
            models.Index(fields=["unit", "period"], name="ledgerentry_unit_period"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class UnitBalance(models.Model):
    """What one unit has been billed, paid, waived and written off for one fee item: the
    running sums of its ledger entries, kept in the posting transaction."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="balances")
    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    billed = MoneyField(_("billed"), default=Decimal("0.00"))
    paid = MoneyField(_("paid"), default=Decimal("0.00"))
    waived = MoneyField(_("waived"), default=Decimal("0.00"))
    written_off = MoneyField(_("written off"), default=Decimal("0.00"))
    outstanding = MoneyField(_("outstanding"), default=Decimal("0.00"))
    prepaid = MoneyField(_("prepaid"), default=Decimal("0.00"))
    deposit = MoneyField(_("deposit"), default=Decimal("0.00"))

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit balance")
        verbose_name_plural = _("unit balances")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "fee_item"],
                name="unitbalance_one_per_unit_item",
                violation_error_message=_("This unit already has a balance for this item."),
            ),
            models.CheckConstraint(
                condition=Q(outstanding=F("billed") - F("paid") - F("waived") - F("written_off")),
                name="unitbalance_outstanding_adds_up",
                violation_error_message=_("Outstanding must equal billed less the rest."),
            ),
        ]
        indexes = [
            # Arrears (selectors/arrears.py): an index-only scan of the rows owing, in unit order
            # (outstanding a key column rather than INCLUDE: SQLite covers with it too).
            models.Index(
                fields=["community", "unit", "outstanding"],
                condition=Q(outstanding__gt=0),
                name="unitbalance_owing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.fee_item_id}: {self.outstanding}"


class WaiverStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")  # 已申请
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


# Decided once (spec §26: supervisor or director up to their limits, finance, the company
# above); the waiver entry the approval posts belongs to the cashier's work.
WAIVER_MOVES: dict[str, frozenset[str]] = {
    WaiverStatus.REQUESTED: frozenset({WaiverStatus.APPROVED, WaiverStatus.REJECTED}),
    WaiverStatus.APPROVED: frozenset(),
    WaiverStatus.REJECTED: frozenset(),
}


class WaiverRequest(TimeStampedModel):
    """A request to waive (减免) part of a unit's late fees of one fee item. Its decision is
    `workflows.decide` (table below: who may decide, the amount limits of spec §26); the
    waiver entry an approval posts belongs to the cashier issue."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="waiver_requests")
    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=WaiverStatus, default=WaiverStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("waiver request")
        verbose_name_plural = _("waiver requests")
        permissions = [
            ("approve_waiverrequest", _("Can approve waivers up to the supervisor's limit")),
            ("approve_waiver_director", _("Can approve waivers up to the director's limit")),
            ("approve_waiver_any", _("Can approve waivers of any amount")),
        ]
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="waiverrequest_amount_positive",
                violation_error_message=_("A waiver must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=WaiverStatus.values),
                name="waiverrequest_known_status",
                violation_error_message=_("Unknown waiver status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.amount}"


class WaiverRequestEvent(WorkflowEvent):
    """One step of a waiver request: requested, approved or rejected (with the amount)."""

    statuses = dict(WaiverStatus.choices)

    request = models.ForeignKey(
        WaiverRequest,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("waiver request"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("waiver request event")
        verbose_name_plural = _("waiver request events")


def _may_decide_waiver(user: User, waiver: WaiverRequest) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "billing.approve_waiverrequest", waiver.community_id)


def _may_exceed_waiver_limit(user: User, waiver: WaiverRequest) -> bool:
    """Above the supervisor's limit: the director up to the director's limit, finance and the
    company at any amount (spec §26, `approval.waiver_dir_max`)."""
    from guanjia.core.access import has_perm_in
    from guanjia.core.policies.selectors import policy

    if has_perm_in(user, "billing.approve_waiver_any", waiver.community_id):
        return True
    if not has_perm_in(user, "billing.approve_waiver_director", waiver.community_id):
        return False
    limit = policy(waiver.community, "approval.waiver_dir_max")
    return limit is None or waiver.amount <= limit


workflows.register(
    WaiverRequest,
    workflows.Transitions(
        moves=WAIVER_MOVES,
        event_model=WaiverRequestEvent,
        event_object="request",
        actor=_may_decide_waiver,
        approval=workflows.Approvals(
            requested=WaiverStatus.REQUESTED,
            approved=WaiverStatus.APPROVED,
            rejected=WaiverStatus.REJECTED,
            may_decide=_may_decide_waiver,
            limit_policy="approval.waiver_sup_max",
            may_exceed_limit=_may_exceed_waiver_limit,
            fields=workflows.ApprovalFieldNames(
                requested_by="requested_by",
                requested_at=None,
                decided_by=None,
                decided_at=None,
                decision=None,
                reason=None,  # the request's own reason; the decision's is in its event
                reference=None,
                amount="amount",
            ),
        ),
    ),
)


def _may_request_reversal(user: User, run: BillingRun) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "billing.add_billingrun", run.community_id)


def _may_approve_reversal(user: User, run: BillingRun) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "billing.approve_run_reversal", run.community_id)


def _not_touched_by_payments(run: BillingRun) -> str | None:
    if run.is_touched_by_payments():
        return str(_("Payments, waivers or write-offs touch this run: it cannot be reversed."))
    return None


workflows.register(
    BillingRun,
    workflows.Transitions(
        moves=RUN_MOVES,
        event_model=BillingRunEvent,
        event_object="run",
        actor=_may_request_reversal,
        guards={
            RunStatus.REVERSAL_REQUESTED: _not_touched_by_payments,
            RunStatus.REVERSED: _not_touched_by_payments,
        },
        approval=workflows.Approvals(
            requested=RunStatus.REVERSAL_REQUESTED,
            approved=RunStatus.REVERSED,
            rejected=RunStatus.POSTED,
            may_decide=_may_approve_reversal,
            fields=workflows.ApprovalFieldNames(
                requested_by="reversal_requested_by",
                requested_at=None,
                decided_by=None,
                decided_at=None,
                decision=None,
                reason=None,
                reference=None,
                amount="total",
            ),
        ),
    ),
)
