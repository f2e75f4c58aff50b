"""Checkpoints (巡查点) of a zone with their printable QR label, and the §12 checklist per
checkpoint type, editable per community."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.estates.models import Building, Zone


class CheckpointKind(models.TextChoices):
    BUILDING = "building", _("Building")  # 楼栋
    FLOOR = "floor", _("Floor")  # 楼层
    ROOF = "roof", _("Roof")  # 天面
    FIRE = "fire", _("Fire equipment")  # 消防设施
    LIFT = "lift", _("Lift")  # 电梯
    METER = "meter", _("Meters")  # 水电表
    GATE = "gate", _("Gate")  # 大门/岗亭


# The checkpoints walked only on a building's full inspection day (every floor, the roof).
FULL_INSPECTION_KINDS = frozenset({CheckpointKind.FLOOR, CheckpointKind.ROOF})


class Checkpoint(TimeStampedModel):
    """A place on a zone's route, proven by scanning its QR label."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone")
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=CheckpointKind)
    name = models.CharField(_("name"), max_length=60)
    # Printed under the QR code, typed when the camera cannot read it: random, unguessable.
    code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    # Raised when a label is reprinted: the old label is refused at scan.
    label_version = models.PositiveSmallIntegerField(_("label version"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["zone_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "name"],
                name="checkpoint_unique_name",
                violation_error_message=_("This zone already has a checkpoint of this name."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CheckpointKind.values), name="checkpoint_known_kind"
            ),
        ]
        indexes = [models.Index(fields=["community", "zone"], name="checkpoint_by_zone")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("patrols:checkpoint-list")


class ChecklistItem(TimeStampedModel):
    """One line of the §12 checklist for a type of checkpoint, in one community."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    kind = models.CharField(_("checkpoint type"), max_length=10, choices=CheckpointKind)
    text = models.CharField(_("what is checked"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind", "text"],
                name="checklistitem_unique_text",
                violation_error_message=_("This checklist already has this line."),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("patrols:checklist")
