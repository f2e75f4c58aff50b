"""Lost and found (失物招领, spec §04): items found, where and by whom, kept at the desk until
claimed with proof and a signature."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel


class FoundItem(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    description = models.CharField(_("item found"), max_length=200)
    found_where = models.CharField(_("found where"), max_length=100)
    found_by = models.CharField(_("found by"), max_length=50)
    found_at = models.DateTimeField(_("found at"))
    storage = models.CharField(_("kept where"), max_length=50, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimant_name = models.CharField(_("claimed by"), max_length=50, blank=True)
    claimant_phone = models.CharField(_("claimant's phone"), max_length=20, blank=True)
    proof = models.CharField(_("proof of ownership"), max_length=200, blank=True)
    claim_signature = models.ImageField(
        _("claimant's signature"), upload_to=RandomName("desk/signatures"), blank=True
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("found item")
        verbose_name_plural = _("lost and found")
        ordering = ["-found_at", "-pk"]
        indexes = [
            models.Index(
                fields=["community", "found_at"],
                condition=Q(claimed_at__isnull=True),
                name="founditem_unclaimed",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("desk:found-detail", args=[self.pk])
