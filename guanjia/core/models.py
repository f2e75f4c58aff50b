"""Tenancy: the company and its communities. Every community-owned row points at a Community."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from guanjia.core.access import AnyUser


class TimeStampedModel(models.Model):
    """Abstract base: every table knows when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CommunityScopedQuerySet(models.QuerySet):
    """Rows that belong to a community; `visible_to(user)` keeps the user's communities only."""

    community_lookup = "community"

    def visible_to(self, user: AnyUser) -> CommunityScopedQuerySet:
        from guanjia.core.access import visible_community_ids

        ids = visible_community_ids(user)
        if ids is None:  # superuser: every community
            return self.all()
        return self.filter(**{f"{self.community_lookup}__in": ids})

    def in_community(self, community: Community) -> CommunityScopedQuerySet:
        return self.filter(**{self.community_lookup: community})


class Company(TimeStampedModel):
    """The property management company (物业服务企业) that runs the communities."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityQuerySet(CommunityScopedQuerySet):
    community_lookup = "pk"


class Community(TimeStampedModel):
    """One gated residential estate (小区) managed by the company's management office."""

    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        MIXED = "mixed", _("Mixed use")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="communities", verbose_name=_("company")
    )
    code = models.SlugField(_("code"), max_length=20, help_text=_("Short code used in numbers."))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.RESIDENTIAL)
    address = models.CharField(_("address"), max_length=200, blank=True)
    office_name = models.CharField(_("management office"), max_length=100, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=60, blank=True)
    delivered_on = models.DateField(_("delivery date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="community_unique_code",
                violation_error_message=_("A community with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
