"""A resident violation (违章处理记录, spec §11): what was found, who is responsible, the
ladder from dissuasion to a notice, a re-check and a report to an authority, the appeal,
the measures taken and the photos."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Unit

from .types import ViolationType

USER = settings.AUTH_USER_MODEL


class Responsible(models.TextChoices):
    OWNER = "owner", _("Owner")  # 业主
    TENANT = "tenant", _("Tenant")  # 租户
    CONTRACTOR = "contractor", _("Contractor")  # 装修施工方


class Source(models.TextChoices):
    PATROL = "patrol", _("Zone patrol")  # 巡查
    RENOVATION = "renovation", _("Renovation inspection")  # 装修巡查
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    STAFF = "staff", _("Staff")  # 员工发现


class ViolationStatus(models.TextChoices):
    FOUND = "found", _("Found")  # 已发现
    DISSUADED = "dissuaded", _("Dissuaded on site")  # 已现场劝阻
    NOTICED = "noticed", _("Rectification notice issued")  # 已发整改通知
    NOT_CORRECTED = "not_corrected", _("Not corrected at re-check")  # 复查未整改
    ESCALATED = "escalated", _("Second notice or director's letter")  # 再次通知/主任函
    REPORTED = "reported", _("Reported")  # 已上报
    CORRECTED = "corrected", _("Corrected and closed")  # 已整改关闭
    TRANSFERRED = "transferred", _("Closed as transferred")  # 移交关闭
    CANCELLED = "cancelled", _("Cancelled on appeal")  # 申诉撤销


S = ViolationStatus
# The ladder of spec §11: any move not listed here is refused.
VIOLATION_MOVES: dict[str, frozenset[str]] = {
    S.FOUND: frozenset({S.DISSUADED, S.NOTICED, S.CORRECTED, S.REPORTED}),
    S.DISSUADED: frozenset({S.NOTICED, S.CORRECTED}),
    S.NOTICED: frozenset({S.CORRECTED, S.NOT_CORRECTED, S.CANCELLED}),
    S.NOT_CORRECTED: frozenset({S.ESCALATED, S.REPORTED, S.CORRECTED}),
    S.ESCALATED: frozenset({S.CORRECTED, S.REPORTED, S.CANCELLED}),
    S.REPORTED: frozenset({S.TRANSFERRED, S.CORRECTED}),
    S.CORRECTED: frozenset(),
    S.TRANSFERRED: frozenset(),
    S.CANCELLED: frozenset(),
}
OPEN_STATUSES = (S.FOUND, S.DISSUADED, S.NOTICED, S.NOT_CORRECTED, S.ESCALATED, S.REPORTED)
CLOSED_STATUSES = (S.CORRECTED, S.TRANSFERRED, S.CANCELLED)
# A notice is out and its deadline runs: what the re-check list holds.
AWAITING_RECHECK = (S.NOTICED, S.ESCALATED)


class Authority(models.TextChoices):
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")  # 业委会
    URBAN_MANAGEMENT = "urban_management", _("Urban management")  # 城管
    PLANNING = "planning", _("Planning bureau")  # 规划
    HOUSING = "housing", _("Housing bureau")  # 房管
    POLICE = "police", _("Police")  # 公安
    FIRE = "fire", _("Fire brigade")  # 消防


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("Upheld")  # 维持
    MODIFIED = "modified", _("Modified")  # 变更
    CANCELLED = "cancelled", _("Cancelled")  # 撤销


class ViolationQuerySet(CommunityScopedQuerySet):
    def open(self) -> ViolationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_recheck(self) -> ViolationQuerySet:
        return self.filter(status__in=AWAITING_RECHECK)


class Violation(TimeStampedModel):
    """One resident violation, from its finding to its closure."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    number = models.CharField(_("number"), max_length=30)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    kind = models.ForeignKey(
        ViolationType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    description = models.TextField(_("description"), max_length=2000)
    location = models.CharField(_("location"), max_length=100, blank=True)
    responsible = models.CharField(_("person responsible"), max_length=12, choices=Responsible)
    person_name = models.CharField(_("name of the person responsible"), max_length=50, blank=True)
    source = models.CharField(pgettext_lazy("violation", "source"), max_length=12, choices=Source)
    source_ref = models.CharField(_("source reference"), max_length=40, blank=True)
    rule = models.CharField(_("rule breached"), max_length=200, blank=True)
    predates_office = models.BooleanField(_("predates the management office"), default=False)
    found_at = models.DateTimeField(pgettext_lazy("violation", "found at"))
    found_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("violation", "found by"),
    )
    status = models.CharField(_("status"), max_length=14, choices=S, default=S.FOUND)
    on_site_action = models.TextField(_("action taken on site"), max_length=2000, blank=True)
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    rechecked_on = models.DateField(_("re-checked on"), null=True, blank=True)
    recheck_note = models.TextField(_("re-check result"), max_length=2000, blank=True)
    reported_to = models.CharField(_("reported to"), max_length=20, choices=Authority, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_contact = models.CharField(_("who received it"), max_length=50, blank=True)
    reported_ref = models.CharField(_("their reference"), max_length=60, blank=True)
    appeal_on = models.DateField(_("appealed on"), null=True, blank=True)
    appeal_grounds = models.TextField(_("grounds of the appeal"), max_length=2000, blank=True)
    appeal_decision = models.CharField(
        _("appeal decision"), max_length=10, choices=AppealDecision, blank=True
    )
    appeal_note = models.TextField(_("reasons of the decision"), max_length=2000, blank=True)
    appeal_decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    corrected_on_time = models.BooleanField(_("corrected by the deadline"), null=True, blank=True)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-found_at", "-pk"]
        permissions = [
            ("escalate_violation", _("Can escalate and report a violation")),
            ("decide_violation_appeal", _("Can decide a violation appeal")),
            ("view_violation_kpis", _("Can view the violation KPIs")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=S.values), name="violation_known_status"),
            models.CheckConstraint(
                condition=Q(responsible__in=Responsible.values),
                name="violation_known_responsible",
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="violation_known_source"
            ),
            models.UniqueConstraint(
                fields=["community", "number"],
                name="violation_unique_number",
                violation_error_message=_("This violation number is already used."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "deadline"], name="violation_by_status"),
            models.Index(fields=["community", "found_at"], name="violation_by_found"),
            models.Index(fields=["unit", "found_at"], name="violation_by_unit"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("violations:violation-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ViolationEvent(WorkflowEvent):
    """One step of a violation (found, dissuaded, notice, re-check, report, appeal, closure)."""

    statuses = dict(ViolationStatus.choices)
    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("violation event")
        verbose_name_plural = _("violation events")


def _may_work(user: Any, violation: Violation) -> bool:
    """Staff with the permission; an area manager in the zones they look after (§26)."""
    from guanjia.estates.selectors import can_edit_in_zone

    if not has_perm_in(user, "violations.change_violation", violation.community_id):
        return False
    return can_edit_in_zone(user, violation.community, violation.unit.building.zone_id)


def _may_escalate(user: Any, violation: Violation) -> bool:
    """Second notices, the director's letter and reports: the supervisor (ordinary) and the
    director (major), spec §26."""
    return has_perm_in(user, "violations.escalate_violation", violation.community_id)


def _may_cancel(user: Any, violation: Violation) -> bool:
    return has_perm_in(user, "violations.decide_violation_appeal", violation.community_id)


def _no_measures(violation: Violation) -> str | None:
    """A violation older than the office is recorded and reported, never pursued (§11)."""
    if violation.predates_office:
        return str(_("This violation predates the office: it is recorded and reported only."))
    return None


workflows.register(
    Violation,
    workflows.Transitions(
        moves=VIOLATION_MOVES,
        event_model=ViolationEvent,
        event_object="violation",
        actor=_may_work,
        actors={
            S.ESCALATED: _may_escalate,
            S.REPORTED: _may_escalate,
            S.TRANSFERRED: _may_escalate,
            S.CANCELLED: _may_cancel,
        },
        guards={S.DISSUADED: _no_measures, S.NOTICED: _no_measures, S.ESCALATED: _no_measures},
    ),
)


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("Rectification notice")  # 违章整改通知书
    SECOND = "second", _("Second rectification notice")  # 第二次整改通知书
    DIRECTOR_LETTER = "director_letter", _("Director's letter")  # 管理处主任函


class ViolationNotice(TimeStampedModel):
    """One written notice served for a violation (违章整改通知书), numbered, with the
    resident's signature on receipt or the recorded refusal to sign."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind)
    number = models.CharField(_("number"), max_length=30)
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("rectify by"))
    stop_at_once = models.BooleanField(_("stop work at once"), default=False)
    demand = models.TextField(_("what must be done"), max_length=2000)
    served_to = models.CharField(_("served to"), max_length=50, blank=True)
    signature = models.ImageField(
        _("signature on receipt"), upload_to=RandomName("violations/signatures"), blank=True
    )
    refused_to_sign = models.BooleanField(_("refused to sign"), default=False)
    refusal_note = models.CharField(_("refusal recorded"), max_length=200, blank=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("violation notice")
        verbose_name_plural = _("violation notices")
        ordering = ["issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(signature="") | Q(refused_to_sign=True),
                name="violationnotice_signed_or_refused",
                violation_error_message=_("A notice is signed for, or the refusal is recorded."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("issued_on")),
                name="violationnotice_deadline_after_issue",
                violation_error_message=_("The deadline cannot be before the notice."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class MeasureKind(models.TextChoices):
    """What the office may do (spec §11 note): no fines on residents, never a service cut."""

    PERSUASION = "persuasion", _("Persuasion on site")  # 现场劝阻
    PHONE_OWNER = "phone_owner", _("Owner phoned")  # 电话告知业主
    WRITTEN_NOTICE = "written_notice", _("Written notice")  # 书面通知
    STOP_WORK = "stop_work", _("Work stopped, security assisting")  # 停工(保安协助)
    COMMITTEE = "committee", _("Owners' committee asked for support")  # 请业委会协助
    REPORT = "report", _("Reported to an authority")  # 报有关部门
    OTHER = "other", _("Other")  # 其他


class ViolationMeasure(TimeStampedModel):
    """One measure taken on a violation: what was done, when, by whom."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure"), max_length=16, choices=MeasureKind)
    note = models.CharField(_("note"), max_length=500, blank=True)
    taken_on = models.DateField(_("taken on"))
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("violation measure")
        verbose_name_plural = _("violation measures")
        ordering = ["taken_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeasureKind.values), name="violationmeasure_known_kind"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ViolationPhoto(TimeStampedModel):
    """A photo taken as evidence of a violation."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("violations/photos"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    taken_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("violation photo")
        verbose_name_plural = _("violation photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name or f"photo {self.pk}"
