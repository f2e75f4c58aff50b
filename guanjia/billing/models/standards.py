"""Fee items, fee standards, their rate versions and per-unit exceptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core import workflows
from guanjia.core.access import AnyUser, has_perm_in, visible_community_ids
from guanjia.core.models import Community, CommunityScopedQuerySet, Company, TimeStampedModel
from guanjia.core.money import RoundingRule
from guanjia.estates.models import Person, Unit


class FeeCategory(models.TextChoices):
    SERVICE = "service", _("Service fee")  # 物业服务费
    UTILITY = "utility", _("Utility")  # 水电燃气
    PARKING = "parking", _("Parking")  # 停车费
    ONE_OFF = "one_off", _("One-off")  # 一次性收费
    DEPOSIT = "deposit", _("Deposit")  # 押金
    LATE_FEE = "late_fee", _("Late fee")  # 滞纳金


class FeeItemQuerySet(models.QuerySet["FeeItem"]):
    def visible_to(self, user: AnyUser) -> FeeItemQuerySet:
        """Fee items of the companies whose communities the user sees."""
        ids = visible_community_ids(user)
        if ids is None:
            return self.all()
        return self.filter(company__communities__in=ids).distinct()


class FeeItem(TimeStampedModel):
    """A kind of charge the company bills (物业服务费, 水费, 停车费...), with its GL code."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="fee_items", verbose_name=_("company")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=FeeCategory)
    gl_code = models.CharField(_("GL code"), max_length=30, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("allocation priority"), default=100, help_text=_("Lower is paid first.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = FeeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["priority", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="feeitem_unique_code",
                violation_error_message=_("A fee item with this code already exists."),
            ),
            models.CheckConstraint(
                condition=Q(category__in=FeeCategory.values),
                name="feeitem_known_category",
                violation_error_message=_("Unknown fee category."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Method(models.TextChoices):
    BUILDING_AREA = "building_area", _("Building area × rate")  # 建筑面积×单价
    INNER_AREA = "inner_area", _("Inner area × rate")  # 套内面积×单价
    FIXED = "fixed", _("Fixed per unit")  # 每户定额
    PER_PARKING_SPACE = "per_parking_space", _("Per parking space")  # 按车位
    METERED = "metered", _("Metered, with tiers")  # 按表计量（阶梯）
    COMMON_SHARE_AREA = "common_share_area", _("Common meter shared by area")  # 公摊（按面积）
    COMMON_SHARE_HOUSEHOLD = "common_share_household", _("Common meter shared per household")
    MANUAL = "manual", _("Manual amount")  # 手工录入


class Cycle(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")  # 按月
    QUARTERLY = "quarterly", _("Quarterly")  # 按季
    HALF_YEARLY = "half_yearly", _("Half-yearly")  # 按半年
    YEARLY = "yearly", _("Yearly")  # 按年


CYCLE_MONTHS: dict[str, int] = {
    Cycle.MONTHLY: 1,
    Cycle.QUARTERLY: 3,
    Cycle.HALF_YEARLY: 6,
    Cycle.YEARLY: 12,
}


class BilledIn(models.TextChoices):
    ADVANCE = "advance", _("In advance")  # 预收
    ARREARS = "arrears", _("In arrears")  # 后收


class PayerRule(models.TextChoices):
    DEVELOPER_IF_UNSOLD = "developer_if_unsold", _("Developer for unsold units, else the owner")
    OWNER = "owner", _("The owner")


class MeterKind(models.TextChoices):
    WATER = "water", _("Water")  # 水表
    ELECTRIC = "electric", _("Electricity")  # 电表
    GAS = "gas", _("Gas")  # 燃气表


class ApprovalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


# Finance decides a proposal once; a change that moves amounts proposes the row again (a
# change to an approved standard waits in `pending_change` and is decided by events that
# leave the state approved: services/approvals.py).
APPROVAL_MOVES: dict[str, frozenset[str]] = {
    ApprovalStatus.PROPOSED: frozenset({ApprovalStatus.APPROVED, ApprovalStatus.REJECTED}),
    ApprovalStatus.APPROVED: frozenset({ApprovalStatus.PROPOSED}),
    ApprovalStatus.REJECTED: frozenset({ApprovalStatus.PROPOSED}),
}


class Approval(models.Model):
    """Who proposed a standard or rate, who decided and when (spec §26: finance approves
    standards); billing uses only approved rows. The columns hold the latest proposal and
    decision; the row's workflow events (FeeStandardEvent, FeeStandardVersionEvent) keep
    every one. Moved only by core.workflows (APPROVAL_WORKFLOW below)."""

    approval_status = models.CharField(
        _("approval"), max_length=10, choices=ApprovalStatus, default=ApprovalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.approval_status == ApprovalStatus.APPROVED

    @property
    def awaits_approval(self) -> bool:
        return self.approval_status == ApprovalStatus.PROPOSED

    @property
    def awaits_decision(self) -> bool:
        """Awaiting approval itself, or (a standard) a change to it awaiting approval."""
        return self.awaits_approval or bool(getattr(self, "pending_change", None))


class FeeStandard(Approval, TimeStampedModel):
    """How one community bills one fee item: method, cycle, rounding, which units, who pays."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    fee_item = models.ForeignKey(
        FeeItem, on_delete=models.PROTECT, related_name="standards", verbose_name=_("fee item")
    )
    name = models.CharField(_("name"), max_length=60)
    method = models.CharField(_("method"), max_length=30, choices=Method)
    cycle = models.CharField(_("cycle"), max_length=20, choices=Cycle, default=Cycle.MONTHLY)
    billed_in = models.CharField(
        _("billed"), max_length=10, choices=BilledIn, default=BilledIn.ADVANCE
    )
    rounding = models.CharField(
        _("rounding"), max_length=10, choices=RoundingRule, default=RoundingRule.HALF_UP
    )
    unit_kinds = models.JSONField(
        _("unit types"), default=list, blank=True, help_text=_("Empty: every unit type.")
    )
    unit_statuses = models.JSONField(
        _("unit statuses"), default=list, blank=True, help_text=_("Empty: every status.")
    )
    vacant_discount = models.BooleanField(
        _("vacant-unit discount"),
        default=False,
        help_text=_("Vacant units get the community's vacant discount rate."),
    )
    payer_rule = models.CharField(
        _("payer"), max_length=30, choices=PayerRule, default=PayerRule.DEVELOPER_IF_UNSOLD
    )
    developer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("developer"),
    )
    meter_kind = models.CharField(
        _("meter type"),
        max_length=20,
        choices=MeterKind,
        blank=True,
        help_text=_("Metered fees: which of the unit's meters is read."),
    )
    common_meter = models.ForeignKey(
        "Meter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("common meter"),
        help_text=_("Shared fees: the meter whose use is shared."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    approval_ref = models.CharField(
        _("approval reference"),
        max_length=60,
        blank=True,
        help_text=_("Price-authority filing or owners' assembly decision (文号)."),
    )
    # A change to an approved standard that moves amounts waits here for finance's decision;
    # until then the approved values above keep being billed. {field attname: new value}.
    pending_change = models.JSONField(_("change awaiting approval"), default=dict, blank=True)
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee standard")
        verbose_name_plural = _("fee standards")
        permissions = [("approve_standard", _("Can approve fee standards"))]
        ordering = ["community", "fee_item__priority", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "fee_item", "name"],
                name="feestandard_unique_name",
                violation_error_message=_("This fee item already has a standard of this name."),
            ),
            models.CheckConstraint(
                condition=Q(method__in=Method.values),
                name="feestandard_known_method",
                violation_error_message=_("Unknown billing method."),
            ),
            models.CheckConstraint(
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="feestandard_known_approval_status",
                violation_error_message=_("Unknown approval state."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FeeStandardVersionQuerySet(CommunityScopedQuerySet):
    community_lookup = "standard__community"


class FeeStandardVersion(Approval, TimeStampedModel):
    """One rate of a standard for a span of dates (yuan per m² per month, per unit, ...)."""

    standard = models.ForeignKey(
        FeeStandard, on_delete=models.PROTECT, related_name="versions", verbose_name=_("standard")
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text=_("Yuan per m² per month, per unit per month or per space per month."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    approval_ref = models.CharField(_("approval reference"), max_length=60, blank=True)
    tiers = models.JSONField(
        _("tiers"),
        default=list,
        blank=True,
        help_text=_("Metered fees: [[up to quantity, rate], ...]; the last tier has no limit."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords()

    objects = FeeStandardVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("rate version")
        verbose_name_plural = _("rate versions")
        ordering = ["standard", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="feestandardversion_rate_positive",
                violation_error_message=_("A rate must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="feestandardversion_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["standard", "effective_from"],
                condition=~Q(approval_status=ApprovalStatus.REJECTED),
                name="feestandardversion_unique_start",
                violation_error_message=_("This standard already has a rate from this date."),
            ),
            models.CheckConstraint(
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="feestandardversion_known_approval_status",
                violation_error_message=_("Unknown approval state."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rate} ({self.effective_from})"

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class FeeStandardEvent(workflows.WorkflowEvent):
    """One step of a standard's approval: created, requested, approved, rejected, or a change
    to an approved standard requested, approved or rejected (`data["change"]`)."""

    statuses = dict(ApprovalStatus.choices)

    standard = models.ForeignKey(
        FeeStandard, on_delete=models.PROTECT, related_name="events", verbose_name=_("standard")
    )

    class Meta(workflows.WorkflowEvent.Meta):
        verbose_name = _("fee standard event")
        verbose_name_plural = _("fee standard events")


class FeeStandardVersionEvent(workflows.WorkflowEvent):
    """One step of a rate's approval: created (proposed), approved or rejected."""

    statuses = dict(ApprovalStatus.choices)

    version = models.ForeignKey(
        FeeStandardVersion,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("rate version"),
    )

    class Meta(workflows.WorkflowEvent.Meta):
        verbose_name = _("rate version event")
        verbose_name_plural = _("rate version events")


def _community_id(row: FeeStandard | FeeStandardVersion) -> int:
    if isinstance(row, FeeStandardVersion):
        return row.standard.community_id
    return row.community_id


def may_propose_standard(user: AnyUser, row: FeeStandard | FeeStandardVersion) -> bool:
    """Spec §26: the cashier and finance create and update standards and rates."""
    perm = "billing.change_feestandardversion"
    if isinstance(row, FeeStandard):
        perm = "billing.change_feestandard"
    return has_perm_in(user, perm, _community_id(row))


def may_approve_standard(user: AnyUser, row: FeeStandard | FeeStandardVersion) -> bool:
    """Spec §26: finance approves standards and their rates (never the proposer)."""
    return has_perm_in(user, "billing.approve_standard", _community_id(row))


# The columns the approval keeps: the models predate ApprovalFields and keep their names
# (pages, API fields and simple-history tables stay as they are).
APPROVAL_COLUMNS = workflows.ApprovalFieldNames(
    requested_by="proposed_by",
    requested_at="proposed_at",
    decided_by="decided_by",
    decided_at="decided_at",
    decision=None,
    reason="rejection_reason",
    reference="approval_ref",
    amount=None,
)


def _approval_workflow(event_model: type[workflows.WorkflowEvent], key: str) -> Any:
    return workflows.Transitions(
        moves=APPROVAL_MOVES,
        field="approval_status",
        event_model=event_model,
        event_object=key,
        actor=may_propose_standard,
        approval=workflows.Approvals(
            requested=ApprovalStatus.PROPOSED,
            approved=ApprovalStatus.APPROVED,
            rejected=ApprovalStatus.REJECTED,
            may_decide=may_approve_standard,
            reference_required=True,  # the price-authority filing or assembly decision (文号)
            reason_required=True,
            fields=APPROVAL_COLUMNS,
        ),
    )


workflows.register(FeeStandard, _approval_workflow(FeeStandardEvent, "standard"))
workflows.register(FeeStandardVersion, _approval_workflow(FeeStandardVersionEvent, "version"))


class UnitFeeException(TimeStampedModel):
    """A unit billed differently by one standard for a span of dates: exempt (no rate) or at
    its own rate (e.g. a board decision for a ground-floor shop)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="fee_exceptions", verbose_name=_("unit")
    )
    standard = models.ForeignKey(
        FeeStandard,
        on_delete=models.PROTECT,
        related_name="exceptions",
        verbose_name=_("standard"),
    )
    rate = models.DecimalField(
        _("own rate"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Empty: the unit is exempt for these dates."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit fee exception")
        verbose_name_plural = _("unit fee exceptions")
        ordering = ["unit", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | Q(rate__gt=0),
                name="unitfeeexception_rate_positive",
                violation_error_message=_("A rate must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="unitfeeexception_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.standard_id} {self.rate or '-'}"
