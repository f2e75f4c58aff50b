"""Training plans (年度/月度培训计划, spec §21, §02): the supervisor writes the annual plan
by the due day and monthly plans from it; the director approves or returns it with comments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import ApprovalFields, WorkflowEvent

USER = settings.AUTH_USER_MODEL
MANAGE = "training.add_trainingplan"
APPROVE = "training.approve_trainingplan"


class PlanKind(models.TextChoices):
    ANNUAL = "annual", _("Annual training plan")  # 年度培训计划
    MONTHLY = "monthly", _("Monthly training plan")  # 月度培训计划


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Awaiting approval")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准


# The whole workflow: a returned plan goes back to draft with the director's comments.
PLAN_MOVES: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.SUBMITTED}),
    PlanStatus.SUBMITTED: frozenset({PlanStatus.APPROVED, PlanStatus.DRAFT}),
    PlanStatus.APPROVED: frozenset(),
}


class TrainingPlan(ApprovalFields, TimeStampedModel):
    """One annual or monthly training plan of a community (month 0 for an annual plan)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    kind = models.CharField(_("plan"), max_length=10, choices=PlanKind)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0)
    annual = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_plans",
        verbose_name=_("annual plan"),
    )
    title = models.CharField(_("title"), max_length=100)
    topics = models.TextField(_("topics"), max_length=4000)
    target_staff = models.CharField(_("target staff"), max_length=200)
    schedule = models.TextField(_("schedule"), max_length=2000, blank=True)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=200, blank=True)
    assessment_standard = models.CharField(_("assessment standard"), max_length=500, blank=True)
    budget = MoneyField(_("budget"), default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    author = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus, default=PlanStatus.DRAFT
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "-month", "-pk"]
        permissions = [("approve_trainingplan", _("Can approve a training plan"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="trainingplan_known_status"
            ),
            models.CheckConstraint(
                condition=(Q(kind="annual") & Q(month=0))
                | (Q(kind="monthly") & Q(month__gte=1) & Q(month__lte=12)),
                name="trainingplan_month_fits_kind",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="trainingplan_budget_positive"),
            models.UniqueConstraint(
                fields=["community", "kind", "year", "month"],
                name="trainingplan_one_per_period",
                violation_error_message=_("This community has a plan for that period already."),
            ),
        ]
        indexes = [models.Index(fields=["community", "status"], name="trainingplan_by_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.year}" if self.kind == PlanKind.ANNUAL else f"{self.year}-{self.month:02d}"

    def get_absolute_url(self) -> str:
        return reverse("training:plan-detail", args=[self.pk])


class TrainingPlanEvent(WorkflowEvent):
    """One step of a training plan (written, submitted, approved, returned, reminded)."""

    statuses = dict(PlanStatus.choices)
    plan = models.ForeignKey(TrainingPlan, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("training plan event")
        verbose_name_plural = _("training plan events")


def _may_submit(user: Any, plan: TrainingPlan) -> bool:
    return user is not None and has_perm_in(user, MANAGE, plan.community_id)


def _may_approve(user: Any, plan: TrainingPlan) -> bool:
    return user is not None and has_perm_in(user, APPROVE, plan.community_id)


workflows.register(
    TrainingPlan,
    workflows.Transitions(
        moves=PLAN_MOVES,
        event_model=TrainingPlanEvent,
        event_object="plan",
        actor=_may_submit,
        approval=workflows.Approvals(
            requested=PlanStatus.SUBMITTED,
            approved=PlanStatus.APPROVED,
            rejected=PlanStatus.DRAFT,
            may_decide=_may_approve,
            reason_required=True,
        ),
    ),
)
