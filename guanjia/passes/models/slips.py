"""Goods pass-out slips (物品放行条, spec §20): applied for at the desk, numbered, checked and
signed by the guard at the gate (carrier's ID and plate); used, partly used, expired or
cancelled."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Unit


class ApplicantRole(models.TextChoices):
    OWNER = "owner", _("Owner")  # 业主
    TENANT = "tenant", _("Tenant")  # 租户
    AGENT = "agent", _("Agent of the owner")  # 业主委托人


class SlipStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")  # 已开具
    USED = "used", _("Used")  # 已放行
    PARTLY_USED = "partly_used", _("Partly used")  # 部分放行
    EXPIRED = "expired", _("Expired")  # 已过期
    CANCELLED = "cancelled", _("Cancelled")  # 已作废


SLIP_MOVES: dict[str, frozenset[str]] = {
    SlipStatus.ISSUED: frozenset(
        {SlipStatus.USED, SlipStatus.PARTLY_USED, SlipStatus.EXPIRED, SlipStatus.CANCELLED}
    ),
    SlipStatus.PARTLY_USED: frozenset({SlipStatus.USED, SlipStatus.EXPIRED}),
    SlipStatus.USED: frozenset(),
    SlipStatus.EXPIRED: frozenset(),
    SlipStatus.CANCELLED: frozenset(),
}
OPEN_SLIP = (SlipStatus.ISSUED, SlipStatus.PARTLY_USED)


class ReleaseSlip(TimeStampedModel):
    """One numbered slip and its stub (放行条存根)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    number = models.CharField(_("slip number"), max_length=30)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    applicant_name = models.CharField(_("applicant"), max_length=50)
    applicant_role = models.CharField(_("applicant is"), max_length=8, choices=ApplicantRole)
    id_number_masked = models.CharField(_("applicant's ID number"), max_length=40)
    owner_confirmation = models.CharField(_("owner's confirmation"), max_length=200, blank=True)
    arrears = MoneyField(_("arrears when issued"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    vehicle_plate = models.CharField(_("vehicle plate"), max_length=12, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SlipStatus, default=SlipStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guard"),
    )
    checked_at = models.DateTimeField(_("released at"), null=True, blank=True)
    carrier_name = models.CharField(_("carrier"), max_length=50, blank=True)
    carrier_id_masked = models.CharField(_("carrier's ID number"), max_length=40, blank=True)
    plate = models.CharField(_("plate out"), max_length=12, blank=True)
    guard_signature = models.ImageField(
        _("guard's signature"), upload_to=RandomName("passes/signatures"), blank=True
    )
    guard_note = models.CharField(_("guard's note"), max_length=500, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("release slip")
        verbose_name_plural = _("release slips")
        ordering = ["-valid_from", "-pk"]
        permissions = [("release_goods", _("Can release goods at the gate"))]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="slip_unique_number"),
            models.CheckConstraint(
                condition=Q(status__in=SlipStatus.values), name="slip_known_status"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="slip_valid_period"
            ),
        ]
        indexes = [models.Index(fields=["community", "status"], name="slip_by_status")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("passes:slip-detail", args=[self.pk])


class SlipItem(models.Model):
    slip = models.ForeignKey(ReleaseSlip, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("item"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    released = models.PositiveIntegerField(_("released"), default=0)

    class Meta:
        verbose_name = _("slip item")
        verbose_name_plural = _("slip items")
        ordering = ["slip", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(released__lte=models.F("quantity")),
                name="slipitem_quantities",
            )
        ]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"

    @property
    def remaining(self) -> int:
        return self.quantity - self.released


class SlipEvent(WorkflowEvent):
    statuses = dict(SlipStatus.choices)
    slip = models.ForeignKey(ReleaseSlip, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("slip event")
        verbose_name_plural = _("slip events")


def _may_release(user: Any, slip: ReleaseSlip) -> bool:
    return user is None or has_perm_in(user, "passes.release_goods", slip.community_id)


def _may_cancel(user: Any, slip: ReleaseSlip) -> bool:
    return has_perm_in(user, "passes.change_releaseslip", slip.community_id)


def _may_expire(user: Any, slip: ReleaseSlip) -> bool:
    return user is None or _may_cancel(user, slip)


workflows.register(
    ReleaseSlip,
    workflows.Transitions(
        moves=SLIP_MOVES,
        event_model=SlipEvent,
        event_object="slip",
        actor=_may_release,
        actors={SlipStatus.CANCELLED: _may_cancel, SlipStatus.EXPIRED: _may_expire},
    ),
)
