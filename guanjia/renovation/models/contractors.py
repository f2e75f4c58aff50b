"""The contractor register and the banned list (spec §16, §19): a contractor named on an
application is checked against the bans in force; the violations app bans through
`guanjia.renovation.services.ban_contractor`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel

USER = settings.AUTH_USER_MODEL


class Contractor(TimeStampedModel):
    """A renovation company (or a team) known to the community."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    name = models.CharField(_("company"), max_length=100)
    licence_no = models.CharField(_("business licence no."), max_length=30)
    qualification = models.CharField(_("qualification"), max_length=100, blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    fire_safety_person = models.CharField(_("fire-safety person"), max_length=50)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["name", "pk"]
        permissions = [("ban_contractor", _("Can ban a contractor"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "licence_no"],
                name="contractor_unique_licence",
                violation_error_message=_("A contractor with this licence no. is registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("renovation:contractor-detail", args=[self.pk])

    def ban_on(self, day: dt.date) -> ContractorBan | None:
        """The ban in force on `day`, if any (the latest)."""
        return (
            self.bans.filter(lifted_at__isnull=True, starts_on__lte=day)
            .filter(Q(until__isnull=True) | Q(until__gte=day))
            .order_by("-starts_on", "-pk")
            .first()
        )


class ContractorBanQuerySet(CommunityScopedQuerySet):
    def in_force(self, day: dt.date) -> ContractorBanQuerySet:
        return self.filter(lifted_at__isnull=True, starts_on__lte=day).filter(
            Q(until__isnull=True) | Q(until__gte=day)
        )


class ContractorBan(TimeStampedModel):
    """One ban of a contractor: why, from when until when (open: for good), by whom; lifted
    early by a note of its own. Rows are kept: the list is the history."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="bans")
    reason = models.CharField(_("reason"), max_length=500)
    starts_on = models.DateField(_("banned from"))
    until = models.DateField(_("banned until"), null=True, blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    source = models.CharField(_("source"), max_length=60, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ContractorBanQuerySet.as_manager()

    class Meta:
        verbose_name = _("contractor ban")
        verbose_name_plural = _("contractor bans")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("starts_on")),
                name="contractorban_until_after_start",
                violation_error_message=_("A ban ends on or after the day it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contractor} {self.starts_on}"
