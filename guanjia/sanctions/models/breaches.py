"""A breach by a non-resident (人员违规处理记录, spec §19): reported, verified with evidence and
the person identified by pass number, a sanction decided, the contractor and the owner told
(signature or refusal), executed, closed; an appeal within the policy's days goes to the
director and holds what it disputes."""

from __future__ import annotations

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
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Unit
from guanjia.passes.models import Pass
from guanjia.renovation.models import Contractor, ContractorBan, Renovation

from .table import MeasureFields, SanctionType

USER = settings.AUTH_USER_MODEL


class PersonKind(models.TextChoices):
    WORKER = "worker", _("Renovation worker")  # 装修工人
    CONTRACTOR = "contractor", _("Contractor's staff")  # 施工单位人员
    SUPPLIER = "supplier", _("Supplier")  # 供应商
    VENDOR = "vendor", _("Delivery or vendor staff")  # 送货/推销人员
    HELPER = "helper", _("Domestic helper")  # 家政人员
    VISITOR = "visitor", _("Visitor")  # 访客
    OTHER = "other", _("Other")  # 其他


class Source(models.TextChoices):
    GUARD = "guard", _("Guard")  # 保安
    MANAGER = "manager", _("Manager")  # 管理员
    RESIDENT = "resident", _("Resident's report")  # 住户反映
    CCTV = "cctv", _("CCTV found later")  # 监控发现


class BreachStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")  # 已报告
    VERIFIED = "verified", _("Verified")  # 已核实
    DECIDED = "decided", _("Sanction decided")  # 已决定处理
    NOTIFIED = "notified", _("Notified")  # 已告知
    EXECUTED = "executed", _("Executed")  # 已执行
    APPEALED = "appealed", _("Appealed, on hold")  # 申诉中
    CLOSED = "closed", _("Closed")  # 已结案
    CANCELLED = "cancelled", _("Cancelled")  # 已撤销


S = BreachStatus
BREACH_MOVES: dict[str, frozenset[str]] = {
    S.REPORTED: frozenset({S.VERIFIED, S.CANCELLED}),
    S.VERIFIED: frozenset({S.DECIDED, S.CANCELLED}),
    S.DECIDED: frozenset({S.NOTIFIED}),
    S.NOTIFIED: frozenset({S.EXECUTED, S.APPEALED}),
    S.EXECUTED: frozenset({S.CLOSED, S.APPEALED}),
    S.APPEALED: frozenset({S.NOTIFIED, S.EXECUTED, S.CANCELLED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}
OPEN_STATUSES = (S.REPORTED, S.VERIFIED, S.DECIDED, S.NOTIFIED, S.EXECUTED, S.APPEALED)
# A deduction decided but not executed yet, or disputed: the renovation's refund waits.
HELD_STATUSES = (S.DECIDED, S.NOTIFIED, S.APPEALED)


class Party(models.TextChoices):
    CONTRACTOR = "contractor", _("Contractor")  # 施工单位
    OWNER = "owner", _("Owner")  # 业主
    PERSON = "person", _("The person")  # 当事人


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("Upheld")  # 维持
    MODIFIED = "modified", _("Amount changed")  # 变更金额
    CANCELLED = "cancelled", _("Cancelled")  # 撤销


class BreachQuerySet(CommunityScopedQuerySet):
    def open(self) -> BreachQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Breach(MeasureFields, TimeStampedModel):
    """One breach by a non-resident, from its report to its closure."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    number = models.CharField(_("no."), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=S, default=S.REPORTED)
    # Reported
    kind = models.ForeignKey(
        SanctionType, on_delete=models.PROTECT, related_name="+", verbose_name=_("breach")
    )
    occurred_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=100)
    description = models.TextField(_("what happened"), max_length=2000)
    source = models.CharField(_("found by"), max_length=10, choices=Source)
    resident_name = models.CharField(_("resident who reported it"), max_length=50, blank=True)
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    # The person
    person_kind = models.CharField(_("person"), max_length=10, choices=PersonKind)
    person_name = models.CharField(_("name"), max_length=50, blank=True)
    pass_number = models.CharField(_("pass no."), max_length=30, blank=True)
    pass_obj = models.ForeignKey(
        Pass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employer = models.CharField(_("employer or contractor"), max_length=100, blank=True)
    contractor = models.ForeignKey(
        Contractor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contractor"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit worked at"),
    )
    renovation = models.ForeignKey(
        Renovation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("renovation"),
    )
    unidentified = models.BooleanField(_("refused to identify"), default=False)
    no_reentry = models.BooleanField(_("no re-entry"), default=False)
    # Verified
    verified_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verify_note = models.TextField(_("verification"), max_length=2000, blank=True)
    # Decided (the measures come from MeasureFields)
    amount = MoneyField(_("amount"), default=0)
    damage = MoneyField(_("damage to compensate"), default=0)
    decision_note = models.TextField(_("reasons of the decision"), max_length=2000, blank=True)
    ban_proposed = models.BooleanField(_("repeat offender: ban proposed"), default=False)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    # Executed
    executed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    execution_note = models.TextField(_("how it was executed"), max_length=2000, blank=True)
    police_ref = models.CharField(_("police reference"), max_length=60, blank=True)
    ban = models.ForeignKey(
        ContractorBan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Appeal
    appeal_party = models.CharField(_("appealed by"), max_length=10, choices=Party, blank=True)
    appeal_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_grounds = models.TextField(_("grounds of the appeal"), max_length=2000, blank=True)
    appeal_from = models.CharField(max_length=10, choices=S, blank=True)
    appeal_decision = models.CharField(
        _("appeal decision"), max_length=10, choices=AppealDecision, blank=True
    )
    appeal_note = models.TextField(_("reasons of the appeal decision"), max_length=2000, blank=True)
    appeal_decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = BreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("non-resident violation")
        verbose_name_plural = _("non-resident violations")
        ordering = ["-occurred_at", "-pk"]
        permissions = [
            ("decide_breach", _("Can decide a sanction up to the limit")),
            ("decide_major_breach", _("Can decide a sanction above the limit")),
            ("execute_breach", _("Can execute a sanction")),
            ("decide_breach_appeal", _("Can decide a sanction appeal")),
            ("view_breach_kpis", _("Can view the non-resident violation KPIs")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=S.values), name="breach_known_status"),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="breach_known_source"
            ),
            models.CheckConstraint(
                condition=Q(person_kind__in=PersonKind.values), name="breach_known_person"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(damage__gte=0), name="breach_amounts_not_negative"
            ),
            models.UniqueConstraint(
                fields=["community", "number"],
                name="breach_unique_number",
                violation_error_message=_("This record number is already used."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="breach_by_status"),
            models.Index(fields=["community", "occurred_at"], name="breach_by_time"),
            models.Index(fields=["contractor", "occurred_at"], name="breach_by_contractor"),
            models.Index(fields=["renovation"], name="breach_by_renovation"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sanctions:breach-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def deduction(self) -> Any:
        return self.amount + self.damage

    @property
    def appeal_pending(self) -> bool:
        return self.status == S.APPEALED


class BreachEvent(WorkflowEvent):
    """One step of a breach record."""

    statuses = dict(BreachStatus.choices)
    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("non-resident violation event")
        verbose_name_plural = _("non-resident violation events")


class BreachPhoto(TimeStampedModel):
    """A photo taken as evidence."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("sanctions/photos"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    taken_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name or f"photo {self.pk}"


class BreachNotice(TimeStampedModel):
    """The decision told to one party: signed on the screen, or the refusal recorded."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="notices")
    party = models.CharField(_("party"), max_length=10, choices=Party)
    signer = models.CharField(_("name of the signer"), max_length=50)
    signature = models.ImageField(
        _("signature"), upload_to=RandomName("sanctions/signatures"), blank=True
    )
    refused_to_sign = models.BooleanField(_("refused to sign"), default=False)
    refusal_note = models.CharField(_("refusal recorded"), max_length=200, blank=True)
    served_at = models.DateTimeField(_("told at"))
    served_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sanction notice")
        verbose_name_plural = _("sanction notices")
        ordering = ["served_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(signature="") | Q(refused_to_sign=True),
                name="breachnotice_signed_or_refused",
                violation_error_message=_("The party signs, or the refusal is recorded."),
            ),
            models.UniqueConstraint(
                fields=["breach", "party"],
                name="breachnotice_one_per_party",
                violation_error_message=_("This party has already been told."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.signer}"


def _perm(name: str) -> Any:
    def rule(user: Any, breach: Breach) -> bool:
        return has_perm_in(user, f"sanctions.{name}", breach.community_id)

    return rule


def _may_decide(user: Any, breach: Breach) -> bool:
    """The supervisor (the director above the limit, checked by the service); never the
    person who reported it."""
    if getattr(user, "pk", None) == breach.reported_by_id:
        return False
    return has_perm_in(user, "sanctions.decide_breach", breach.community_id)


def _may_leave_appeal(user: Any, breach: Breach) -> bool:
    if breach.status == S.APPEALED:
        return has_perm_in(user, "sanctions.decide_breach_appeal", breach.community_id)
    return True


def _may_execute(user: Any, breach: Breach) -> bool:
    return _may_leave_appeal(user, breach) and _perm("execute_breach")(user, breach)


def _may_notify(user: Any, breach: Breach) -> bool:
    return _may_leave_appeal(user, breach) and _perm("change_breach")(user, breach)


def _may_cancel(user: Any, breach: Breach) -> bool:
    if breach.status == S.APPEALED:
        return has_perm_in(user, "sanctions.decide_breach_appeal", breach.community_id)
    return has_perm_in(user, "sanctions.decide_breach", breach.community_id)


workflows.register(
    Breach,
    workflows.Transitions(
        moves=BREACH_MOVES,
        event_model=BreachEvent,
        event_object="breach",
        actor=_perm("change_breach"),
        actors={
            S.DECIDED: _may_decide,
            S.NOTIFIED: _may_notify,
            S.EXECUTED: _may_execute,
            S.CLOSED: _perm("decide_breach"),
            S.CANCELLED: _may_cancel,
        },
    ),
)
