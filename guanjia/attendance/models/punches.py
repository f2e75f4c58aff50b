"""Punches (打卡, spec §22): from the attendance machine's export, recorded on the web at the
post, or a missing punch explained and approved by the supervisor (补卡)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import ApprovalFields, WorkflowEvent

from ._common import is_employee, perm_rule


class PunchSource(models.TextChoices):
    MACHINE = "machine", _("Attendance machine")  # 考勤机
    WEB = "web", _("On the web at the post")  # 网页打卡
    EXPLAINED = "explained", _("Missing punch approved")  # 补卡


class Punch(models.Model):
    """One clock-in or clock-out: a moment, nothing more (attendance reads in and out from
    the roster). The same moment twice for one person is one punch."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    at = models.DateTimeField(_("punched at"))
    source = models.CharField(_("source"), max_length=10, choices=PunchSource)
    batch_id = models.PositiveBigIntegerField(_("import batch"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("punch")
        verbose_name_plural = _("punches")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "at"],
                name="punch_once",
                violation_error_message=_("This punch is already recorded."),
            )
        ]
        indexes = [models.Index(fields=["community", "at"], name="punch_by_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class PunchColumns(TimeStampedModel):
    """How a community's attendance machine names its export's columns (mapped once)."""

    community = models.OneToOneField(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    staff_no = models.CharField(_("staff number column"), max_length=40, default="工号")
    punched_at = models.CharField(
        _("date and time column"),
        max_length=40,
        blank=True,
        default="打卡时间",
        help_text=_("One column with the date and the time; leave empty when they are apart."),
    )
    date = models.CharField(_("date column"), max_length=40, blank=True)
    time = models.CharField(_("time column"), max_length=40, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("punch file columns")
        verbose_name_plural = _("punch file columns")


class MissingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REQUESTED = "requested", _("Awaiting the supervisor")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


M = MissingStatus
MISSING_MOVES: dict[str, frozenset[str]] = {
    M.DRAFT: frozenset({M.REQUESTED}),
    M.REQUESTED: frozenset({M.APPROVED, M.REJECTED}),
    M.APPROVED: frozenset(),
    M.REJECTED: frozenset(),
}


class MissingPunch(ApprovalFields, TimeStampedModel):
    """A punch the employee forgot, explained (补卡说明); approved, it counts as a punch."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    at = models.DateTimeField(_("should have punched at"))
    explanation = models.CharField(_("explanation"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=M, default=M.DRAFT)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("missing punch")
        verbose_name_plural = _("missing punches")
        ordering = ["-at", "-pk"]
        permissions = [("approve_missingpunch", _("Can approve a missing punch"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=M.values),
                name="missingpunch_known_status",
                violation_error_message=_("Unknown status."),
            )
        ]
        indexes = [models.Index(fields=["community", "status"], name="missing_by_status")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("attendance:missing-detail", args=[self.pk])


class MissingPunchEvent(WorkflowEvent):
    statuses = dict(MissingStatus.choices)

    missing = models.ForeignKey(
        MissingPunch,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("missing punch"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("missing punch event")
        verbose_name_plural = _("missing punch events")


workflows.register(
    MissingPunch,
    workflows.Transitions(
        moves=MISSING_MOVES,
        event_model=MissingPunchEvent,
        event_object="missing",
        actor=is_employee,
        approval=workflows.Approvals(
            requested=M.REQUESTED,
            approved=M.APPROVED,
            rejected=M.REJECTED,
            may_decide=perm_rule("attendance.approve_missingpunch"),
        ),
    ),
)
