"""The developer's owner roll (业主清册): one sheet naming each unit with its areas and its
owners, imported in one step: the units first, then their owners, all or nothing.

Each row is read twice, as a row of the units import and as a row of the owners import, and
checked by the same services (`UnitCheck`, `OwnerCheck`; written by `import_units` and
`import_owners`). Co-owners take one row each: the room's first row makes the unit, the
others repeat its unit columns or leave them empty. A room that already exists is refused,
as the units import refuses it: owners of existing units come in through the owners import.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.core.access import has_perm_in
from guanjia.core.imports.base import CommitReport, ImportRow, ImportRowError
from guanjia.core.models import Community

from ..models import UnitStatus
from ..services import (
    BulkRowError,
    OwnerCheck,
    OwnerRow,
    UnitCheck,
    UnitRow,
    import_owners,
    import_units,
)
from ..services.bulk import RoomKey, RowErrors, UnitRef
from .common import RoomImporter, text_of
from .people import OWNER_COLUMNS, OwnerImporter
from .units import UNIT_COLUMNS, UnitImporter

_ROOM_FIELDS = ("building", "entrance", "room_number")
# The unit columns, then the owner's (the room columns once).
ROLL_COLUMNS = (*UNIT_COLUMNS, *(c for c in OWNER_COLUMNS if c.field not in _ROOM_FIELDS))
# What a co-owner's row repeats of the room's first row, or leaves empty.
_UNIT_FIELDS = ("floor", "building_area", "inner_area", "kind", "layout", "status", "zone")


class OwnerRollImporter(RoomImporter):
    """Units and their owners from the developer's owner roll, in one step."""

    code = "owner_roll"
    label = gettext_lazy("Owner roll (units and owners)")
    columns = ROLL_COLUMNS
    permission = "estates.add_ownership"
    done_url_name = "estates:unit-list"
    required_fields = ("building", "room_number", "name")
    count_labels = {
        "buildings": gettext_lazy("Buildings added"),
        "entrances": gettext_lazy("Entrances added"),
        "persons": gettext_lazy("People registered"),
        "ownerships": gettext_lazy("Ownerships registered"),
    }

    def _parts(self) -> tuple[UnitImporter, OwnerImporter]:
        if "_unit_part" not in self.__dict__:
            self._unit_part = UnitImporter(by=self.by, community=self.community)
            self._owner_part = OwnerImporter(by=self.by, community=self.community)
        return self._unit_part, self._owner_part

    def unit_row(self, data: dict[str, Any], line: int, errors: RowErrors) -> UnitRow:
        """The row as the units import reads it; an empty status is "sold" (it has owners)."""
        row = self._parts()[0].to_row(data, line, errors)
        if not text_of(data, "status"):
            row = dataclasses.replace(row, status=UnitStatus.SOLD_NOT_NOTIFIED)
        return row

    def owner_row(self, data: dict[str, Any], line: int, errors: RowErrors) -> OwnerRow:
        return self._parts()[1].to_row(data, line, errors)

    def prepare(self, rows: Sequence[ImportRow]) -> None:
        units = [self.unit_row(r.data, r.line, RowErrors()) for r in rows]
        owners = [self.owner_row(r.data, r.line, RowErrors()) for r in rows]
        self.first_of_room: dict[RoomKey, UnitRow] = {}
        for unit in units:
            self.first_of_room.setdefault(unit.key, unit)
        self.unit_check = UnitCheck(
            community=self.target, by=self.by, rows=list(self.first_of_room.values())
        )
        self.owner_check = OwnerCheck(community=self.target, by=self.by, rows=owners)
        # The owners' check finds the file's new rooms as if they were made already (the
        # units' check refuses a room that exists, and the zone a room may be made in).
        for number, key in enumerate(self.first_of_room, start=1):
            self.owner_check.units.setdefault(key, UnitRef(pk=-number, zone_id=0, editable=True))
        self.may_add_units = has_perm_in(self.by, "estates.add_unit", self.target)
        self.lines = iter([r.line for r in rows])

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        line = next(self.lines, 0)
        if any(not row.get(name) for name in self.required_fields):
            return row  # the framework has reported the empty required cell
        errors = RowErrors()
        unit = self.unit_row(row, line, errors)
        first = self.first_of_room.get(unit.key, unit)
        self._check_unit(unit, first, errors)
        try:
            self.owner_check.check(self.owner_row(row, line, errors))
        except ValidationError as exc:
            for name, messages in exc.error_dict.items():
                errors.extend(name, ValidationError(messages))
        errors.raise_any()
        building, entrance, room_number = unit.key
        return {**row, "building": building, "entrance": entrance, "room_number": room_number}

    def _check_unit(self, unit: UnitRow, first: UnitRow, errors: RowErrors) -> None:
        if not self.may_add_units:
            errors.add("room_number", _("You may not add units."), "may_not_add_units")
        elif first.line != unit.line:
            self._same_unit(unit, first, errors)
        else:
            try:
                self.unit_check.check(unit)
            except ValidationError as exc:
                for name, messages in exc.error_dict.items():
                    errors.extend(name, ValidationError(messages))

    def _same_unit(self, unit: UnitRow, first: UnitRow, errors: RowErrors) -> None:
        """A co-owner's row: its unit columns are the first row's, or empty."""
        for name in _UNIT_FIELDS:
            value, expected = getattr(unit, name), getattr(first, name)
            empty = value in (None, "") or (name == "status" and value == first.status)
            if not empty and value != expected:
                message = _("Differs from line %(line)s, which gives this room's unit.")
                errors.add(name, message % {"line": first.line}, "differs_from_first_row")

    def commit(
        self, rows: Sequence[ImportRow], *, by: User, community: Community | None
    ) -> CommitReport:
        community = community or self.target
        units: list[UnitRow] = []
        rooms: set[RoomKey] = set()
        for row in rows:
            unit = self.unit_row(row.data, row.line, RowErrors())
            if unit.key not in rooms:
                rooms.add(unit.key)
                units.append(unit)
        owners = [self.owner_row(r.data, r.line, RowErrors()) for r in rows]
        try:
            made = import_units(community=community, rows=units, by=by)
        except BulkRowError as exc:
            raise ImportRowError(units[exc.index].line, exc.error) from exc
        try:
            registered = import_owners(community=community, rows=owners, by=by)
        except BulkRowError as exc:
            raise ImportRowError(rows[exc.index].line, exc.error) from exc
        counts = {
            "buildings": made["buildings"],
            "entrances": made["entrances"],
            "persons": registered["persons"],
            "ownerships": registered["ownerships"],
        }
        return CommitReport(created=made["units"], counts=counts)
