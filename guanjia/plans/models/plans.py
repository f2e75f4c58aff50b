"""Work plans (月度/年度工作计划, spec §02): written by the supervisor, submitted to the
director, approved or returned with comments, carried out item by item, summarised and
archived. Each item has an owner, a due date, how much of it is done and a note."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import ApprovalFields, WorkflowEvent

USER = settings.AUTH_USER_MODEL
WRITE = "plans.change_workplan"
APPROVE = "plans.approve_workplan"


class PlanKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly work plan")  # 月度工作计划
    ANNUAL = "annual", _("Annual work plan")  # 年度工作计划


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Submitted to the director")  # 已报主任
    APPROVED = "approved", _("Approved")  # 已批准
    IN_PROGRESS = "in_progress", _("In progress")  # 执行中
    SUMMARISED = "summarised", _("Summarised")  # 已总结
    ARCHIVED = "archived", _("Archived")  # 已归档


P = PlanStatus
# The whole workflow of spec §02: any move not listed here is refused. A plan the director
# returns goes back to draft with the comments.
PLAN_MOVES: dict[str, frozenset[str]] = {
    P.DRAFT: frozenset({P.SUBMITTED}),
    P.SUBMITTED: frozenset({P.APPROVED, P.DRAFT}),
    P.APPROVED: frozenset({P.IN_PROGRESS}),
    P.IN_PROGRESS: frozenset({P.SUMMARISED}),
    P.SUMMARISED: frozenset({P.ARCHIVED}),
    P.ARCHIVED: frozenset(),
}
# Plans whose items count in the completion rate: the director approved them.
COUNTED_STATUSES = (P.APPROVED, P.IN_PROGRESS, P.SUMMARISED, P.ARCHIVED)
EDITABLE_STATUSES = (P.DRAFT,)
# Items' progress is recorded while the plan is carried out.
PROGRESS_STATUSES = (P.APPROVED, P.IN_PROGRESS)


class WorkPlanQuerySet(CommunityScopedQuerySet):
    def counted(self) -> WorkPlanQuerySet:
        return self.filter(status__in=COUNTED_STATUSES)


class WorkPlan(ApprovalFields, TimeStampedModel):
    """One monthly or annual work plan of a community's customer service centre."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind)
    period = models.DateField(
        _("period"), help_text=_("The first day of the month (or of the year) planned.")
    )
    title = models.CharField(_("title"), max_length=100)
    goals = models.TextField(_("goals"), max_length=4000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=P, default=P.DRAFT)
    author = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    summary = models.TextField(_("summary of what was done"), max_length=4000, blank=True)

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-period", "kind", "-pk"]
        permissions = [("approve_workplan", _("Can approve a work plan"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=P.values), name="workplan_known_status"),
            models.CheckConstraint(
                condition=Q(kind__in=PlanKind.values), name="workplan_known_kind"
            ),
            models.UniqueConstraint(
                fields=["community", "kind", "period"],
                name="workplan_one_per_period",
                violation_error_message=_("This community already has a plan for that period."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "period"], name="workplan_by_status")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.kind == PlanKind.ANNUAL:
            return f"{self.period:%Y}"
        return f"{self.period:%Y-%m}"


class PlanEvent(WorkflowEvent):
    """One step of a work plan (written, submitted, approved or returned, carried out,
    summarised, archived)."""

    statuses = dict(PlanStatus.choices)
    plan = models.ForeignKey(WorkPlan, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("work plan event")
        verbose_name_plural = _("work plan events")


class PlanItemQuerySet(CommunityScopedQuerySet):
    community_lookup = "plan__community"


class PlanItem(TimeStampedModel):
    """One item of a work plan: what, who, by when, how much is done."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(_("item"), max_length=200)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    done_pct = models.PositiveSmallIntegerField(
        _("done (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_pct__lte=100),
                name="planitem_done_pct_at_most_100",
                violation_error_message=_("Done is a percentage from 0 to 100."),
            )
        ]
        indexes = [models.Index(fields=["due_on", "owner"], name="planitem_by_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_pct >= 100

    @property
    def community(self) -> Community:
        return self.plan.community

    @property
    def community_id(self) -> int:
        return self.plan.community_id

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


def _may_write(user: Any, plan: WorkPlan) -> bool:
    """The supervisor (or the acting one, whose membership grants the role for the period)."""
    return has_perm_in(user, WRITE, plan.community_id)


def _may_approve(user: Any, plan: WorkPlan) -> bool:
    """The director of the community (or the acting director); the author is refused by the
    approval mechanism itself (own_request)."""
    return has_perm_in(user, APPROVE, plan.community_id)


workflows.register(
    WorkPlan,
    workflows.Transitions(
        moves=PLAN_MOVES,
        event_model=PlanEvent,
        event_object="plan",
        actor=_may_write,
        actors={P.APPROVED: _may_approve},
        approval=workflows.Approvals(
            requested=P.SUBMITTED,
            approved=P.APPROVED,
            rejected=P.DRAFT,
            may_decide=_may_approve,
            reason_required=True,
        ),
    ),
)
