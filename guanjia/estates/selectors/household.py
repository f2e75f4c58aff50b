"""The household archive (一户一档) of one unit, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from guanjia.core.access import has_perm_in

from ..models import (
    Occupancy,
    Ownership,
    ParkingSpace,
    Pet,
    Unit,
    UnitDocument,
    Vehicle,
)
from .access import can_edit_in_zone
from .timeline import TimelineEntry, unit_timeline

if TYPE_CHECKING:
    from guanjia.core.access import User


@dataclass
class Household:
    """Everything the unit page shows; sections the user may not read stay empty."""

    unit: Unit
    owners: list[Ownership] = field(default_factory=list)
    past_owners: list[Ownership] = field(default_factory=list)
    occupants: list[Occupancy] = field(default_factory=list)
    past_occupants: list[Occupancy] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)
    parking_spaces: list[ParkingSpace] = field(default_factory=list)
    pets: list[Pet] = field(default_factory=list)
    documents: list[UnitDocument] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    can: dict[str, bool] = field(default_factory=dict)


def _perms(user: User, unit: Unit) -> dict[str, bool]:
    names = ["view_ownership", "view_occupancy", "view_vehicle", "view_parkingspace", "view_pet"]
    names += ["view_unitdocument", "view_unitnote", "reveal_personal_data", "change_unit"]
    names += ["add_ownership", "add_occupancy", "change_occupancy", "add_vehicle", "add_pet"]
    names += ["add_unitdocument", "add_unitnote"]
    can = {n: has_perm_in(user, f"estates.{n}", unit.community) for n in names}
    in_zone = can_edit_in_zone(user, unit.community, unit.building.zone_id)
    for name in names:
        if name.startswith(("add_", "change_")):
            can[name] = can[name] and in_zone
    return can


def household(user: User, unit: Unit, *, timeline_limit: int = 30) -> Household:
    """The unit's archive as `user` may see it (unit loaded with `Unit.objects.with_place()`)."""
    can = _perms(user, unit)
    house = Household(unit=unit, can=can)
    today = timezone.localdate()
    if can["view_ownership"]:
        for o in unit.ownerships.select_related("person").order_by("-starts_on", "pk"):
            current = o.starts_on <= today and (o.ends_on is None or o.ends_on >= today)
            (house.owners if current or o.starts_on > today else house.past_owners).append(o)
    if can["view_occupancy"]:
        for c in unit.occupancies.select_related("person").order_by(
            "-is_primary_contact", "starts_on"
        ):
            (
                house.occupants if c.ends_on is None or c.ends_on >= today else house.past_occupants
            ).append(c)
    if can["view_vehicle"]:
        house.vehicles = list(unit.vehicles.select_related("person"))
    if can["view_parkingspace"]:
        house.parking_spaces = list(unit.parking_spaces.select_related("person"))
    if can["view_pet"]:
        house.pets = list(unit.pets.all())
    if can["view_unitdocument"]:
        house.documents = list(unit.documents.select_related("uploaded_by"))
    if can["view_unitnote"]:
        house.timeline = unit_timeline(unit, limit=timeline_limit)
    return house
