"""Bulk import of occupants (family, tenants, helpers) of many units, by save_occupancy's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from guanjia.core.access import require_perm
from guanjia.core.models import Community

from ..models import (
    Occupancy,
    Ownership,
    Relation,
    UnitEvent,
    UnitEventKind,
)
from ..models.identity import squeeze
from .bulk import (
    RoomKey,
    RowErrors,
    UnitRef,
    check_all,
    room_key,
    unreadable,
)
from .bulk_people import (
    PersonFields,
    PersonKey,
    UnitRows,
)

if TYPE_CHECKING:
    from guanjia.core.access import User

# --- Occupants ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupantRow:
    """One person living in one unit: family, a tenant (with lease and consent), a helper."""

    building: str
    room_number: str
    person: PersonFields
    relation: str
    entrance: str = ""
    lease_starts_on: dt.date | None = None
    lease_ends_on: dt.date | None = None
    consent_ref: str = ""
    line: int = 0

    @cached_property  # read many times per row; normalising is not free
    def key(self) -> RoomKey:
        return room_key(self.building, self.entrance, self.room_number)


@dataclass(frozen=True)
class CheckedOccupant:
    unit: UnitRef
    person: PersonKey
    row: OccupantRow
    starts_on: dt.date


class OccupantCheck(UnitRows):
    """Every rule of an occupant import."""

    def __init__(self, *, community: Community, by: User, rows: Sequence[OccupantRow]) -> None:
        super().__init__(community=community, by=by)
        today = timezone.localdate()
        self.today = today
        self.owners_by_name: dict[int, dict[str, int]] = {}
        owners = Ownership.objects.filter(community=community).current(today)
        for unit_id, person_id, name in owners.values_list("unit_id", "person_id", "person__name"):
            self.owners_by_name.setdefault(unit_id, {})[name] = person_id
        self.living: set[tuple[int, int]] = set(
            Occupancy.objects.filter(community=community, ends_on__isnull=True).values_list(
                "unit_id", "person_id"
            )
        )
        self.seen: set[tuple[int, PersonKey]] = set()

    def check(self, row: OccupantRow) -> CheckedOccupant:
        errors = RowErrors()
        unit = self.unit(row.key, errors)
        known = self.owners_by_name.get(unit.pk, {}) if unit and row.relation == "owner" else {}
        person = self.people.resolve(row.person, line=row.line, errors=errors, known=known)
        self._tenant(row, errors)
        if unit is not None and person is not None:
            living = person[0] == "pk" and (unit.pk, person[1]) in self.living
            if living or (unit.pk, person) in self.seen:
                message = _("%(name)s already lives in this unit in an overlapping period.")
                errors.add("name", message % {"name": squeeze(row.person.name)}, "overlapping")
        errors.raise_any()
        if unit is None or person is None:
            raise unreadable()
        self.seen.add((unit.pk, person))
        start = row.lease_starts_on if row.relation == Relation.TENANT else None
        return CheckedOccupant(unit=unit, person=person, row=row, starts_on=start or self.today)

    @staticmethod
    def _tenant(row: OccupantRow, errors: RowErrors) -> None:
        if row.relation == Relation.TENANT:
            if not squeeze(row.consent_ref):
                message = _("A tenant needs the reference of the owner's consent.")
                errors.add("consent_ref", message, "tenant_without_consent")
            if not row.lease_starts_on or not row.lease_ends_on:
                message = _("A tenant needs the start and end of the lease.")
                errors.add("lease_ends_on", message, "tenant_without_consent")
        starts, ends = row.lease_starts_on, row.lease_ends_on
        if starts and ends and ends < starts:
            errors.add("lease_ends_on", _("The lease must not end before it starts."), "bad_lease")


@transaction.atomic
def import_occupants(
    *, community: Community, rows: Sequence[OccupantRow], by: User
) -> dict[str, int]:
    """Register the occupants of many units, all or nothing."""
    require_perm(by, "estates.add_occupancy", community)
    check = OccupantCheck(community=community, by=by, rows=rows)
    checked = check_all(check, rows)
    person_ids = check.people.create(by=by)
    occupancies = []
    for item in checked:
        occupancy = Occupancy(
            community=community,
            unit_id=item.unit.pk,
            person_id=person_ids[item.person],
            relation=item.row.relation,
            starts_on=item.starts_on,
            lease_starts_on=item.row.lease_starts_on,
            lease_ends_on=item.row.lease_ends_on,
            consent_ref=squeeze(item.row.consent_ref),
        )
        occupancy.full_clean(
            exclude=["community", "unit", "person"],
            validate_unique=False,
            validate_constraints=False,
        )
        occupancies.append(occupancy)
    bulk_create_with_history(occupancies, Occupancy, batch_size=500, default_user=by)
    now = timezone.now()
    events = [
        UnitEvent(
            community=community,
            unit_id=o.unit_id,
            kind=UnitEventKind.MOVED_IN,
            note=f"{check.people.names[item.person]} ({o.get_relation_display()})"[:500],
            actor=by,
            at=now,
        )
        for o, item in zip(occupancies, checked, strict=True)
    ]
    UnitEvent.objects.bulk_create(events, batch_size=500)
    return {"persons": len(check.people.new), "occupancies": len(occupancies)}
