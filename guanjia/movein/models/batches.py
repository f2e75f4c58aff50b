"""Delivery batches (交房批次, spec §09): the buildings or units delivered together, the
notice date that starts the deemed-delivery clock, the counter's days and hours, and the
three preconditions of §09 ticked by the person who checked them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Building


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Open")  # 准备中
    NOTIFIED = "notified", _("Notices sent")  # 已发通知
    CLOSED = "closed", _("Closed")  # 已结束


B = BatchStatus
BATCH_MOVES: dict[str, frozenset[str]] = {
    B.OPEN: frozenset({B.NOTIFIED}),
    B.NOTIFIED: frozenset({B.CLOSED}),
    B.CLOSED: frozenset(),
}

# The preconditions of §09 (all true before a batch move-in starts).
PRECONDITIONS: tuple[tuple[str, Any], ...] = (
    ("takeover", _("The property has been taken over (接管验收)")),
    ("services", _("Basic services and facilities work, the office is open")),
    ("contract", _("The early-stage service contract is signed")),
)


class DeliveryBatch(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="+", verbose_name=_("buildings")
    )
    notice_date = models.DateField(_("notice date"))
    counter_from = models.DateField(_("counter open from"))
    counter_to = models.DateField(_("counter open until"))
    counter_hours = models.CharField(_("counter hours"), max_length=40)
    takeover_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    takeover_checked_at = models.DateTimeField(null=True, blank=True)
    services_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    services_checked_at = models.DateTimeField(null=True, blank=True)
    contract_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contract_checked_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=B, default=B.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notices_file = models.CharField(_("notices PDF"), max_length=200, blank=True, editable=False)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery batch")
        verbose_name_plural = _("delivery batches")
        ordering = ["-notice_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(counter_to__gte=F("counter_from")),
                name="batch_counter_ends_after_start",
                violation_error_message=_("The counter closes after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=B.values),
                name="batch_known_status",
                violation_error_message=_("Unknown batch status."),
            ),
        ]
        indexes = [models.Index(fields=["community", "status"], name="batch_by_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("movein:batch-detail", args=[self.pk])

    def preconditions(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "label": label,
                "by": getattr(self, f"{code}_checked_by"),
                "at": getattr(self, f"{code}_checked_at"),
            }
            for code, label in PRECONDITIONS
        ]

    @property
    def ready(self) -> bool:
        return all(getattr(self, f"{code}_checked_by_id") for code, _label in PRECONDITIONS)


class DeliveryBatchEvent(WorkflowEvent):
    statuses = dict(BatchStatus.choices)

    batch = models.ForeignKey(
        DeliveryBatch, on_delete=models.PROTECT, related_name="events", verbose_name=_("batch")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("delivery batch event")
        verbose_name_plural = _("delivery batch events")


def _may_plan(user: Any, batch: DeliveryBatch) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "movein.add_deliverybatch", batch.community_id)


def _may_notify(user: Any, batch: DeliveryBatch) -> bool:
    """The notices move the units to NOTIFIED in the registry: a planner who may also change
    units there (the supervisor, spec §09 "coordinates"; the director reads the registry)."""
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "movein.add_deliverybatch", batch.community_id) and has_perm_in(
        user, "estates.change_unit", batch.community_id
    )


def _not_ready(batch: DeliveryBatch) -> str | None:
    return None if batch.ready else str(_("Tick the three preconditions of §09 first."))


workflows.register(
    DeliveryBatch,
    workflows.Transitions(
        moves=BATCH_MOVES,
        event_model=DeliveryBatchEvent,
        event_object="batch",
        actor=_may_plan,
        actors={B.NOTIFIED: _may_notify},
        guards={B.NOTIFIED: _not_ready},
    ),
)
