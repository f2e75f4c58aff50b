"""The vacant-unit register (空置房登记台账, spec §13): which units nobody lives in, why, since
when, their key and their water and power; an owner's long absence with the written
authorisation; leaving vacancy when the owner moves in, renovates or sells."""

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
from guanjia.core.workflows import WorkflowEvent
from guanjia.desk.models import Key
from guanjia.estates.models import Unit

USER = settings.AUTH_USER_MODEL


class Category(models.TextChoices):
    """Spec §13's definition: (a), (b), (c) and an owner's long absence."""

    UNSOLD = "unsold", _("Unsold (developer's)")  # 未售
    NOT_MOVED_IN = "not_moved_in", _("Sold, move-in not done")  # 已售未入住
    UNOCCUPIED = "unoccupied", _("Delivered, not in use")  # 已交房未使用
    LONG_ABSENCE = "long_absence", _("Owner's long absence")  # 业主长期外出


class Source(models.TextChoices):
    UNIT_STATUS = "unit_status", _("Unit status")  # 房屋状态
    OWNER_REQUEST = "owner_request", _("Owner's request")  # 业主申请
    OFFICE = "office", _("Registered by the office")  # 管理处登记


class PowerState(models.TextChoices):
    OFF = "off", _("Off at the valve or breaker")  # 关闭
    ON = "on", _("On")  # 开通


class VacancyStatus(models.TextChoices):
    VACANT = "vacant", _("Vacant")  # 空置中
    LEFT = "left", _("No longer vacant")  # 已解除


class ExitReason(models.TextChoices):
    MOVED_IN = "moved_in", _("The owner moved in")  # 入住
    RENOVATING = "renovating", _("Renovation started")  # 装修
    RENTED = "rented", _("Rented out")  # 出租
    SOLD = "sold", _("Sold")  # 售出
    RETURNED = "returned", _("The owner is back")  # 业主返回


VACANCY_MOVES: dict[str, frozenset[str]] = {
    VacancyStatus.VACANT: frozenset({VacancyStatus.LEFT}),
    VacancyStatus.LEFT: frozenset(),
}


class VacantUnit(TimeStampedModel):
    """One period of one unit in the register; a unit has at most one open period."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    category = models.CharField(_("category"), max_length=14, choices=Category)
    source = models.CharField(_("source"), max_length=14, choices=Source)
    since = models.DateField(_("vacant since"))
    key = models.ForeignKey(
        Key,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key in the cabinet"),
    )
    water = models.CharField(_("water"), max_length=4, choices=PowerState, default=PowerState.OFF)
    power = models.CharField(_("power"), max_length=4, choices=PowerState, default=PowerState.OFF)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    # An owner's request (spec §13, edge cases): the written authorisation, what the office
    # may enter for, and the liability waiver the owner signed.
    requested_by = models.CharField(_("requested by"), max_length=50, blank=True)
    authorisation = models.FileField(
        _("written authorisation"), upload_to=RandomName("vacant/authorisations"), blank=True
    )
    authorisation_name = models.CharField(max_length=200, blank=True)
    entry_scope = models.CharField(_("scope of entry"), max_length=300, blank=True)
    liability_waiver = models.BooleanField(_("liability waiver signed"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=VacancyStatus, default=VacancyStatus.VACANT
    )
    left_on = models.DateField(_("left vacancy on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=12, choices=ExitReason, blank=True
    )
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Care tasks are planned up to (not including) this day: the next plan starts here.
    planned_to = models.DateField(_("care planned up to"), null=True, blank=True, editable=False)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacant unit")
        verbose_name_plural = _("vacant units")
        ordering = ["unit__sort_key", "pk"]
        permissions = [
            ("view_vacant_kpis", _("Can view the vacant-unit KPIs")),
            ("schedule_vacant_care", _("Can generate vacant-unit care tasks")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VacancyStatus.values), name="vacantunit_known_status"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="vacantunit_known_category"
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status="vacant"),
                name="vacantunit_one_open_per_unit",
                violation_error_message=_("This unit is already in the vacant-unit register."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "category"], name="vacant_by_status"),
            models.Index(fields=["community", "since"], name="vacant_by_since"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.room_code} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("vacant:unit-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.VACANT


class VacantUnitEvent(WorkflowEvent):
    """One step of a vacancy (registered, left)."""

    statuses = dict(VacancyStatus.choices)
    vacant_unit = models.ForeignKey(VacantUnit, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("vacant unit event")
        verbose_name_plural = _("vacant unit events")


def _may_change(user: Any, vacancy: VacantUnit) -> bool:
    return has_perm_in(user, "vacant.change_vacantunit", vacancy.community_id)


workflows.register(
    VacantUnit,
    workflows.Transitions(
        moves=VACANCY_MOVES,
        event_model=VacantUnitEvent,
        event_object="vacant_unit",
        actor=_may_change,
    ),
)


class Viewing(TimeStampedModel):
    """A viewing by a buyer or an agent (spec §13): only with the owner's or developer's
    written consent, accompanied by a staff member."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    vacant_unit = models.ForeignKey(
        VacantUnit, on_delete=models.PROTECT, related_name="viewings", verbose_name=_("unit")
    )
    visitor_name = models.CharField(_("visitor"), max_length=50)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=20, blank=True)
    consent_by = models.CharField(_("consent given by"), max_length=50)
    consent = models.FileField(_("written consent"), upload_to=RandomName("vacant/consents"))
    consent_name = models.CharField(max_length=200, blank=True)
    accompanied_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("accompanied by")
    )
    viewed_at = models.DateTimeField(_("viewed at"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("viewing")
        verbose_name_plural = _("viewings")
        ordering = ["-viewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.vacant_unit} {self.visitor_name}"
