"""The computed attendance of a day (考勤, spec §22): one row per employee and rostered day,
recomputed from the roster, the punches, the leave and the calendar, never typed in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet
from guanjia.desk.models import Post


class DayResult(models.TextChoices):
    PRESENT = "present", _("Present")  # 出勤
    LATE = "late", _("Late")  # 迟到
    EARLY = "early", _("Left early")  # 早退
    LATE_EARLY = "late_early", _("Late and left early")  # 迟到早退
    HALF_ABSENT = "half_absent", _("Half-day absence")  # 旷工半天
    ABSENT = "absent", _("Absent")  # 旷工
    MISSING = "missing", _("Missing punch")  # 缺卡
    LEAVE = "leave", _("On leave")  # 请假


# Results that are findings (a proposal may be made from them).
FINDINGS = (
    DayResult.LATE,
    DayResult.EARLY,
    DayResult.LATE_EARLY,
    DayResult.HALF_ABSENT,
    DayResult.ABSENT,
    DayResult.MISSING,
)


class AttendanceDay(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    day = models.DateField(_("date"))
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("shift starts"))
    ends_at = models.DateTimeField(_("shift ends"))
    first_in = models.DateTimeField(_("in"), null=True, blank=True)
    last_out = models.DateTimeField(_("out"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=DayResult)
    late_minutes = models.PositiveIntegerField(_("late (minutes)"), default=0)
    early_minutes = models.PositiveIntegerField(_("early (minutes)"), default=0)
    absent_halves = models.PositiveSmallIntegerField(_("absence (half days)"), default=0)
    leave_kind = models.CharField(_("leave type"), max_length=12, blank=True)
    is_working_day = models.BooleanField(_("working day of the calendar"), default=True)
    flagged_to_hr = models.BooleanField(_("flagged to HR"), default=False)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        ordering = ["day", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="attendance_once_a_day")
        ]
        indexes = [models.Index(fields=["community", "day"], name="attendance_by_day")]
        permissions = [
            ("view_all_attendance", _("Can see everyone’s attendance")),
            ("be_rostered", _("Can be rostered and punch in")),
            ("correct_attendance", _("Can correct a submitted attendance sheet")),
            ("view_attendance_kpis", _("Can see the attendance KPIs")),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_result_display()}"

    @property
    def reference(self) -> str:
        """A stable reference of this finding: the same employee and day keep it through
        every recomputation (a proposal links its evidence by it)."""
        return attendance_reference(self.employee_id, self.day)


def attendance_reference(employee_id: int, day: object) -> str:
    return f"att:{employee_id}:{day}"
