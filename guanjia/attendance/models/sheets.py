"""The monthly attendance sheet (考勤表, spec §22): the supervisor submits the month to HR by
`att.report_day` of the next month; submitted, the month is locked (corrections need HR)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

from ._common import perm_rule


class SheetStatus(models.TextChoices):
    OPEN = "open", _("Open")  # 未提交
    SUBMITTED = "submitted", _("Submitted to HR")  # 已提交


SHEET_MOVES: dict[str, frozenset[str]] = {
    SheetStatus.OPEN: frozenset({SheetStatus.SUBMITTED}),
    SheetStatus.SUBMITTED: frozenset({SheetStatus.OPEN}),
}


class AttendanceSheet(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    month = models.DateField(_("month"))  # the first day of the month
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus, default=SheetStatus.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance sheet")
        verbose_name_plural = _("attendance sheets")
        ordering = ["-month", "community_id"]
        permissions = [("submit_attendancesheet", _("Can submit the attendance sheet"))]
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="sheet_once_a_month"),
            models.CheckConstraint(
                condition=Q(status__in=SheetStatus.values),
                name="sheet_known_status",
                violation_error_message=_("Unknown sheet status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("attendance:sheet") + f"?month={self.month:%Y-%m}"


class AttendanceSheetEvent(WorkflowEvent):
    statuses = dict(SheetStatus.choices)

    sheet = models.ForeignKey(
        AttendanceSheet,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("attendance sheet"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("attendance sheet event")
        verbose_name_plural = _("attendance sheet events")


workflows.register(
    AttendanceSheet,
    workflows.Transitions(
        moves=SHEET_MOVES,
        event_model=AttendanceSheetEvent,
        event_object="sheet",
        actor=perm_rule("attendance.submit_attendancesheet"),
        actors={SheetStatus.OPEN: perm_rule("attendance.correct_attendance")},
    ),
)
