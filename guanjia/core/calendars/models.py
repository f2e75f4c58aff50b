"""Working calendars: the official holiday schedule, company and community exceptions to it,
and each community's working week and office hours. The clock arithmetic is in selectors.py."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core.models import Community, Company, TimeStampedModel

if TYPE_CHECKING:
    from guanjia.core.access import AnyUser


class Clock(models.TextChoices):
    """How a time limit is measured (spec §0.4 item 2). Other apps store it beside a limit."""

    CALENDAR = "calendar", _("Calendar time")  # 自然时间
    WORKING = "working", _("Working time")  # 工作时间


class ExceptionKind(models.TextChoices):
    """What a dated exception to the working week says about its day."""

    HOLIDAY = "holiday", _("Day off")  # 放假
    WORKDAY = "workday", _("Make-up working day")  # 调休上班


class DayType(models.TextChoices):
    """How a day shows on the calendar, after the working week and every exception."""

    WORKDAY = "workday", _("Working day")  # 工作日
    REST = "rest", _("Rest day")  # 休息日
    HOLIDAY = "holiday", _("Day off")  # 放假（节假日）
    MAKEUP = "makeup", _("Make-up working day")  # 调休上班


class Source(models.TextChoices):
    """Where a day's status comes from; a later entry in this list wins over an earlier one."""

    WEEK = "week", _("Working week")  # 工作周
    OFFICIAL = "official", _("State Council schedule")  # 国务院安排
    COMPANY = "company", _("Whole company")  # 全公司
    COMMUNITY = "community", _("This community")  # 本小区


WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class OfficialHoliday(TimeStampedModel):
    """One day of the State Council's holiday arrangement (国务院办公厅放假安排), shared by
    every company: a day off or a make-up working day."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind)
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_(
            "Not yet confirmed: the State Council has not published this year's arrangement."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("official holiday")
        verbose_name_plural = _("official holidays")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ExceptionKind.values),
                name="officialholiday_kind_known",
                violation_error_message=_("Unknown kind of day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def is_workday(self) -> bool:
        return self.kind == ExceptionKind.WORKDAY


class HolidayQuerySet(models.QuerySet):
    """Exceptions a user may see: those of their communities and company-wide ones of the
    companies those communities belong to."""

    def visible_to(self, user: AnyUser) -> HolidayQuerySet:
        from guanjia.core.access import visible_community_ids

        ids = visible_community_ids(user)
        if ids is None:
            return self.all()
        companies = Community.objects.filter(pk__in=ids).values("company_id")
        return self.filter(Q(community__in=ids) | Q(community__isnull=True, company__in=companies))

    def for_community(self, community: Community) -> HolidayQuerySet:
        """The rows that apply to `community`: its own and its company's company-wide ones."""
        return self.filter(
            Q(community=community) | Q(community__isnull=True, company_id=community.company_id)
        )


class Holiday(TimeStampedModel):
    """An exception to the working week on one date, for one community or (no community) for
    every community of the company: a day off though a weekday, or a make-up working day."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="holidays", verbose_name=_("company")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holidays",
        verbose_name=_("community"),
        help_text=_("Leave empty for every community of the company."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind)
    name = models.CharField(_("name"), max_length=30)
    history = HistoricalRecords()

    objects = HolidayQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "date"],
                condition=Q(community__isnull=True),
                name="holiday_unique_company_date",
                violation_error_message=_("The whole company already has an exception that day."),
            ),
            models.UniqueConstraint(
                fields=["community", "date"],
                condition=Q(community__isnull=False),
                name="holiday_unique_community_date",
                violation_error_message=_("This community already has an exception that day."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ExceptionKind.values),
                name="holiday_kind_known",
                violation_error_message=_("Unknown kind of day."),
            ),
        ]
        indexes = [models.Index(fields=["company", "date"], name="holiday_company_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def is_company_wide(self) -> bool:
        return self.community_id is None


class WorkingScheduleQuerySet(models.QuerySet):
    def for_community(self, community: Community) -> WorkingScheduleQuerySet:
        """The community's own row and its company's default row (at most two)."""
        return self.filter(
            Q(community=community) | Q(community__isnull=True, company_id=community.company_id)
        )


def _afternoon_ok() -> Q:
    both_empty = Q(afternoon_opens__isnull=True, afternoon_closes__isnull=True)
    ordered = Q(
        afternoon_opens__isnull=False,
        afternoon_closes__isnull=False,
        afternoon_opens__gte=models.F("morning_closes"),
        afternoon_closes__gt=models.F("afternoon_opens"),
    )
    return both_empty | ordered


class WorkingSchedule(TimeStampedModel):
    """The working week and office hours of one community, or (no community) the company's
    default for communities without their own. Without any row: Mon–Fri, 08:30–12:00 and
    13:30–17:30."""

    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="working_schedules",
        verbose_name=_("company"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_schedules",
        verbose_name=_("community"),
    )
    monday = models.BooleanField(_("Monday"), default=True)
    tuesday = models.BooleanField(_("Tuesday"), default=True)
    wednesday = models.BooleanField(_("Wednesday"), default=True)
    thursday = models.BooleanField(_("Thursday"), default=True)
    friday = models.BooleanField(_("Friday"), default=True)
    saturday = models.BooleanField(_("Saturday"), default=False)
    sunday = models.BooleanField(_("Sunday"), default=False)
    morning_opens = models.TimeField(_("morning opens"), default=dt.time(8, 30))
    morning_closes = models.TimeField(_("morning closes"), default=dt.time(12, 0))
    afternoon_opens = models.TimeField(
        _("afternoon opens"), null=True, blank=True, default=dt.time(13, 30)
    )
    afternoon_closes = models.TimeField(
        _("afternoon closes"), null=True, blank=True, default=dt.time(17, 30)
    )
    history = HistoricalRecords()

    objects = WorkingScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("working schedule")
        verbose_name_plural = _("working schedules")
        ordering = ["company", "community"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(community__isnull=True),
                name="workingschedule_unique_company_default",
                violation_error_message=_("The company already has a default working schedule."),
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(community__isnull=False),
                name="workingschedule_unique_community",
                violation_error_message=_("This community already has a working schedule."),
            ),
            models.CheckConstraint(
                condition=Q(monday=True)
                | Q(tuesday=True)
                | Q(wednesday=True)
                | Q(thursday=True)
                | Q(friday=True)
                | Q(saturday=True)
                | Q(sunday=True),
                name="workingschedule_has_working_day",
                violation_error_message=_("Choose at least one working day."),
            ),
            models.CheckConstraint(
                condition=Q(morning_closes__gt=models.F("morning_opens")),
                name="workingschedule_morning_ordered",
                violation_error_message=_("The morning must close after it opens."),
            ),
            models.CheckConstraint(
                condition=_afternoon_ok(),
                name="workingschedule_afternoon_ordered",
                violation_error_message=_(
                    "The afternoon must open after the morning closes and close after it opens."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.community or self.company)

    @property
    def weekdays(self) -> frozenset[int]:
        """Working weekdays as ISO numbers (Monday 1 … Sunday 7)."""
        return frozenset(
            number for number, field in enumerate(WEEKDAY_FIELDS, start=1) if getattr(self, field)
        )

    @property
    def periods(self) -> tuple[tuple[dt.time, dt.time], ...]:
        """The office-hour periods of a working day, in order."""
        morning = (self.morning_opens, self.morning_closes)
        if self.afternoon_opens is None or self.afternoon_closes is None:
            return (morning,)
        return (morning, (self.afternoon_opens, self.afternoon_closes))
