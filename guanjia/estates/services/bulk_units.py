"""Bulk writes for imports: the buildings, entrances and units of a whole community at once.

The rules are those of the single-row services (save_building, save_entrance, save_unit): the
same normalising, the same validators, the same room codes; only the lookups are done once
and the units are written with one INSERT per 500 rows. `UnitCheck` is also what the import's
preview uses, so a file that previews clean commits the same way unless the data changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from guanjia.core.access import has_perm_in, require_perm
from guanjia.core.models import Community

from ..models import Building, Entrance, Unit, UnitKind, UnitStatus, Zone, room_code_for
from ..models.identity import squeeze, strip_blanks
from ..models.property import validate_area
from ..selectors.access import can_edit_in_zone
from .bulk import BulkRowError, RoomKey, RowErrors, check_all, room_key, room_label, unreadable
from .structure import save_building, save_entrance

if TYPE_CHECKING:
    from guanjia.core.access import User

LOWEST_FLOOR, HIGHEST_FLOOR = -10, 200
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class UnitRow:
    """One unit of an import, as the file names it; `line` only labels messages."""

    building: str
    room_number: str
    building_area: Decimal | None
    entrance: str = ""
    floor: int | None = None
    inner_area: Decimal | None = None
    kind: str = UnitKind.FLAT
    layout: str = ""
    status: str = UnitStatus.UNSOLD
    zone: str = ""
    line: int = 0

    @cached_property  # read many times per row; normalising is not free
    def key(self) -> RoomKey:
        return room_key(self.building, self.entrance, self.room_number)


def floor_from_room(room_number: str) -> int | None:
    """The floor people read from a room number: 1201 -> 12, 302 -> 3; None otherwise."""
    room = strip_blanks(room_number)
    return int(room[:-2]) if room.isdigit() and len(room) >= 3 else None


@dataclass
class _NewBuilding:
    zone: Zone
    low: int
    high: int


@dataclass
class UnitCheck:
    """Every rule of a unit import, with the community's zones, buildings and rooms loaded once.

    `check(row)` returns the row normalised (the floor read from the room number when the file
    leaves it blank) or raises ValidationError keyed by the row's fields.
    """

    community: Community
    by: User
    rows: Sequence[UnitRow] = ()
    zones: dict[str, Zone] = field(init=False)
    buildings: dict[str, Building] = field(init=False)
    taken: set[RoomKey] = field(init=False)
    seen: dict[RoomKey, int] = field(init=False, default_factory=dict)
    new_buildings: dict[str, _NewBuilding] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        community = self.community
        self.zones = {z.name: z for z in Zone.objects.filter(community=community)}
        self.buildings = {
            b.number: b for b in Building.objects.filter(community=community).select_related("zone")
        }
        self.taken = {
            (b, e or "", r)
            for b, e, r in Unit.objects.filter(community=community).values_list(
                "building__number", "entrance__number", "room_number"
            )
        }
        self.may_add_buildings = has_perm_in(self.by, "estates.add_building", community)
        self._floors: dict[str, tuple[int, int]] = {}
        for row in self.rows:  # a new building gets the floors its rows use
            floor = row.floor if row.floor is not None else floor_from_room(row.room_number)
            number = row.key[0]
            if floor is not None and number not in self.buildings:
                low, high = self._floors.get(number, (floor, floor))
                self._floors[number] = (min(low, floor), max(high, floor))

    def check(self, row: UnitRow) -> UnitRow:
        errors = RowErrors()
        key = row.key
        floor = self._floor(row, errors)
        self._areas(row, errors)
        zone = self._zone(key[0], squeeze(row.zone), errors)
        if zone is not None and not can_edit_in_zone(self.by, self.community, zone.pk):
            message = _("This unit is in a zone another area manager looks after.")
            errors.add("building", message, "not_your_zone")
        self._room(key, row.line, errors)
        errors.raise_any()
        self.seen.setdefault(key, row.line)
        return UnitRow(
            building=key[0],
            entrance=key[1],
            room_number=key[2],
            floor=floor,
            building_area=row.building_area,
            inner_area=row.inner_area,
            kind=row.kind,
            layout=squeeze(row.layout),
            status=row.status,
            zone=zone.name if zone else squeeze(row.zone),
            line=row.line,
        )

    def _floor(self, row: UnitRow, errors: RowErrors) -> int | None:
        floor = row.floor if row.floor is not None else floor_from_room(row.room_number)
        if floor is None:
            message = _("Give the floor: it cannot be read from room number %(room)s.")
            errors.add("floor", message % {"room": row.room_number}, "floor_missing")
            return None
        building = self.buildings.get(row.key[0])
        low, high = (
            (-building.floors_below, building.floors_above)
            if building
            else (LOWEST_FLOOR, HIGHEST_FLOOR)
        )
        if floor == 0 or not low <= floor <= high:
            message = _("Building %(b)s has floors -%(below)s to %(above)s, without 0.") % {
                "b": row.key[0],
                "below": -low,
                "above": high,
            }
            errors.add("floor", message, "bad_floor")
        return floor

    def _areas(self, row: UnitRow, errors: RowErrors) -> None:
        if row.building_area is None:
            errors.add("building_area", _("Give the building area."), "area_missing")
        for name in ("building_area", "inner_area"):
            value: Decimal | None = getattr(row, name)
            if value is None:
                continue
            try:
                validate_area(value)
            except ValidationError as exc:
                errors.extend(name, exc)
                continue
            if value != value.quantize(TWO_PLACES):
                errors.add(name, _("Give the area with at most two decimals."), "area_decimals")
        area, inner = row.building_area, row.inner_area
        if area is not None and inner is not None and inner > area:
            message = _("The inner area cannot be larger than the building area.")
            errors.add("inner_area", message, "inner_area_too_large")

    def _zone(self, number: str, zone_name: str, errors: RowErrors) -> Zone | None:
        building = self.buildings.get(number)
        if building is not None:
            if zone_name and zone_name != building.zone.name:
                message = _("Building %(b)s is in zone %(zone)s, not %(given)s.") % {
                    "b": number,
                    "zone": building.zone.name,
                    "given": zone_name,
                }
                errors.add("zone", message, "other_zone")
            return building.zone
        return self._new_building_zone(number, zone_name, errors)

    def _new_building_zone(self, number: str, zone_name: str, errors: RowErrors) -> Zone | None:
        planned = self.new_buildings.get(number)
        zone = self.zones.get(zone_name) if zone_name else None
        if zone_name and zone is None:
            message = _("Unknown zone “%(zone)s”. The zones of this community are: %(zones)s.")
            names = "、".join(sorted(self.zones)) or _("none yet")
            errors.add("zone", message % {"zone": zone_name, "zones": names}, "unknown_zone")
            return None
        if zone is None and planned is not None:
            zone = planned.zone
        if zone is None and len(self.zones) == 1:
            zone = next(iter(self.zones.values()))
        if zone is None:
            message = _(
                "Building %(b)s does not exist yet: give its zone (片区) to create it, "
                "or create the building first."
            )
            errors.add("building", message % {"b": number}, "unknown_building")
            return None
        if not self.may_add_buildings:
            message = _("Building %(b)s does not exist, and you may not create buildings.")
            errors.add("building", message % {"b": number}, "unknown_building")
            return None
        if planned is not None and planned.zone != zone:
            message = _("Building %(b)s is given in zone %(zone)s on an earlier row.")
            errors.add("zone", message % {"b": number, "zone": planned.zone.name}, "other_zone")
            return None
        low, high = self._floors.get(number, (1, 1))
        self.new_buildings.setdefault(number, _NewBuilding(zone, low, high))
        return zone

    def _room(self, key: RoomKey, line: int, errors: RowErrors) -> None:
        if key in self.taken:
            message = _("Room %(room)s already exists in this community.")
            errors.add("room_number", message % {"room": room_label(key)}, "duplicate_room")
        elif key in self.seen:
            message = _("Room %(room)s is also on line %(line)s of this file.")
            errors.add(
                "room_number",
                message % {"room": room_label(key), "line": self.seen[key]},
                "duplicate_room",
            )


@transaction.atomic
def import_units(*, community: Community, rows: Sequence[UnitRow], by: User) -> dict[str, int]:
    """Create the buildings, entrances and units of `rows`, all or nothing.

    A building that does not exist yet is created in the zone the row names (or the
    community's only zone) with the floors its rows use. Returns how many of each were made.
    """
    require_perm(by, "estates.add_unit", community)
    check = UnitCheck(community=community, by=by, rows=rows)
    checked = check_all(check, rows)
    buildings = dict(check.buildings)
    for number, plan in check.new_buildings.items():
        building = Building(
            community=community,
            zone=plan.zone,
            number=number,
            floors_above=max(plan.high, 1),
            floors_below=max(-plan.low, 0),
        )
        buildings[number] = save_building(building=building, by=by)
    entrances, created = _entrances(community, buildings, checked, by=by)
    units: list[Unit] = []
    for index, row in enumerate(checked):
        try:
            units.append(_unit(community, buildings, entrances, row))
        except ValidationError as exc:
            raise BulkRowError(index, exc) from exc
    bulk_create_with_history(units, Unit, batch_size=500, default_user=by)
    return {"buildings": len(check.new_buildings), "entrances": created, "units": len(units)}


EntranceMap = dict[tuple[int, str], Entrance]


def _entrances(
    community: Community, buildings: dict[str, Building], rows: list[UnitRow], *, by: User
) -> tuple[EntranceMap, int]:
    """Every entrance the rows name, created through save_entrance when missing."""
    found: EntranceMap = {
        (e.building_id, e.number): e for e in Entrance.objects.filter(community=community)
    }
    created = 0
    for row in rows:
        building = buildings[row.building]
        if row.entrance and (building.pk, row.entrance) not in found:
            entrance = Entrance(community=community, building=building, number=row.entrance)
            found[(building.pk, row.entrance)] = save_entrance(entrance=entrance, by=by)
            created += 1
    return found, created


def _unit(
    community: Community, buildings: dict[str, Building], entrances: EntranceMap, row: UnitRow
) -> Unit:
    building = buildings[row.building]
    entrance = entrances[(building.pk, row.entrance)] if row.entrance else None
    if row.floor is None or row.building_area is None:
        raise unreadable()  # UnitCheck refuses such a row first
    unit = Unit(
        community=community,
        building=building,
        entrance=entrance,
        room_number=row.room_number,
        floor=row.floor,
        building_area=row.building_area,
        inner_area=row.inner_area,
        kind=row.kind,
        layout=row.layout,
        status=row.status,
    )
    unit.room_code = room_code_for(building.number, row.entrance or None, row.room_number)
    unit.full_clean(
        exclude=["community", "building", "entrance"],
        validate_unique=False,
        validate_constraints=False,
    )
    return unit
