"""The property structure (spec §25.1): zones, buildings, entrances, units and unit events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.text import natural_key
from guanjia.core.workflows import WorkflowEvent

from .identity import field_error

if TYPE_CHECKING:
    from guanjia.core.access import User

# Areas are DecimalField(10, 2): SQLite keeps them as REAL, and Django's converter reads them
# back through a 15-digit context quantized to two places, which is exact for ten digits
# (proven by a property test). Areas are never money, so no integer-hundredths column.
MAX_AREA = Decimal("10000.00")


def validate_area(value: Decimal) -> None:
    """An area in m²: above zero, and not absurd (a misplaced decimal point)."""
    if value is None:
        return
    if value <= 0:
        raise ValidationError(_("An area must be above 0 m²."), code="bad_area")
    if value > MAX_AREA:
        raise ValidationError(
            _("An area above 10,000 m² is not plausible: check the decimal point."),
            code="area_too_large",
        )


AREA_VALIDATORS = [validate_area]


class Zone(TimeStampedModel):
    """A zone (片区): buildings looked after by one area manager, with an acting one for a period.

    The acting cover lives on the row (acting_manager, acting_from, acting_to); its earlier
    periods are kept by the row's history.
    """

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="zones", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=50)
    area_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_zones",
        verbose_name=_("area manager"),
    )
    acting_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acting_zones",
        verbose_name=_("acting area manager"),
    )
    acting_from = models.DateField(_("acting from"), null=True, blank=True)
    acting_to = models.DateField(_("acting until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="zone_unique_name",
                violation_error_message=_("A zone with this name already exists."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(acting_manager__isnull=True, acting_from__isnull=True, acting_to__isnull=True)
                    | Q(
                        acting_manager__isnull=False,
                        acting_from__isnull=False,
                        acting_to__isnull=False,
                        acting_to__gte=models.F("acting_from"),
                    )
                ),
                name="zone_acting_period_complete",
                violation_error_message=_(
                    "An acting area manager needs a start and an end date, the end not before "
                    "the start."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def managers_on(self, day: dt.date) -> list[int]:
        """Ids of the users who act as this zone's area manager on `day`."""
        ids = [self.area_manager_id] if self.area_manager_id else []
        acting = self.acting_manager_id and self.acting_from and self.acting_to
        if acting and self.acting_from <= day <= self.acting_to:  # type: ignore[operator]
            ids.append(self.acting_manager_id)  # type: ignore[arg-type]
        return ids


def _with_sort_key(kwargs: dict[str, Any], source: str) -> None:
    """A save limited by update_fields that writes `source` writes its sort key too."""
    fields = kwargs.get("update_fields")
    if fields is not None and source in fields and "sort_key" not in fields:
        kwargs["update_fields"] = [*fields, "sort_key"]


class SortKeyQuerySet(CommunityScopedQuerySet):
    """bulk_create and bulk_update (which skip save()) fill the natural sort key too."""

    sort_source: str = ""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        for obj in objs:
            obj.sort_key = natural_key(getattr(obj, self.sort_source))
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> Any:
        objs, fields = list(objs), list(fields)
        if self.sort_source in fields:
            for obj in objs:
                obj.sort_key = natural_key(getattr(obj, self.sort_source))
            fields = [*fields, "sort_key"] if "sort_key" not in fields else fields
        return super().bulk_update(objs, fields, *args, **kwargs)


class BuildingQuerySet(SortKeyQuerySet):
    sort_source = "number"


class Building(TimeStampedModel):
    """A building (楼栋) of a community, in exactly one zone."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("community")
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("zone")
    )
    number = models.CharField(
        _("building no."), max_length=10, help_text=_("As written in room codes, e.g. 3 or A2.")
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    floors_above = models.PositiveSmallIntegerField(
        _("floors above ground"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    floors_below = models.PositiveSmallIntegerField(
        _("floors below ground"), default=0, validators=[MaxValueValidator(10)]
    )
    sort_key = models.CharField(
        _("sort key"),
        max_length=100,
        editable=False,
        default="",
        help_text=_("The number with its digits padded: buildings sort 1, 2, ... 10."),
    )
    has_lift = models.BooleanField(_("has lift"), default=True)
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    history = HistoricalRecords()

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community_id", "sort_key"]  # the id: "community" would join and sort by name
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="building_unique_number",
                violation_error_message=_("A building with this number already exists."),
            ),
        ]

        indexes = [models.Index(fields=["community", "sort_key"], name="building_sort_key")]

    def __str__(self) -> str:
        return self.name or _("Building %(no)s") % {"no": self.number}

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = natural_key(self.number)
        _with_sort_key(kwargs, "number")
        super().save(*args, **kwargs)


class Entrance(TimeStampedModel):
    """An entrance (单元) of a building: a stairwell with its own door and lifts."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="entrances", verbose_name=_("community")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="entrances", verbose_name=_("building")
    )
    number = models.CharField(_("entrance no."), max_length=10)
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "number"],
                name="entrance_unique_number",
                violation_error_message=_(
                    "This building already has an entrance with this number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(building)s entrance %(no)s") % {"building": self.building, "no": self.number}


class UnitKind(models.TextChoices):
    FLAT = "flat", _("Flat")  # 住宅
    VILLA = "villa", _("Villa")  # 别墅
    SHOP = "shop", _("Shop")  # 商铺
    OFFICE = "office", _("Office")  # 写字楼
    PARKING = "parking", _("Parking")  # 车位
    STORAGE = "storage", _("Storage room")  # 储藏室


class UnitStatus(models.TextChoices):
    """The unit lifecycle of spec §09 (delivery) and §13 (vacant units)."""

    UNSOLD = "unsold", _("Unsold")  # 未售
    SOLD_NOT_NOTIFIED = "sold_not_notified", _("Sold, not notified")  # 已售未通知
    NOTIFIED = "notified", _("Move-in notified")  # 已发入住通知
    DELIVERED = "delivered", _("Delivered")  # 已交房
    DEEMED_DELIVERED = "deemed_delivered", _("Deemed delivered")  # 视同交房
    REFUSED = "refused", _("Delivery refused")  # 拒收房
    VACANT = "vacant", _("Vacant")  # 空置
    RENOVATING = "renovating", _("Renovating")  # 装修中
    OCCUPIED = "occupied", _("Occupied")  # 已入住
    RENTED = "rented", _("Rented out")  # 出租


S = UnitStatus
_IN_USE = frozenset({S.VACANT, S.RENOVATING, S.OCCUPIED, S.RENTED})

# The whole lifecycle: any move not listed here is refused.
UNIT_MOVES: dict[str, frozenset[str]] = {
    S.UNSOLD: frozenset({S.SOLD_NOT_NOTIFIED}),
    S.SOLD_NOT_NOTIFIED: frozenset({S.NOTIFIED, S.UNSOLD}),
    S.NOTIFIED: frozenset({S.DELIVERED, S.DEEMED_DELIVERED, S.REFUSED}),
    S.REFUSED: frozenset({S.DELIVERED, S.DEEMED_DELIVERED}),
    S.DELIVERED: _IN_USE,
    S.DEEMED_DELIVERED: _IN_USE | {S.DELIVERED},
    S.VACANT: _IN_USE - {S.VACANT},
    S.RENOVATING: _IN_USE - {S.RENOVATING},
    S.OCCUPIED: _IN_USE - {S.OCCUPIED},
    S.RENTED: _IN_USE - {S.RENTED},
}


class UnitQuerySet(SortKeyQuerySet):
    sort_source = "room_code"

    def with_place(self) -> UnitQuerySet:
        return self.select_related("community", "building__zone", "entrance")


class Unit(TimeStampedModel):
    """A unit (房屋): one flat, shop, office, parking lot or storage room with its room code."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="units", verbose_name=_("community")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("building")
    )
    entrance = models.ForeignKey(
        Entrance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("entrance"),
    )
    room_number = models.CharField(_("room no."), max_length=10)
    floor = models.SmallIntegerField(
        _("floor"), validators=[MinValueValidator(-10), MaxValueValidator(200)]
    )
    building_area = models.DecimalField(
        _("building area (m²)"), max_digits=10, decimal_places=2, validators=AREA_VALIDATORS
    )
    inner_area = models.DecimalField(
        _("inner area (m²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=AREA_VALIDATORS,
    )
    kind = models.CharField(_("type"), max_length=10, choices=UnitKind, default=UnitKind.FLAT)
    layout = models.CharField(_("layout"), max_length=20, blank=True, help_text=_("e.g. 三室两厅"))
    status = models.CharField(
        _("status"), max_length=20, choices=UnitStatus, default=UnitStatus.UNSOLD
    )
    room_code = models.CharField(
        _("room code"), max_length=40, editable=False, help_text=_("building-entrance-room")
    )
    sort_key = models.CharField(
        _("sort key"),
        max_length=200,
        editable=False,
        default="",
        help_text=_("The room code with its numbers padded: 1-1-201 sorts before 1-1-1001."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["community_id", "sort_key"]  # the id: "community" would join and sort by name
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance", "room_number"],
                condition=Q(entrance__isnull=False),
                name="unit_unique_room",
                violation_error_message=_("This room number already exists in this building."),
                violation_error_code="duplicate_room",
            ),
            models.UniqueConstraint(
                fields=["building", "room_number"],
                condition=Q(entrance__isnull=True),
                name="unit_unique_room_without_entrance",
                violation_error_message=_("This room number already exists in this building."),
                violation_error_code="duplicate_room",
            ),
            models.CheckConstraint(
                condition=Q(building_area__gt=0) & Q(building_area__lte=MAX_AREA),
                name="unit_building_area_range",
                violation_error_message=_(
                    "The building area must be above 0 and at most 10,000 m²."
                ),
                violation_error_code="bad_area",
            ),
            models.CheckConstraint(
                condition=Q(inner_area__isnull=True)
                | (Q(inner_area__gt=0) & Q(inner_area__lte=models.F("building_area"))),
                name="unit_inner_area_within_building_area",
                violation_error_message=_(
                    "The inner area must be above 0 and not larger than the building area."
                ),
                violation_error_code="inner_area_too_large",
            ),
            models.CheckConstraint(
                condition=Q(status__in=UnitStatus.values),
                name="unit_status_known",
                violation_error_message=_("Unknown unit status."),
            ),
        ]
        indexes = [
            models.Index(fields=["room_code", "community"], name="unit_room_code"),
            models.Index(fields=["room_number", "community"], name="unit_room_number"),
            models.Index(fields=["community", "status"], name="unit_community_status"),
            models.Index(fields=["community", "sort_key"], name="unit_sort_key"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """'3栋2单元1201' in the way people say it."""
        values = {"building": self.building, "room": self.room_number}
        if self.entrance_id and self.entrance:
            values["entrance"] = self.entrance.number
            return _("%(building)s entrance %(entrance)s room %(room)s") % values
        return _("%(building)s room %(room)s") % values

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = natural_key(self.room_code)
        _with_sort_key(kwargs, "room_code")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        area, inner = self.building_area, self.inner_area
        if area is not None and inner is not None and inner > area:
            raise field_error(
                "inner_area",
                _("The inner area cannot be larger than the building area."),
                "inner_area_too_large",
            )

    def next_statuses(self) -> list[str]:
        return sorted(UNIT_MOVES.get(self.status, frozenset()))


def room_code_for(building_no: str, entrance_no: str | None, room_number: str) -> str:
    """The precomputed search key: '3-2-1201', or '3-1201' without an entrance."""
    parts = [building_no, entrance_no, room_number] if entrance_no else [building_no, room_number]
    return "-".join(p.upper() for p in parts)


class UnitEventKind(models.TextChoices):
    STATUS = "status", _("Status changed")  # 状态变更
    OWNERS = "owners", _("Owners changed")  # 产权变更
    MOVED_IN = "moved_in", _("Occupant moved in")  # 住户迁入
    MOVED_OUT = "moved_out", _("Occupant moved out")  # 住户迁出


class UnitEvent(WorkflowEvent):
    """One change in a unit's life (status, owners, occupants), with who did it and why."""

    statuses = dict(UnitStatus.choices)

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="events", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitEventKind)
    from_status = models.CharField(_("from"), max_length=20, choices=UnitStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=UnitStatus, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["unit", "at"], name="unitevent_unit_at")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.at:%Y-%m-%d}"


def _may_change_unit(user: User, unit: Unit) -> bool:
    """Whoever may change units there, an area manager in their own zones only."""
    from guanjia.core.access import has_perm_in

    from ..selectors.access import can_edit_in_zone

    return has_perm_in(user, "estates.change_unit", unit.community) and can_edit_in_zone(
        user, unit.community, unit.building.zone_id
    )


workflows.register(
    Unit,
    workflows.Transitions(
        moves=UNIT_MOVES,
        event_model=UnitEvent,
        event_object="unit",
        actor=_may_change_unit,
        event_fields=lambda unit: {"community_id": unit.community_id, "kind": UnitEventKind.STATUS},
    ),
)
