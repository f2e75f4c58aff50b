"""Quarterly, annual and probation appraisals (季度/年度考评表, spec §24) on the workflow
open → self-assessed (annual and probation) → rated by the supervisor → reviewed by the next
level → confirmed by HR → published → appealed → resolved → closed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.models import Community, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

from .scores import ROLE_CHOICES, Grade, OwnOrTeamQuerySet

USER = settings.AUTH_USER_MODEL
VIEW = "appraisal.view_appraisal"
OPEN_PERM = "appraisal.add_appraisal"
RATE = "appraisal.rate_appraisal"
REVIEW = "appraisal.review_appraisal"
CONFIRM = "appraisal.confirm_appraisal"


class Kind(models.TextChoices):
    QUARTER = "quarter", _("Quarterly appraisal")  # 季度考评
    YEAR = "year", _("Annual appraisal")  # 年度考评
    PROBATION = "probation", _("Probation review")  # 试用期考核


SELF_ASSESSED_KINDS = (Kind.YEAR, Kind.PROBATION)


class Status(models.TextChoices):
    OPEN = "open", _("Open")  # 已开启
    SELF_ASSESSED = "self_assessed", _("Self-assessed")  # 已自评
    RATED = "rated", _("Rated by the supervisor")  # 主管已评
    REVIEWED = "reviewed", _("Reviewed")  # 上级已审
    CONFIRMED = "confirmed", _("Confirmed by HR")  # 人事已确认
    PUBLISHED = "published", _("Published")  # 已公布
    APPEALED = "appealed", _("Appealed")  # 申诉中
    RESOLVED = "resolved", _("Appeal resolved")  # 申诉已处理
    CLOSED = "closed", _("Closed")  # 已关闭


S = Status
APPRAISAL_MOVES: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.SELF_ASSESSED, S.RATED}),
    S.SELF_ASSESSED: frozenset({S.RATED}),
    S.RATED: frozenset({S.REVIEWED}),
    S.REVIEWED: frozenset({S.CONFIRMED}),
    S.CONFIRMED: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset({S.APPEALED, S.CLOSED}),
    S.APPEALED: frozenset({S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Rated or beyond: the grade counts for the quotas and the department average.
GRADED = (S.RATED, S.REVIEWED, S.CONFIRMED, S.PUBLISHED, S.APPEALED, S.RESOLVED, S.CLOSED)


class ProbationOutcome(models.TextChoices):
    CONFIRM = "confirm", _("Confirm employment")  # 转正
    EXTEND = "extend", _("Extend the probation")  # 延长试用期
    TERMINATE = "terminate", _("End the employment")  # 不予录用


class AppraisalQuerySet(OwnOrTeamQuerySet):
    perm = VIEW


class Appraisal(TimeStampedModel):
    """One employee's appraisal for a quarter, a year or the end of probation."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    employee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    role = models.CharField(_("team"), max_length=20, choices=ROLE_CHOICES)
    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=15, choices=Status, default=Status.OPEN)
    base_score = models.DecimalField(
        _("average of the monthly scores"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    parts = models.JSONField(_("months counted"), default=list, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    self_assessment = models.TextField(_("self-assessment"), max_length=4000, blank=True)
    self_assessment_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    disputed_with = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("in dispute with"),
        help_text=_("A rater in dispute with the employee: the next level rates."),
    )
    dispute_reason = models.CharField(_("dispute"), max_length=500, blank=True)
    rater = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_reason = models.CharField(_("why the score differs"), max_length=500, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade, blank=True)
    strengths = models.TextField(_("strengths"), max_length=2000, blank=True)
    improvements = models.TextField(_("points to improve"), max_length=2000, blank=True)
    training_needs = models.TextField(_("training needs"), max_length=2000, blank=True)
    probation_outcome = models.CharField(
        _("probation outcome"), max_length=10, choices=ProbationOutcome, blank=True
    )
    probation_until = models.DateField(_("probation extended until"), null=True, blank=True)
    reviewer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    appeal_until = models.DateField(_("appeal until"), null=True, blank=True)
    appeal_grounds = models.TextField(_("grounds of appeal"), max_length=2000, blank=True)
    appeal_result = models.TextField(_("appeal decision"), max_length=2000, blank=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-period_end", "employee_id"]
        permissions = [
            ("rate_appraisal", _("Can rate an appraisal")),
            ("review_appraisal", _("Can review an appraisal (next level)")),
            ("confirm_appraisal", _("Can confirm, publish and decide appeals of appraisals")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="appraisal_known_status"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="appraisal_kind"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="appraisal_period"
            ),
            models.UniqueConstraint(
                fields=["community", "employee", "kind", "period_start"],
                name="appraisal_once",
                violation_error_message=_("This employee already has this appraisal."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="appraisal_by_status"),
            models.Index(fields=["community", "kind", "period_end"], name="appraisal_by_period"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_kind_display()} {self.period_start:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("appraisal:appraisal-detail", args=[self.pk])

    @property
    def needs_self_assessment(self) -> bool:
        return self.kind in SELF_ASSESSED_KINDS


class AppraisalEvent(WorkflowEvent):
    """One step of an appraisal."""

    statuses = dict(Status.choices)
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("appraisal event")
        verbose_name_plural = _("appraisal events")


def _is_employee(user: Any, obj: Appraisal) -> bool:
    return user is not None and user.pk == obj.employee_id


def _may_rate(user: Any, obj: Appraisal) -> bool:
    """A rater in the community; the service says why a rater is refused (oneself, a
    dispute, the limits of an excellent grade)."""
    return user is not None and has_perm_in(user, RATE, obj.community_id)


def _may_review(user: Any, obj: Appraisal) -> bool:
    """The next level: never the rater nor the employee (spec §26 rule 1)."""
    return (
        user is not None
        and user.pk not in (obj.rater_id, obj.employee_id)
        and has_perm_in(user, REVIEW, obj.community_id)
    )


def _hr(user: Any, obj: Appraisal) -> bool:
    return (
        user is not None
        and user.pk != obj.employee_id
        and has_perm_in(user, CONFIRM, obj.community_id)
    )


def _hr_or_system(user: Any, obj: Appraisal) -> bool:
    return user is None or _hr(user, obj)


def _self_assessment_needed(obj: Appraisal) -> str | None:
    if obj.needs_self_assessment and obj.status == Status.OPEN:
        return str(_("The employee's self-assessment comes first."))
    return None


workflows.register(
    Appraisal,
    workflows.Transitions(
        moves=APPRAISAL_MOVES,
        event_model=AppraisalEvent,
        event_object="appraisal",
        actor=_hr,
        actors={
            S.SELF_ASSESSED: _is_employee,
            S.RATED: _may_rate,
            S.REVIEWED: _may_review,
            S.APPEALED: _is_employee,
            S.CLOSED: _hr_or_system,
        },
        guards={S.RATED: _self_assessment_needed},
    ),
)
