"""A renovation (装修, spec §16) from application to deposit refund: its scope items (§17),
plans, workers, fees, site inspections and the deposit refund with its deductions."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import ApprovalFields, WorkflowEvent
from guanjia.estates.models import Unit, Zone

from .contractors import Contractor

USER = settings.AUTH_USER_MODEL


class WorksKind(models.TextChoices):
    FULL = "full", _("Renovation")  # 装修
    MINOR = "minor", _("Minor works (painting, furniture)")  # 简易装修


class ApplicantKind(models.TextChoices):
    OWNER = "owner", _("Owner")  # 业主
    TENANT = "tenant", _("Tenant with the owner's consent")  # 租户(业主同意)


class ScopeItem(models.TextChoices):
    """The item list of the application form (§17)."""

    WALLS = "walls", _("Walls")  # 墙面
    FLOORS = "floors", _("Floors")  # 地面
    CEILINGS = "ceilings", _("Ceilings")  # 吊顶
    ELECTRICAL = "electrical", _("Electrical")  # 电气
    PLUMBING = "plumbing", _("Plumbing")  # 给排水
    KITCHEN = "kitchen", _("Kitchen")  # 厨房
    BATHROOM = "bathroom", _("Bathroom")  # 卫生间
    BALCONY = "balcony", _("Balcony")  # 阳台
    DOORS_WINDOWS = "doors_windows", _("Doors and windows")  # 门窗
    AIR_CON = "air_con", _("Air-conditioning")  # 空调
    GRILLES = "grilles", _("Security grilles")  # 防盗网
    STRUCTURE = "structure", _("Load-bearing structure")  # 结构改动
    FACADE = "facade", _("Façade or external openings")  # 外立面
    OTHER = "other", _("Other")  # 其他


# Items that need design or authority documents and the director's approval (§16 step 2).
SPECIAL_ITEMS = frozenset({ScopeItem.STRUCTURE, ScopeItem.FACADE})


class RenoStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")  # 已申请
    UNDER_REVIEW = "under_review", _("Under review")  # 审核中
    NEEDS_CHANGES = "needs_changes", _("Needs changes")  # 需修改
    REJECTED = "rejected", _("Rejected")  # 不予批准
    APPROVED = "approved", _("Approved")  # 已批准
    FEES_PAID = "fees_paid", _("Fees paid")  # 已交费
    PERMIT_ISSUED = "permit_issued", _("Permit issued")  # 已发证
    IN_PROGRESS = "in_progress", _("In progress")  # 施工中
    SUSPENDED = "suspended", _("Suspended")  # 停工
    EXTENDED = "extended", _("Extended")  # 已延期
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")  # 申请验收
    ACCEPTANCE_FAILED = "acceptance_failed", _("Acceptance failed")  # 验收不合格
    INITIAL_ACCEPTED = "initial_accepted", _("Initially accepted")  # 初验合格
    OBSERVATION = "observation", _("Observation")  # 观察期
    FINAL_ACCEPTED = "final_accepted", _("Finally accepted")  # 终验合格
    DEDUCTION = "deduction", _("Deposit deducted")  # 扣款
    DEPOSIT_REFUNDED = "deposit_refunded", _("Deposit refunded")  # 押金已退
    CLOSED = "closed", _("Closed")  # 已结案


S = RenoStatus
WORKING = frozenset({S.IN_PROGRESS, S.EXTENDED})
RENO_MOVES: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.NEEDS_CHANGES, S.REJECTED, S.APPROVED}),
    S.NEEDS_CHANGES: frozenset({S.UNDER_REVIEW}),
    S.REJECTED: frozenset(),
    S.APPROVED: frozenset({S.FEES_PAID}),
    S.FEES_PAID: frozenset({S.PERMIT_ISSUED}),
    S.PERMIT_ISSUED: frozenset({S.IN_PROGRESS, S.SUSPENDED}),
    S.IN_PROGRESS: frozenset({S.SUSPENDED, S.EXTENDED, S.COMPLETION_REQUESTED}),
    S.EXTENDED: frozenset({S.SUSPENDED, S.EXTENDED, S.COMPLETION_REQUESTED}),
    S.SUSPENDED: frozenset({S.IN_PROGRESS}),
    S.COMPLETION_REQUESTED: frozenset({S.INITIAL_ACCEPTED, S.ACCEPTANCE_FAILED}),
    S.ACCEPTANCE_FAILED: frozenset({S.COMPLETION_REQUESTED}),
    S.INITIAL_ACCEPTED: frozenset({S.OBSERVATION}),
    S.OBSERVATION: frozenset({S.FINAL_ACCEPTED}),
    S.FINAL_ACCEPTED: frozenset({S.DEPOSIT_REFUNDED, S.DEDUCTION}),
    S.DEDUCTION: frozenset({S.CLOSED}),
    S.DEPOSIT_REFUNDED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Sites the area managers inspect (§16 step 6).
ACTIVE = (S.PERMIT_ISSUED, S.IN_PROGRESS, S.EXTENDED, S.SUSPENDED)
IN_REVIEW = (S.APPLIED, S.UNDER_REVIEW)


def new_token() -> str:
    """The permit's public token (the QR code on the door): unguessable, never an id."""
    return secrets.token_urlsafe(24)


class RenovationQuerySet(CommunityScopedQuerySet):
    def active(self) -> RenovationQuerySet:
        return self.filter(status__in=ACTIVE)

    def review_overdue(self, *, on: Any) -> RenovationQuerySet:
        return self.filter(status__in=IN_REVIEW, review_due_on__lt=on)

    def inspection_due(self, *, on: Any) -> RenovationQuerySet:
        return self.filter(status__in=ACTIVE, next_inspection_on__lte=on)


class Renovation(TimeStampedModel):
    """One renovation of one unit (装修申请/审批表)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    number = models.CharField(_("no."), max_length=30)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("zone")
    )
    kind = models.CharField(_("type"), max_length=10, choices=WorksKind, default=WorksKind.FULL)
    applicant_kind = models.CharField(_("applicant"), max_length=10, choices=ApplicantKind)
    applicant_name = models.CharField(_("applicant's name"), max_length=50)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=30)
    owner_consent = models.CharField(
        _("owner's consent"),
        max_length=200,
        blank=True,
        help_text=_("For a tenant: how the owner consented (letter, signed form, call)."),
    )
    contractor = models.ForeignKey(
        Contractor,
        on_delete=models.PROTECT,
        related_name="renovations",
        verbose_name=_("contractor"),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    special = models.BooleanField(_("structural or façade items"), default=False)
    status = models.CharField(_("status"), max_length=24, choices=RenoStatus, default=S.APPLIED)
    review_due_on = models.DateField(_("reply due on"))
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    csc_opinion = models.TextField(_("CSC opinion"), max_length=2000, blank=True)
    csc_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    engineering_opinion = models.TextField(_("engineering opinion"), max_length=2000, blank=True)
    engineering_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conditions = models.TextField(_("conditions"), max_length=2000, blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    permit_token = models.CharField(_("permit token"), max_length=40, default=new_token)
    permit_issued_on = models.DateField(_("permit issued on"), null=True, blank=True)
    next_inspection_on = models.DateField(_("next inspection due"), null=True, blank=True)
    completion_requested_on = models.DateField(_("completion requested on"), null=True, blank=True)
    acceptance_attempts = models.PositiveSmallIntegerField(_("acceptance inspections"), default=0)
    initial_accepted_on = models.DateField(_("initially accepted on"), null=True, blank=True)
    refund_due_on = models.DateField(_("refund due on"), null=True, blank=True)
    leak_check_on = models.DateField(_("leak observation ends on"), null=True, blank=True)
    final_accepted_on = models.DateField(_("finally accepted on"), null=True, blank=True)

    objects = RenovationQuerySet.as_manager()

    class Meta:
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("review_renovation", _("Can review renovation applications (CSC)")),
            ("engineering_review", _("Can give the engineering opinion and accept works")),
            ("approve_special", _("Can approve structural or façade renovation items")),
            ("issue_permit", _("Can issue renovation permits")),
            ("inspect_renovation", _("Can inspect renovation sites")),
            ("request_refund", _("Can request a renovation deposit refund")),
            ("decide_refund", _("Can approve renovation deposit refunds and deductions")),
            ("pay_refund", _("Can pay out a renovation deposit refund")),
            ("view_renovation_kpis", _("Can view the renovation KPIs")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RenoStatus.values), name="renovation_known_status"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="renovation_end_after_start",
                violation_error_message=_("The planned end is before the planned start."),
            ),
            models.UniqueConstraint(fields=["permit_token"], name="renovation_unique_permit_token"),
            models.UniqueConstraint(
                fields=["community", "number"], name="renovation_unique_number"
            ),
        ]
        indexes = [
            models.Index(
                fields=["community", "status", "next_inspection_on"], name="reno_by_inspection"
            ),
            models.Index(fields=["community", "status", "review_due_on"], name="reno_by_review"),
            models.Index(fields=["zone", "next_inspection_on"], name="reno_by_zone_inspection"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.unit.room_code}"

    def get_absolute_url(self) -> str:
        return reverse("renovation:renovation-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def current_end(self) -> Any:
        last = self.extensions.order_by("-pk").first()
        return last.new_end if last is not None else self.planned_end


class RenovationEvent(WorkflowEvent):
    statuses = dict(RenoStatus.choices)
    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("renovation event")
        verbose_name_plural = _("renovation events")


def _perm(name: str) -> Any:
    def rule(user: Any, obj: Any) -> bool:
        return has_perm_in(user, f"renovation.{name}", obj.community_id)

    return rule


_may_review = _perm("review_renovation")
_may_issue = _perm("issue_permit")
_may_inspect = _perm("inspect_renovation")
_may_accept = _perm("engineering_review")
_may_refund = _perm("pay_refund")


def _may_approve(user: Any, obj: Renovation) -> bool:
    """Ordinary works: the CSC supervisor; structural or façade items: the director."""
    if obj.special:
        return has_perm_in(user, "renovation.approve_special", obj.community_id)
    return bool(_may_review(user, obj))


def _may_apply(user: Any, obj: Renovation) -> bool:
    return has_perm_in(user, "renovation.add_renovation", obj.community_id)


workflows.register(
    Renovation,
    workflows.Transitions(
        moves=RENO_MOVES,
        event_model=RenovationEvent,
        event_object="renovation",
        actor=_may_review,
        actors={
            S.UNDER_REVIEW: lambda u, o: _may_review(u, o) or _may_apply(u, o),
            S.APPROVED: _may_approve,
            S.REJECTED: _may_approve,
            S.FEES_PAID: lambda u, o: (
                _may_issue(u, o) or has_perm_in(u, "renovation.view_renovation", o.community_id)
            ),
            S.PERMIT_ISSUED: _may_issue,
            S.IN_PROGRESS: lambda u, o: _may_inspect(u, o) or _may_issue(u, o),
            S.SUSPENDED: _may_inspect,
            S.EXTENDED: _may_issue,
            S.COMPLETION_REQUESTED: lambda u, o: _may_apply(u, o) or _may_review(u, o),
            S.INITIAL_ACCEPTED: _may_accept,
            S.ACCEPTANCE_FAILED: _may_accept,
            S.OBSERVATION: _may_accept,
            S.FINAL_ACCEPTED: _may_accept,
            S.DEPOSIT_REFUNDED: _may_refund,
            S.DEDUCTION: _may_refund,
            S.CLOSED: _may_refund,
        },
    ),
)


class ScopeLine(models.Model):
    """One item of the application's scope with its description."""

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("item"), max_length=16, choices=ScopeItem)
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        verbose_name = _("renovation item")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["renovation", "item"], name="scopeline_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.description}"


class PlanKind(models.TextChoices):
    LAYOUT = "layout", _("Layout plan")  # 平面布置图
    ELECTRICAL = "electrical", _("Electrical routing")  # 电路走向图
    PLUMBING = "plumbing", _("Plumbing")  # 给排水图
    DESIGN = "design", _("Structural design")  # 结构设计
    AUTHORITY = "authority", _("Authority approval")  # 主管部门批准
    LICENCE = "licence", _("Contractor's licence copy")  # 施工单位执照
    CONSENT = "consent", _("Owner's written consent")  # 业主同意书
    OTHER = "other", _("Other")  # 其他


class Plan(TimeStampedModel):
    """A plan, drawing or supporting document (PDF or picture)."""

    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind)
    file = models.FileField(_("file"), upload_to=RandomName("renovation/plans"))
    original_name = models.CharField(_("file name"), max_length=200)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("renovation plan")
        ordering = ["pk"]


class Worker(TimeStampedModel):
    """One worker of the contractor on this site (装修人员登记表)."""

    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="workers")
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    photo = models.ImageField(_("photo"), upload_to=RandomName("renovation/workers"))
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("renovation worker")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["renovation", "id_number"],
                name="worker_once_per_site",
                violation_error_message=_("This worker is already on the list."),
            )
        ]


class FeeKind(models.TextChoices):
    DEPOSIT_OWNER = "deposit_owner", _("Owner's renovation deposit")  # 装修押金
    DEPOSIT_CONTRACTOR = "deposit_contractor", _("Contractor's deposit")  # 施工押金
    DEBRIS = "debris", _("Debris removal fee")  # 垃圾清运费
    MANAGEMENT = "management", _("Renovation management fee")  # 装修管理费
    EXTENSION = "extension", _("Extension fee")  # 延期费
    SHORTFALL = "shortfall", _("Deduction beyond the deposits")  # 押金不足部分


DEPOSITS = (FeeKind.DEPOSIT_CONTRACTOR, FeeKind.DEPOSIT_OWNER)  # deducted in this order


class Fee(TimeStampedModel):
    """A fee or deposit charged to the unit's account through billing."""

    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="fees")
    kind = models.CharField(_("kind"), max_length=20, choices=FeeKind)
    amount = MoneyField(_("amount"))
    reference = models.CharField(_("billing reference"), max_length=60)
    fee_item = models.ForeignKey("billing.FeeItem", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("renovation fee")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="renovationfee_unique_reference")
        ]


class Extension(TimeStampedModel):
    """An extension of the permit before it expires (延期申请表)."""

    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="extensions")
    old_end = models.DateField(_("original end"))
    new_end = models.DateField(_("requested end"))
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("renovation extension")
        ordering = ["pk"]


class Outcome(models.TextChoices):
    OK = "ok", _("No breach")  # 正常
    BREACH = "breach", _("Breach: rectify")  # 违规整改
    STOP = "stop", _("Serious breach: stop work")  # 严重违规停工
    NOBODY = "nobody", _("Nobody on site")  # 无人施工
    REFUSED = "refused", _("Refused entry")  # 拒绝检查


class CheckItem(models.TextChoices):
    """The focus list of the site inspection (§16 step 6)."""

    GAS = "gas", _("Gas pipes or meters moved")
    FLUES = "flues", _("Flues or vent shafts removed")
    BALCONY = "balcony", _("Balcony enclosed")
    GRILLES = "grilles", _("External grilles added")
    RAILINGS = "railings", _("Original railings removed")
    DOOR = "door", _("Entrance door moved into the corridor")
    HEATING = "heating", _("Radiators or floor heating altered")
    PIPES = "pipes", _("Supply or drain pipes buried or moved")
    BATHROOM = "bathroom", _("Bathroom enlarged")
    STRUCTURE = "structure", _("Load-bearing structure altered")
    ROOF = "roof", _("Solar heater on the roof")
    HOURS = "hours", _("Working outside the permitted hours")
    EXTINGUISHER = "extinguisher", _("No fire extinguisher on site")
    DEBRIS = "debris", _("Debris not bagged")
    PROTECTION = "protection", _("No floor protection")
    WORKERS = "workers", _("Unregistered workers")


class Inspection(TimeStampedModel):
    """One site inspection (装修巡查记录表)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="inspections")
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    breaches = models.JSONField(_("breaches"), default=list, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    instruction = models.CharField(_("instruction given"), max_length=500, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("site inspection")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["community", "on"], name="inspection_by_day")]


class InspectionPhoto(TimeStampedModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("renovation/inspections"))

    class Meta:
        verbose_name = _("inspection photo")
        ordering = ["pk"]


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回
    PAID = "paid", _("Refunded")  # 已退款


REFUND_MOVES: dict[str, frozenset[str]] = {
    RefundStatus.REQUESTED: frozenset({RefundStatus.APPROVED, RefundStatus.REJECTED}),
    RefundStatus.REJECTED: frozenset({RefundStatus.REQUESTED}),
    RefundStatus.APPROVED: frozenset({RefundStatus.PAID}),
    RefundStatus.PAID: frozenset(),
}


class DepositRefund(ApprovalFields, TimeStampedModel):
    """The deposit refund request with its deductions (押金退还申请 / 扣款清单): the
    contractor's deposit bears the deductions first, then the owner's; what they do not
    cover is charged to the unit. `amount` is the net refund."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    renovation = models.OneToOneField(Renovation, on_delete=models.PROTECT, related_name="refund")
    status = models.CharField(
        _("status"), max_length=10, choices=RefundStatus, default=RefundStatus.REQUESTED
    )
    held_contractor = MoneyField(_("contractor's deposit held"))
    held_owner = MoneyField(_("owner's deposit held"))
    deducted = MoneyField(_("deductions"))
    refund_contractor = MoneyField(_("refund to the contractor"))
    refund_owner = MoneyField(_("refund to the owner"))
    shortfall = MoneyField(_("shortfall charged to the unit"))
    payee = models.CharField(_("payee"), max_length=100)
    paid_reference = models.CharField(_("payment voucher no."), max_length=60, blank=True)
    paid_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    appeal = models.TextField(
        _("owner's appeal and the director's answer"), max_length=2000, blank=True
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("deposit refund")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RefundStatus.values), name="depositrefund_known_status"
            ),
            models.CheckConstraint(
                condition=Q(refund_owner__gte=0) & Q(refund_contractor__gte=0) & Q(deducted__gte=0),
                name="depositrefund_no_negative",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("renovation:renovation-detail", args=[self.renovation_id])


class DepositRefundEvent(WorkflowEvent):
    statuses = dict(RefundStatus.choices)
    refund = models.ForeignKey(DepositRefund, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("deposit refund event")


class Deduction(models.Model):
    """One line of the deduction list: what, how much, why."""

    refund = models.ForeignKey(DepositRefund, on_delete=models.CASCADE, related_name="deductions")
    item = models.CharField(_("item"), max_length=100)
    amount = MoneyField(_("amount"))
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("deduction")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_positive")]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"


workflows.register(
    DepositRefund,
    workflows.Transitions(
        moves=REFUND_MOVES,
        event_model=DepositRefundEvent,
        event_object="refund",
        actor=_perm("request_refund"),
        actors={RefundStatus.PAID: _may_refund},
        approval=workflows.Approvals(
            requested=RefundStatus.REQUESTED,
            approved=RefundStatus.APPROVED,
            rejected=RefundStatus.REJECTED,
            may_decide=_perm("decide_refund"),
        ),
    ),
)
