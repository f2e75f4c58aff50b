"""Bulk writes for imports: the vehicles of many households at once.

The rules are save_vehicle's: the plate normalised (粤a·12345 -> 粤A12345) and validated, one
plate once per community, the owner one of the unit's current owners or occupants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from guanjia.core.access import require_perm
from guanjia.core.models import Community

from ..models import Occupancy, Ownership, Vehicle
from ..models.identity import normalise_name, normalise_plate, squeeze, validate_plate
from .bulk import (
    RoomKey,
    RowErrors,
    UnitRef,
    check_all,
    room_key,
    room_label,
    unit_index,
    unreadable,
)

if TYPE_CHECKING:
    from guanjia.core.access import User


@dataclass(frozen=True)
class VehicleRow:
    """One vehicle of a household: its plate and, optionally, which resident drives it."""

    building: str
    room_number: str
    plate: str
    entrance: str = ""
    owner_name: str = ""
    model: str = ""
    colour: str = ""
    line: int = 0

    @cached_property  # read many times per row; normalising is not free
    def key(self) -> RoomKey:
        return room_key(self.building, self.entrance, self.room_number)


@dataclass(frozen=True)
class CheckedVehicle:
    unit: UnitRef
    plate: str
    person_id: int | None
    row: VehicleRow


class VehicleCheck:
    """Every rule of a vehicle import, with units, plates and residents loaded once."""

    def __init__(self, *, community: Community, by: User) -> None:
        self.units = unit_index(community, by)
        self.taken = set(
            Vehicle.objects.filter(community=community).values_list("plate", flat=True)
        )
        self.seen: dict[str, int] = {}
        self.residents: dict[int, dict[str, int]] = {}
        today = timezone.localdate()
        for model in (Occupancy, Ownership):
            current = model.objects.filter(community=community).current(today)
            for unit_id, person_id, name in current.values_list(
                "unit_id", "person_id", "person__name"
            ):
                self.residents.setdefault(unit_id, {}).setdefault(name, person_id)

    def check(self, row: VehicleRow) -> CheckedVehicle:
        errors = RowErrors()
        unit = self.units.get(row.key)
        if unit is None:
            message = _("There is no unit %(room)s in this community: import the units first.")
            errors.add("room_number", message % {"room": room_label(row.key)}, "unknown_unit")
        elif not unit.editable:
            message = _("This unit is in a zone another area manager looks after.")
            errors.add("room_number", message, "not_your_zone")
        plate = self._plate(row, errors)
        person_id = self._person(row, unit, errors)
        errors.raise_any()
        if unit is None:
            raise unreadable()
        self.seen.setdefault(plate, row.line)
        return CheckedVehicle(unit=unit, plate=plate, person_id=person_id, row=row)

    def _plate(self, row: VehicleRow, errors: RowErrors) -> str:
        plate = normalise_plate(row.plate)
        try:
            validate_plate(plate)
        except ValidationError as exc:
            errors.extend("plate", exc)
            return plate
        if plate in self.taken:
            message = _("This plate is already registered in this community.")
            errors.add("plate", message, "duplicate_plate")
        elif plate in self.seen:
            message = _("This plate is also on line %(line)s of this file.")
            errors.add("plate", message % {"line": self.seen[plate]}, "duplicate_plate")
        return plate

    def _person(self, row: VehicleRow, unit: UnitRef | None, errors: RowErrors) -> int | None:
        name = normalise_name(row.owner_name)
        if not name or unit is None:
            return None
        person_id = self.residents.get(unit.pk, {}).get(name)
        if person_id is None:
            message = _(
                "No current owner or occupant of %(room)s is called %(name)s: "
                "import the owners and occupants first, or leave the name empty."
            )
            errors.add(
                "owner_name", message % {"room": room_label(row.key), "name": name}, "not_resident"
            )
        return person_id


@transaction.atomic
def import_vehicles(
    *, community: Community, rows: Sequence[VehicleRow], by: User
) -> dict[str, int]:
    """Register the vehicles of many households, all or nothing."""
    require_perm(by, "estates.add_vehicle", community)
    checked = check_all(VehicleCheck(community=community, by=by), rows)
    vehicles = []
    for item in checked:
        vehicle = Vehicle(
            community=community,
            unit_id=item.unit.pk,
            person_id=item.person_id,
            plate=item.plate,
            plate_tail=item.plate[1:],
            model=squeeze(item.row.model),
            colour=squeeze(item.row.colour),
        )
        vehicle.full_clean(
            exclude=["community", "unit", "person"],
            validate_unique=False,
            validate_constraints=False,
        )
        vehicles.append(vehicle)
    bulk_create_with_history(vehicles, Vehicle, batch_size=500, default_user=by)
    return {"vehicles": len(vehicles)}
