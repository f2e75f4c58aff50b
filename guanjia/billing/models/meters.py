"""Meters (a unit's own or common), their replacements and their monthly readings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.estates.models import Unit

from .standards import MeterKind


class Meter(TimeStampedModel):
    """A water, electricity or gas meter: a unit's own, or a common one (公摊) without a unit."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meters",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=MeterKind)
    number = models.CharField(_("meter no."), max_length=40)
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(1),
        help_text=_("Use = reading difference × multiplier (a meter on a current transformer)."),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    initial_reading = models.DecimalField(
        _("initial reading"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["community", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind", "number"],
                name="meter_unique_number",
                violation_error_message=_("A meter with this number already exists."),
            ),
            models.UniqueConstraint(
                fields=["unit", "kind"],
                condition=Q(is_active=True, unit__isnull=False),
                name="meter_one_active_per_unit_kind",
                violation_error_message=_("This unit already has an active meter of this type."),
            ),
            models.CheckConstraint(
                condition=Q(multiplier__gt=0),
                name="meter_multiplier_positive",
                violation_error_message=_("A multiplier must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(initial_reading__gte=0),
                name="meter_initial_reading_not_negative",
                violation_error_message=_("A reading is at least 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class MeterReplacement(TimeStampedModel):
    """A meter changed for a new one on a day: the old meter's number, multiplier and final
    reading, the new one's number, multiplier and initial reading. Rows are only added; the
    meter's first reading after it bills old final − last reading plus reading − initial."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    meter = models.ForeignKey(
        Meter, on_delete=models.PROTECT, related_name="replacements", verbose_name=_("meter")
    )
    replaced_on = models.DateField(_("replaced on"))
    old_number = models.CharField(_("old meter no."), max_length=40)
    old_multiplier = models.DecimalField(_("old multiplier"), max_digits=8, decimal_places=2)
    final_reading = models.DecimalField(
        _("old meter's final reading"), max_digits=12, decimal_places=2
    )
    new_number = models.CharField(_("new meter no."), max_length=40)
    new_multiplier = models.DecimalField(_("new multiplier"), max_digits=8, decimal_places=2)
    initial_reading = models.DecimalField(
        _("new meter's initial reading"), max_digits=12, decimal_places=2
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meter replacement")
        verbose_name_plural = _("meter replacements")
        ordering = ["meter", "replaced_on", "pk"]
        indexes = [models.Index(fields=["meter", "replaced_on"], name="meterrepl_meter_day")]

    def __str__(self) -> str:
        return f"{self.old_number} → {self.new_number} ({self.replaced_on})"


class MeterReading(TimeStampedModel):
    """One month's reading of a meter (a replacement starts the new meter's count)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    meter = models.ForeignKey(
        Meter, on_delete=models.PROTECT, related_name="readings", verbose_name=_("meter")
    )
    period = models.DateField(_("period"))
    value = models.DecimalField(
        _("reading"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    read_on = models.DateField(_("read on"))
    replacement = models.BooleanField(
        _("meter replaced"),
        default=False,
        help_text=_("A new meter: the reading may be below the last one."),
    )
    old_meter_final = models.DecimalField(
        _("old meter's final reading"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    new_meter_initial = models.DecimalField(
        _("new meter's initial reading"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    old_multiplier = models.DecimalField(
        _("old multiplier"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    flagged = models.BooleanField(_("unusually high"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["meter", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "period"],
                name="meterreading_once_per_month",
                violation_error_message=_("This meter already has a reading for this month."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.period:%Y-%m}: {self.value}"


class ApportionmentSet(TimeStampedModel):
    """Which units share a common meter's use (公摊范围): a shared standard of the meter
    splits its use over these units only (by area or per household, as the standard says);
    without a set, over every unit the standard applies to. Changes kept with history."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    meter = models.OneToOneField(
        Meter,
        on_delete=models.PROTECT,
        related_name="apportionment",
        verbose_name=_("common meter"),
    )
    name = models.CharField(_("name"), max_length=60)
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("units"))
    history = HistoricalRecords(m2m_fields=[units])

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("apportionment set")
        verbose_name_plural = _("apportionment sets")

    def __str__(self) -> str:
        return self.name
