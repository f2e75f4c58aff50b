"""The yearly plan of routine household visits (例行回访计划, spec §14): one per zone and year;
its target is the policy's share of the zone's occupied households, spread over the months."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.estates.models import Zone


class RoutinePlan(TimeStampedModel):
    """Visit the households of one zone during one year."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("routine visit plan")
        verbose_name_plural = _("routine visit plans")
        ordering = ["-year", "zone__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year"],
                name="routineplan_one_per_zone_year",
                violation_error_message=_("This zone already has a plan for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.zone.name}"
