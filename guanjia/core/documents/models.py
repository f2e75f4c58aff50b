"""The letterhead printed at the top of every document of a community."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core.models import Community, TimeStampedModel


class Letterhead(TimeStampedModel):
    """How one community's documents are headed; empty fields fall back to the community's."""

    community = models.OneToOneField(
        Community,
        on_delete=models.PROTECT,
        related_name="letterhead",
        verbose_name=_("community"),
    )
    company_name = models.CharField(
        _("company name"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to print the company's name."),
    )
    office_name = models.CharField(
        _("office name"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to print the community's management office."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    footer = models.CharField(
        _("footer"), max_length=200, blank=True, help_text=_("A line printed under the heading.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        ordering = ["community"]

    def __str__(self) -> str:
        return str(self.community)
