"""Meters (a unit's own or common) and their monthly readings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
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
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


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
