"""Deposits (押金): money received and held for a renovation, a pass, a key or an access card,
then settled on an approved request: refunded to the payer, less itemised deductions (spec
§05 step 3, §16 steps 10-11, §20; §26 "Deposit refund/deduction").

The money is in billing's ledger like every payment: receiving posts a `deposit_in` entry
(the unit's deposit column), settling a `deposit_out` of everything held and, for each
deduction, a charge paid at once from the deposit (the office's income). A deposit row says
what it is for, who paid it, and where its settlement stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Person, Unit

from .payments import Payment, PaymentMethod
from .sessions import CashierSession

if TYPE_CHECKING:
    from guanjia.core.access import User


class DepositKind(models.TextChoices):
    RENOVATION_OWNER = "renovation_owner", _("Renovation deposit (owner)")  # 装修押金（业主）
    RENOVATION_CONTRACTOR = (
        "renovation_contractor",
        _("Renovation deposit (contractor)"),  # 装修押金（施工单位）
    )
    PASS = "pass", _("Pass deposit")  # 出入证押金
    KEY = "key", _("Key deposit")  # 钥匙押金
    ACCESS_CARD = "access_card", _("Access card deposit")  # 门禁卡押金
    OTHER = "other", _("Other deposit")  # 其他押金


class DepositStatus(models.TextChoices):
    HELD = "held", _("Held")  # 在押
    REQUESTED = "requested", _("Settlement requested")  # 待审批
    APPROVED = "approved", _("Approved, to pay out")  # 待退款
    SETTLED = "settled", _("Settled")  # 已结清
    VOID = "void", _("Void (receipt voided)")  # 已作废


# Held until someone asks for its settlement (refund less deductions); a different person
# decides (rejected: held again); the cashier then pays the refund out to the payer. A deposit
# whose receipt is voided the same day (a spoiled receipt) is void: nothing was held.
DEPOSIT_MOVES: dict[str, frozenset[str]] = {
    DepositStatus.HELD: frozenset({DepositStatus.REQUESTED, DepositStatus.VOID}),
    DepositStatus.REQUESTED: frozenset({DepositStatus.APPROVED, DepositStatus.HELD}),
    DepositStatus.APPROVED: frozenset({DepositStatus.SETTLED}),
    DepositStatus.SETTLED: frozenset(),
    DepositStatus.VOID: frozenset(),
}


class Deposit(TimeStampedModel):
    """One deposit received: for what, from whom, how much; its settlement when requested,
    approved and paid out."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("deposit type"), max_length=30, choices=DepositKind)
    purpose = models.CharField(
        _("for"),
        max_length=200,
        blank=True,
        help_text=_("What the deposit secures, as the paper says (装修 ZX-2026-0001, 出入证 …)."),
    )
    source_ref = models.CharField(
        _("source"),
        max_length=60,
        blank=True,
        help_text=_("The record of another app the deposit belongs to (renovation:12)."),
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="deposit", verbose_name=_("payment")
    )
    payer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("payer"),
    )
    payer_name = models.CharField(_("payer's name"), max_length=100)
    amount = MoneyField(_("amount held"))
    status = models.CharField(
        _("status"), max_length=20, choices=DepositStatus, default=DepositStatus.HELD
    )
    # The settlement asked for (the latest request; each one is in the events).
    deduction_total = MoneyField(_("deductions"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("requested by"),
    )
    settle_note = models.CharField(_("reason for settling"), max_length=500, blank=True)
    # The pay-out.
    refund_amount = MoneyField(_("refunded"), null=True, blank=True)
    refund_method = models.CharField(
        _("refund method"), max_length=20, choices=PaymentMethod, blank=True
    )
    refund_reference = models.CharField(_("refund reference"), max_length=64, blank=True)
    refund_session = models.ForeignKey(
        CashierSession,
        on_delete=models.PROTECT,
        related_name="deposit_refunds",
        null=True,
        blank=True,
        verbose_name=_("refunded in"),
    )
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("refunded by"),
    )
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("request_deposit_settlement", _("Can ask for a deposit's refund and deductions")),
            (
                "approve_deposit_settlement",
                _("Can approve a deposit's settlement up to the director's limit"),
            ),
            ("approve_deposit_any", _("Can approve a deposit's settlement of any amount")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="deposit_amount_positive",
                violation_error_message=_("A deposit must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DepositStatus.values),
                name="deposit_known_status",
                violation_error_message=_("Unknown deposit status."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DepositKind.values),
                name="deposit_known_kind",
                violation_error_message=_("Unknown deposit type."),
            ),
            models.CheckConstraint(
                condition=Q(deduction_total__isnull=True)
                | Q(deduction_total__gte=0, deduction_total__lte=models.F("amount")),
                name="deposit_deductions_within_held",
                violation_error_message=_("Deductions cannot be more than the deposit held."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "kind"], name="deposit_community_status"),
            models.Index(fields=["community", "source_ref"], name="deposit_source"),
            models.Index(fields=["unit", "created_at"], name="deposit_unit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def net_refund(self) -> object:
        """What goes back to the payer: held less the deductions asked for."""
        return self.amount - (self.deduction_total or 0)


class DepositDeduction(models.Model):
    """One itemised deduction of the settlement asked for (扣款清单): what, how much."""

    deposit = models.ForeignKey(
        Deposit, on_delete=models.PROTECT, related_name="deductions", verbose_name=_("deposit")
    )
    position = models.PositiveSmallIntegerField(_("line"))
    item = models.CharField(_("deduction for"), max_length=100)
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("deposit deduction")
        verbose_name_plural = _("deposit deductions")
        ordering = ["deposit", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["deposit", "position"],
                name="depositdeduction_position_once",
                violation_error_message=_("This line is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="depositdeduction_amount_positive",
                violation_error_message=_("A deduction must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"


class DepositEvent(WorkflowEvent):
    """One step of a deposit: received, settlement requested, approved or rejected, paid out."""

    statuses = dict(DepositStatus.choices)

    deposit = models.ForeignKey(
        Deposit, on_delete=models.PROTECT, related_name="events", verbose_name=_("deposit")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("deposit event")
        verbose_name_plural = _("deposit events")


def _may_request(user: User, deposit: Deposit) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.request_deposit_settlement", deposit.community_id)


def _may_decide(user: User, deposit: Deposit) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.approve_deposit_settlement", deposit.community_id)


def _may_exceed_limit(user: User, deposit: Deposit) -> bool:
    """Deductions above the director's limit (`approval.deduction_dir_max`): finance and the
    company (spec §26, "A (above limit)")."""
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.approve_deposit_any", deposit.community_id)


def _may_pay_out(user: User, deposit: Deposit) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.add_payment", deposit.community_id)


def _may_void(user: User, deposit: Deposit) -> bool:
    """Its receipt voided by the cashier (the open day), or its payment reversed (冲红) by
    whoever may approve that."""
    from .reversals import may_approve_reversal

    return _may_pay_out(user, deposit) or may_approve_reversal(user, deposit.payment)


workflows.register(
    Deposit,
    workflows.Transitions(
        moves=DEPOSIT_MOVES,
        event_model=DepositEvent,
        event_object="deposit",
        actor=_may_request,
        actors={DepositStatus.SETTLED: _may_pay_out, DepositStatus.VOID: _may_void},
        approval=workflows.Approvals(
            requested=DepositStatus.REQUESTED,
            approved=DepositStatus.APPROVED,
            rejected=DepositStatus.HELD,
            may_decide=_may_decide,
            limit_policy="approval.deduction_dir_max",
            may_exceed_limit=_may_exceed_limit,
            fields=workflows.ApprovalFieldNames(
                requested_by="requested_by",
                requested_at=None,
                decided_by=None,
                decided_at=None,
                decision=None,
                reason=None,
                reference=None,
                amount="deduction_total",
            ),
        ),
    ),
)
