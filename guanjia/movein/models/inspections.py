"""The joint inspection (入住验房, spec §09): a room × item grid from the community's template,
the meter readings, the owner's and the inspector's signatures; each defect becomes a
rectification order (整改) with its deadline, re-inspection and the owner's sign-off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

from .deliveries import Delivery

# The items of the §09 inspection sheet, and the rooms of a flat: a community changes them.
DEFAULT_ROOMS = ("客厅", "主卧", "次卧", "厨房", "卫生间", "阳台")
DEFAULT_ITEMS = (
    "墙面", "地面", "天花", "门", "窗", "玻璃", "门锁", "开关插座", "灯具",
    "给排水", "洁具", "防水", "对讲", "水电气表",
)  # fmt: skip


class InspectionTemplate(TimeStampedModel):
    """The rooms and items of the community's inspection sheet, one a line."""

    community = models.OneToOneField(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    rooms = models.TextField(_("rooms"), max_length=2000)
    items = models.TextField(_("items"), max_length=4000)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection template")
        verbose_name_plural = _("inspection templates")

    def __str__(self) -> str:
        return str(self.community)

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class Inspection(TimeStampedModel):
    """The sheet of one delivery (one per delivery), signed by the owner and the inspector."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    delivery = models.OneToOneField(
        Delivery, on_delete=models.PROTECT, related_name="inspection", verbose_name=_("delivery")
    )
    rooms = models.JSONField(_("rooms"), default=list)
    items = models.JSONField(_("items"), default=list)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    water_reading = models.DecimalField(
        _("water meter"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    power_reading = models.DecimalField(
        _("electricity meter"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    gas_reading = models.DecimalField(
        _("gas meter"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    owner_signature = models.ImageField(
        _("owner's signature"), upload_to=RandomName("movein/signatures"), blank=True
    )
    inspector_signature = models.ImageField(
        _("inspector's signature"), upload_to=RandomName("movein/signatures"), blank=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint inspection")
        verbose_name_plural = _("joint inspections")

    def __str__(self) -> str:
        return str(self.delivery)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("movein:inspection", args=[self.delivery_id])


class Responsible(models.TextChoices):
    DEVELOPER = "developer", _("Developer")  # 开发商
    ENGINEERING = "engineering", _("Engineering")  # 工程部


class DefectStatus(models.TextChoices):
    OPEN = "open", _("To rectify")  # 待整改
    FIXED = "fixed", _("Reported fixed")  # 已整改待复验
    SIGNED_OFF = "signed_off", _("Signed off by the owner")  # 业主签收
    WARRANTY = "warranty", _("Reopened as a warranty repair")  # 转保修


F = DefectStatus
DEFECT_MOVES: dict[str, frozenset[str]] = {
    F.OPEN: frozenset({F.FIXED}),
    F.FIXED: frozenset({F.OPEN, F.SIGNED_OFF}),
    F.SIGNED_OFF: frozenset({F.WARRANTY}),
    F.WARRANTY: frozenset(),
}


class DefectQuerySet(CommunityScopedQuerySet):
    def overdue(self, today: Any) -> DefectQuerySet:
        return self.filter(status=F.OPEN, deadline__lt=today)


class Defect(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="defect_rows", verbose_name=_("delivery")
    )
    room = models.CharField(_("room"), max_length=30)
    item = models.CharField(_("item"), max_length=30)
    description = models.CharField(_("description"), max_length=500)
    photo = models.ImageField(_("photo"), upload_to=RandomName("movein/defects"), blank=True)
    responsible = models.CharField(
        _("rectified by"), max_length=12, choices=Responsible, default=Responsible.DEVELOPER
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=F, default=F.OPEN)
    fixed_at = models.DateTimeField(_("reported fixed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_by_name = models.CharField(_("signed off by"), max_length=50, blank=True)
    signoff_signature = models.ImageField(
        _("owner's sign-off"), upload_to=RandomName("movein/signatures"), blank=True
    )
    repair_number = models.CharField(_("warranty repair no."), max_length=30, blank=True)

    objects = DefectQuerySet.as_manager()

    class Meta:
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=F.values),
                name="defect_known_status",
                violation_error_message=_("Unknown defect status."),
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "deadline"], name="defect_due")]

    def __str__(self) -> str:
        return f"{self.room} {self.item}: {self.description[:30]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("movein:defect-detail", args=[self.pk])


class DefectEvent(WorkflowEvent):
    statuses = dict(DefectStatus.choices)

    defect = models.ForeignKey(
        Defect, on_delete=models.PROTECT, related_name="events", verbose_name=_("defect")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("defect event")
        verbose_name_plural = _("defect events")


def _may_fix(user: Any, defect: Defect) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "movein.change_defect", defect.community_id)


workflows.register(
    Defect,
    workflows.Transitions(
        moves=DEFECT_MOVES, event_model=DefectEvent, event_object="defect", actor=_may_fix
    ),
)
