"""Mail and parcels taken in for residents (信件/包裹代收, spec §04, §25.5)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.estates.models import Person, Unit


class ParcelKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary mail")  # 平信
    REGISTERED = "registered", _("Registered mail")  # 挂号信
    PARCEL = "parcel", _("Parcel")  # 包裹


class ParcelQuerySet(CommunityScopedQuerySet):
    def held(self) -> ParcelQuerySet:
        return self.filter(collected_at__isnull=True, returned_at__isnull=True)

    def held_since_before(self, before: dt.datetime) -> ParcelQuerySet:
        return self.held().filter(received_at__lt=before)


class Parcel(TimeStampedModel):
    """One item received at the desk for a household, until collected or returned."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    addressee = models.CharField(_("addressee"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=ParcelKind, default=ParcelKind.PARCEL)
    carrier = models.CharField(_("carrier"), max_length=30)
    tracking_no = models.CharField(_("tracking number"), max_length=40, blank=True)
    shelf = models.CharField(_("shelf"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notified_at = models.DateTimeField(_("household told at"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    collected_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collected by"),
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signature = models.ImageField(
        _("collector's signature"), upload_to=RandomName("desk/signatures"), blank=True
    )
    returned_at = models.DateTimeField(_("returned to sender at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_note = models.CharField(_("return note"), max_length=200, blank=True)

    objects = ParcelQuerySet.as_manager()

    class Meta:
        verbose_name = _("mail item")
        verbose_name_plural = _("mail and parcels")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(collected_at__isnull=True) | Q(returned_at__isnull=True),
                name="parcel_collected_or_returned",
                violation_error_message=_("An item is either collected or returned."),
            )
        ]
        indexes = [
            models.Index(
                fields=["community", "received_at"],
                condition=Q(collected_at__isnull=True, returned_at__isnull=True),
                name="parcel_held_by_received",
            ),
            models.Index(fields=["unit", "received_at"], name="parcel_by_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit.room_code} {self.addressee}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("desk:parcel-detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.collected_at is None and self.returned_at is None
