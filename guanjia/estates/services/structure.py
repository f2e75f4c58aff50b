"""Writes to the property structure: zones, buildings, entrances, units and unit status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from guanjia.accounts.models import Membership
from guanjia.core import workflows

from ..models import (
    MAX_AREA,
    Building,
    Entrance,
    Unit,
    UnitEvent,
    UnitKind,
    UnitStatus,
    Zone,
    room_code_for,
)
from ..models.identity import field_error, squeeze, strip_blanks
from ..selectors.access import require_edit

if TYPE_CHECKING:
    from guanjia.core.access import User


def _perm(instance: Any, model: str) -> str:
    return f"estates.{'change' if instance.pk else 'add'}_{model}"


@transaction.atomic
def save_zone(*, zone: Zone, by: User) -> Zone:
    """Create or change a zone; its area managers must work in the community."""
    require_edit(by, _perm(zone, "zone"), zone.community)
    zone.name = squeeze(zone.name)
    for field_name in ("area_manager", "acting_manager"):
        user = getattr(zone, field_name)
        if user is not None and not _works_in(user, zone):
            raise field_error(
                field_name,
                _("%(user)s does not work in this community.") % {"user": user},
                "not_in_community",
            )
    zone.full_clean()
    zone.save()
    return zone


def _works_in(user: User, zone: Zone) -> bool:
    return Membership.objects.active_on().filter(user=user, community=zone.community).exists()


@transaction.atomic
def save_building(*, building: Building, by: User) -> Building:
    """Create or change a building; a new number renames the room codes of its units."""
    building.number = strip_blanks(building.number).upper()
    _check_same_community(building, building.zone, "zone")
    previous = Building.objects.filter(pk=building.pk).first() if building.pk else None
    require_edit(by, _perm(building, "building"), building.community, building.zone_id)
    if previous is not None and previous.zone_id != building.zone_id:
        require_edit(by, "estates.change_building", building.community, previous.zone_id)
    building.full_clean()
    building.save()
    if previous is not None and previous.number != building.number:
        _recode_units(Unit.objects.filter(building=building))
    return building


@transaction.atomic
def save_entrance(*, entrance: Entrance, by: User) -> Entrance:
    """Create or change an entrance of a building."""
    entrance.number = strip_blanks(entrance.number).upper()
    entrance.community = entrance.building.community
    require_edit(by, _perm(entrance, "entrance"), entrance.community, entrance.building.zone_id)
    previous = Entrance.objects.filter(pk=entrance.pk).first() if entrance.pk else None
    entrance.full_clean()
    entrance.save()
    if previous is not None and previous.number != entrance.number:
        _recode_units(Unit.objects.filter(entrance=entrance))
    return entrance


def _recode_units(units: Any) -> None:
    for unit in units.select_related("building", "entrance"):
        unit.room_code = _room_code(unit)
        unit.save(update_fields=["room_code", "updated_at"])


def _room_code(unit: Unit) -> str:
    entrance = unit.entrance.number if unit.entrance else None
    return room_code_for(unit.building.number, entrance, unit.room_number)


def _check_same_community(obj: Any, other: Any, field_name: str) -> None:
    if other is not None and other.community_id != obj.community_id:
        raise field_error(
            field_name, _("Choose one of this community's entries."), "other_community"
        )


@transaction.atomic
def save_unit(*, unit: Unit, by: User) -> Unit:
    """Create or change a unit. Its status changes only through change_unit_status()."""
    unit.community = unit.building.community
    unit.room_number = strip_blanks(unit.room_number).upper()
    require_edit(by, _perm(unit, "unit"), unit.community, unit.building.zone_id)
    if unit.entrance is not None and unit.entrance.building_id != unit.building_id:
        raise field_error(
            "entrance", _("This entrance belongs to another building."), "other_building"
        )
    if unit.pk:
        before = Unit.objects.select_related("building").get(pk=unit.pk)
        require_edit(by, "estates.change_unit", unit.community, before.building.zone_id)
        if before.status != unit.status:
            raise ValidationError(
                _("Change the status with the status action, which records the change."),
                code="status_by_action",
            )
    _check_floor(unit, unit.building)
    unit.room_code = _room_code(unit)
    unit.full_clean()
    unit.save()
    return unit


def _check_floor(unit: Unit, building: Building) -> None:
    if unit.floor is None:
        return
    if unit.floor > building.floors_above or unit.floor < -building.floors_below or not unit.floor:
        message = _("Building %(b)s has floors -%(below)s to %(above)s, without 0.") % {
            "b": building.number,
            "below": building.floors_below,
            "above": building.floors_above,
        }
        raise field_error("floor", message, "bad_floor")


@dataclass
class UnitPlan:
    """How to lay out units in a building: entrances × floors × units a floor.

    `pattern` names a room from its floor and its position on the floor (1-based), e.g.
    "{floor}{position:02d}" gives 1201 for the first unit of floor 12. `areas` holds one
    building area per position, or one for all.
    """

    first_floor: int
    last_floor: int
    per_floor: int
    areas: Sequence[Decimal]
    entrances: Sequence[str] = ()
    pattern: str = "{floor}{position:02d}"
    kind: str = UnitKind.FLAT
    layouts: Sequence[str] = ()
    inner_areas: Sequence[Decimal] = field(default_factory=tuple)


MAX_UNITS_PER_FLOOR = 20


@transaction.atomic
def bulk_create_units(*, building: Building, plan: UnitPlan, by: User) -> list[Unit]:
    """Create every unit of the plan at once, or none: duplicates and bad areas are refused."""
    require_edit(by, "estates.add_unit", building.community, building.zone_id)
    _check_plan(building, plan)
    entrances = _entrances(building, plan.entrances)
    units = [
        _planned_unit(building, entrance, floor, position, plan)
        for entrance in entrances
        for floor in range(plan.first_floor, plan.last_floor + 1)
        if floor != 0
        for position in range(1, plan.per_floor + 1)
    ]
    _check_unique(building, units)
    for unit in units:
        unit.full_clean(
            exclude=["community", "building", "entrance"],
            validate_unique=False,
            validate_constraints=False,
        )
    result: list[Unit] = bulk_create_with_history(units, Unit, batch_size=500, default_user=by)
    return result


def _check_plan(building: Building, plan: UnitPlan) -> None:
    errors: dict[str, str] = {}
    if not 1 <= plan.per_floor <= MAX_UNITS_PER_FLOOR:
        errors["per_floor"] = _("Between 1 and %(n)s units a floor.") % {"n": MAX_UNITS_PER_FLOOR}
    low, high = -building.floors_below, building.floors_above
    if not (low <= plan.first_floor <= plan.last_floor <= high):
        errors["last_floor"] = _("Floors run from %(low)s to %(high)s in this building.") % {
            "low": low,
            "high": high,
        }
    if len(plan.areas) not in (1, plan.per_floor):
        errors["areas"] = _("Give one area for all units or one per position on the floor.")
    elif any(not (Decimal("0") < a <= MAX_AREA) for a in plan.areas):
        errors["areas"] = _("Each area must be above 0 and at most 10,000 m².")
    try:
        sample = plan.pattern.format(floor=12, position=1)
    except (KeyError, IndexError, ValueError, AttributeError):
        sample = ""
    if not sample or len(sample) > 10:
        errors["pattern"] = _(
            "Use {floor} and {position} in the pattern, e.g. {floor}{position:02d}."
        )
    if errors:
        raise ValidationError(errors, code="bad_plan")


def _entrances(building: Building, numbers: Sequence[str]) -> list[Entrance | None]:
    if not numbers:
        return [None]
    found: list[Entrance | None] = []
    for number in dict.fromkeys(strip_blanks(n).upper() for n in numbers if strip_blanks(n)):
        entrance, _created = Entrance.objects.get_or_create(
            building=building, number=number, defaults={"community": building.community}
        )
        found.append(entrance)
    return found


def _pick(values: Sequence[Any], position: int) -> Any:
    if not values:
        return None
    return values[0] if len(values) == 1 else values[position - 1]


def _planned_unit(
    building: Building, entrance: Entrance | None, floor: int, position: int, plan: UnitPlan
) -> Unit:
    unit = Unit(
        community=building.community,
        building=building,
        entrance=entrance,
        floor=floor,
        room_number=plan.pattern.format(floor=floor, position=position).upper(),
        building_area=_pick(plan.areas, position),
        inner_area=_pick(plan.inner_areas, position),
        layout=_pick(plan.layouts, position) or "",
        kind=plan.kind,
        status=UnitStatus.UNSOLD,
    )
    unit.room_code = _room_code(unit)
    return unit


def _check_unique(building: Building, units: list[Unit]) -> None:
    codes = [u.room_code for u in units]
    taken = set(
        Unit.objects.filter(building=building, room_code__in=codes).values_list(
            "room_code", flat=True
        )
    )
    seen: set[str] = set()
    repeated = {c for c in codes if c in seen or seen.add(c)}  # type: ignore[func-returns-value]
    clash = sorted(taken | repeated)
    if clash:
        raise ValidationError(
            _("These rooms already exist or repeat: %(codes)s.")
            % {"codes": ", ".join(clash[:10]) + (" …" if len(clash) > 10 else "")},
            code="duplicate_room",
        )


@transaction.atomic
def change_unit_status(*, unit: Unit, to: str, by: User, note: str = "") -> UnitEvent:
    """Move a unit along its lifecycle (UNIT_MOVES) and record the move (core.workflows:
    whoever may change units there, an area manager in their own zones only)."""
    return cast(UnitEvent, workflows.transition(unit, to, by=by, note=note.strip()[:500]))
