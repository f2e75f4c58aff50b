"""What the bulk writes of imports share: room keys, row errors and the unit lookup.

The bulk services (bulk_units, bulk_people, bulk_vehicles) check every row with the rules of
the single-row services and raise `BulkRowError(index, ValidationError)` for the first row
that breaks one, so an import can name the line; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanjia.core.models import Community

from ..models import Unit, room_code_for
from ..models.identity import strip_blanks
from ..selectors.access import can_edit_in_zone

if TYPE_CHECKING:
    from guanjia.core.access import User

RoomKey = tuple[str, str, str]  # (building no., entrance no. or "", room no.)
Checked = TypeVar("Checked", covariant=True)


class BulkRowError(Exception):
    """Row `index` of a bulk write is refused; the whole write is rolled back."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


class RowErrors:
    """Errors of one row, by field, raised together as one ValidationError."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, name: str, message: str, code: str) -> None:
        self.errors.setdefault(name, []).append(ValidationError(message, code=code))

    def extend(self, name: str, exc: ValidationError) -> None:
        self.errors.setdefault(name, []).extend(exc.error_list)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def room_key(building: str, entrance: str, room: str) -> RoomKey:
    """The normalised (building, entrance, room) of a row: upper-case, without blanks."""
    return (
        strip_blanks(building).upper(),
        strip_blanks(entrance).upper(),
        strip_blanks(room).upper(),
    )


def room_label(key: RoomKey) -> str:
    """'3-2-1201' (or '3-1201' without an entrance), as the room code reads."""
    return room_code_for(key[0], key[1] or None, key[2])


@dataclass(frozen=True)
class UnitRef:
    """A unit as an import row finds it: its id, zone, and whether the user may change it."""

    pk: int
    zone_id: int
    editable: bool


def unit_index(community: Community, by: User) -> dict[RoomKey, UnitRef]:
    """Every unit of the community by its room key (one query)."""
    editable: dict[int, bool] = {}
    index: dict[RoomKey, UnitRef] = {}
    for pk, building, entrance, room, zone_id in Unit.objects.filter(
        community=community
    ).values_list("pk", "building__number", "entrance__number", "room_number", "building__zone_id"):
        if zone_id not in editable:
            editable[zone_id] = can_edit_in_zone(by, community, zone_id)
        index[(building, entrance or "", room)] = UnitRef(pk, zone_id, editable[zone_id])
    return index


def unreadable() -> ValidationError:
    """For a value a row's checks guarantee (their errors are raised first): never reached."""
    return ValidationError(_("This row cannot be read."), code="unreadable")


class RowCheck(Protocol[Checked]):
    def check(self, row: Any) -> Checked: ...


def check_all(check: RowCheck[Checked], rows: Sequence[Any]) -> list[Checked]:
    """Every row through `check`; the first refusal becomes a BulkRowError with its index."""
    checked: list[Checked] = []
    for index, row in enumerate(rows):
        try:
            checked.append(check.check(row))
        except ValidationError as exc:
            raise BulkRowError(index, exc) from exc
    return checked
