"""Care of vacant units (spec §13 steps 3-7): tasks generated from the policies (inspect,
ventilate, clean, and after a storm), and the inspection record (空置房巡查记录表)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.estates.models import Unit
from guanjia.tickets.models import RepairOrder

from .register import VacantUnit

USER = settings.AUTH_USER_MODEL


class TaskKind(models.TextChoices):
    INSPECT = "inspect", _("Inspect inside")  # 室内巡查
    VENTILATE = "ventilate", _("Ventilate")  # 开窗通风
    CLEAN = "clean", _("Clean")  # 清洁
    STORM = "storm", _("Check after a storm")  # 风雨后检查


# The kinds an inspection record completes (a ventilation or a cleaning is ticked off).
TASK_KINDS_INSPECTING = (TaskKind.INSPECT, TaskKind.STORM)


class StormAlert(TimeStampedModel):
    """A typhoon or rainstorm entered by the supervisor: every vacant unit gets a check."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    description = models.CharField(_("description"), max_length=200)
    ended_at = models.DateTimeField(_("storm over at"))
    check_by = models.DateTimeField(_("units checked by"))
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("storm alert")
        verbose_name_plural = _("storm alerts")
        ordering = ["-ended_at", "-pk"]

    def __str__(self) -> str:
        return self.description


class CareTaskQuerySet(CommunityScopedQuerySet):
    def open(self) -> CareTaskQuerySet:
        return self.filter(done_at__isnull=True, cancelled_at__isnull=True)

    def due(self, on: dt.date) -> CareTaskQuerySet:
        return self.open().filter(due_on__lte=on)

    def overdue(self, on: dt.date) -> CareTaskQuerySet:
        return self.open().filter(due_on__lt=on)


class CareTask(TimeStampedModel):
    """One visit owed to a vacant unit on a day. At most one per unit, kind and day (a second
    generation adds nothing); cancelled when the unit leaves vacancy."""

    # Few indexes: a month of 100,000 units is some 850,000 rows written at once. The
    # unique constraint serves `vacant_unit`, the (community, due_on) index the lists, the
    # workbench and the KPIs; the other keys are only followed from a task, never searched.
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, db_index=False, verbose_name=_("community")
    )
    vacant_unit = models.ForeignKey(
        VacantUnit,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="tasks",
        verbose_name=_("vacant unit"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("task"), max_length=10, choices=TaskKind)
    due_on = models.DateField(_("due on"))
    storm = models.ForeignKey(
        StormAlert,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="tasks",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = CareTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("care task")
        verbose_name_plural = _("care tasks")
        ordering = ["due_on", "unit__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacant_unit", "kind", "due_on"],
                name="caretask_one_per_day",
                violation_error_message=_("This task is already planned."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TaskKind.values), name="caretask_known_kind"
            ),
        ]
        indexes = [models.Index(fields=["community", "due_on"], name="caretask_by_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"

    def get_absolute_url(self) -> str:
        return self.vacant_unit.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None


class Inspection(TimeStampedModel):
    """One inspection of a vacant unit (空置房巡查记录表): each item checked, what was found,
    the repair it opened."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    vacant_unit = models.ForeignKey(
        VacantUnit,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("vacant unit"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    task = models.ForeignKey(
        CareTask, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    doors_ok = models.BooleanField(_("doors, windows and locks closed and intact"))
    no_leaks = models.BooleanField(_("no leaks (ceilings, pipes, windows)"))
    no_damp = models.BooleanField(_("no damp, mould or odour"))
    fixtures_ok = models.BooleanField(_("fixtures as at handover"))
    meters_still = models.BooleanField(_("meters not running"))
    clean_ok = models.BooleanField(_("clean"))
    ventilated = models.BooleanField(_("ventilated and closed up again"))
    problems = models.TextField(_("problems found"), max_length=2000, blank=True)
    repair = models.ForeignKey(
        RepairOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repair opened"),
    )
    owner_told = models.BooleanField(_("owner told"), default=False)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacant-unit inspection")
        verbose_name_plural = _("vacant-unit inspections")
        ordering = ["-inspected_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "inspected_at"], name="inspection_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.room_code} {self.inspected_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("vacant:inspection-detail", args=[self.pk])

    @property
    def has_problem(self) -> bool:
        return not all(
            (
                self.doors_ok,
                self.no_leaks,
                self.no_damp,
                self.fixtures_ok,
                self.meters_still,
                self.clean_ok,
            )
        )

    @property
    def meter_running(self) -> bool:
        return not self.meters_still


class InspectionPhoto(TimeStampedModel):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("vacant/inspections"))
    original_name = models.CharField(max_length=200, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection photo")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
