"""Bulk writes for imports: owners and occupants of many units at once.

Each person goes through prepare_person (the single-row rules: names, phones, the ID number
checked, encrypted, hashed and masked, the pinyin and last-four search columns); ownerships
follow transfer_ownership (shares add up to 100 %, a new owner starts after the current ones,
who end the day before) and occupancies save_occupancy (a tenant needs lease dates and the
owner's consent). Lookups are loaded once; rows are written with bulk_create, 500 a batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from guanjia.accounts.selectors import has_perm_in, require_perm
from guanjia.core.models import Community

from ..models import (
    IdType,
    Occupancy,
    Ownership,
    Person,
    PersonKind,
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
    room_label,
    unit_index,
    unreadable,
)
from .people import prepare_person

PersonKey = tuple[Any, ...]  # ("pk", id) for a registered person, else how the file names one
HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")
ORGANISATION_SUFFIXES = ("公司", "集团", "中心", "委员会", "合作社")


@dataclass(frozen=True)
class PersonFields:
    """Who a row names: the name, a phone, the ID document."""

    name: str
    phone: str = ""
    id_type: str = ""
    id_number: str = ""


def default_start(community: Community) -> dt.date:
    """The day imported owners start when the file gives none: the community's delivery
    date, or today."""
    return community.delivered_on or timezone.localdate()


class PersonResolver:
    """Finds the registered person a row names (same ID number, or same name and mobile) or
    prepares a new one; a person named on several rows is one person."""

    def __init__(self, community: Community, by: Any) -> None:
        self.community = community
        self.by_hash: dict[str, tuple[int, str]] = {}
        self.by_phone: dict[tuple[str, str], int] = {}
        for pk, name, mobile, digest in Person.objects.filter(community=community).values_list(
            "pk", "name", "mobile", "id_number_hash"
        ):
            if digest:
                self.by_hash[digest] = (pk, name)
            if mobile:
                self.by_phone.setdefault((name, mobile), pk)
        self.file_hashes: dict[str, tuple[str, int]] = {}
        self.new: dict[PersonKey, Person] = {}
        self.names: dict[PersonKey, str] = {}
        self.may_add = has_perm_in(by, "estates.add_person", community)

    def resolve(
        self, fields: PersonFields, *, line: int, errors: RowErrors, known: dict[str, int]
    ) -> PersonKey | None:
        """The row's person key; `known` maps names to people already tied to the unit."""
        person = self._prepared(fields, errors)
        if person is None:
            return None
        key = self._key(person, line, errors, known)
        if key is None:
            return None
        self.names[key] = person.name
        if key[0] != "pk" and key not in self.new:
            if not self.may_add:
                message = _("%(name)s is not registered, and you may not register people.")
                errors.add("name", message % {"name": person.name}, "not_registered")
                return None
            self.new[key] = person
        return key

    def _prepared(self, fields: PersonFields, errors: RowErrors) -> Person | None:
        name = squeeze(fields.name)
        organisation = fields.id_type == IdType.CREDIT_CODE or name.endswith(ORGANISATION_SUFFIXES)
        person = Person(
            community=self.community,
            kind=PersonKind.ORGANISATION if organisation else PersonKind.PERSON,
            name=name,
            mobile=fields.phone,
            id_type=fields.id_type,
        )
        try:
            prepare_person(person, id_number=fields.id_number)
        except ValidationError as exc:
            for name_, messages in exc.error_dict.items():
                errors.extend("phone" if name_ == "mobile" else name_, ValidationError(messages))
            return None
        return person

    def _key(
        self, person: Person, line: int, errors: RowErrors, known: dict[str, int]
    ) -> PersonKey | None:
        digest = person.id_number_hash
        if digest:
            registered = self.by_hash.get(digest)
            first = self.file_hashes.setdefault(digest, (person.name, line))
            if registered is not None and registered[1] != person.name:
                message = _("This ID number is registered to %(name)s.")
                errors.add("id_number", message % {"name": registered[1]}, "id_number_taken")
                return None
            if first[0] != person.name:
                message = _("This ID number is given for %(name)s on line %(line)s.")
                errors.add("id_number", message % {"name": first[0], "line": first[1]}, "id_clash")
                return None
            return ("pk", registered[0]) if registered else ("id", digest)
        if person.mobile and (person.name, person.mobile) in self.by_phone:
            return ("pk", self.by_phone[(person.name, person.mobile)])
        if person.name in known:
            return ("pk", known[person.name])
        return ("phone", person.name, person.mobile) if person.mobile else ("line", line)

    @transaction.atomic
    def create(self, *, by: Any) -> dict[PersonKey, int]:
        """Write the new people (one INSERT per 500) and return every key's person id."""
        people = list(self.new.values())
        for person in people:
            person.full_clean(
                exclude=["community"], validate_unique=False, validate_constraints=False
            )
        bulk_create_with_history(people, Person, batch_size=500, default_user=by)
        ids = {key: person.pk for key, person in self.new.items()}
        return ids | {key: key[1] for key in self.names if key[0] == "pk"}


class _UnitRows:
    """What owner and occupant checks share: the units, zones and the people resolver."""

    permission: str

    def __init__(self, *, community: Community, by: Any) -> None:
        self.community = community
        self.by = by
        self.units = unit_index(community, by)
        self.people = PersonResolver(community, by)

    def unit(self, key: RoomKey, errors: RowErrors) -> UnitRef | None:
        unit = self.units.get(key)
        if unit is None:
            message = _("There is no unit %(room)s in this community: import the units first.")
            errors.add("room_number", message % {"room": room_label(key)}, "unknown_unit")
        elif not unit.editable:
            message = _("This unit is in a zone another area manager looks after.")
            errors.add("room_number", message, "not_your_zone")
        return unit


# --- Owners ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerRow:
    """One owner of one unit; co-owners are several rows of the same room."""

    building: str
    room_number: str
    person: PersonFields
    entrance: str = ""
    share: Decimal | None = None
    starts_on: dt.date | None = None
    line: int = 0

    @cached_property  # read many times per row; normalising is not free
    def key(self) -> RoomKey:
        return room_key(self.building, self.entrance, self.room_number)


@dataclass(frozen=True)
class CheckedOwner:
    unit: UnitRef
    person: PersonKey
    share: Decimal
    starts_on: dt.date


class OwnerCheck(_UnitRows):
    """Every rule of an owner import; the rows are grouped by room to check the shares."""

    def __init__(self, *, community: Community, by: Any, rows: Sequence[OwnerRow]) -> None:
        super().__init__(community=community, by=by)
        self.default_day = default_start(community)
        self.groups: dict[RoomKey, list[OwnerRow]] = {}
        for row in rows:
            self.groups.setdefault(row.key, []).append(row)
        self.current_start: dict[int, dt.date] = {}
        current = Ownership.objects.filter(community=community, ends_on__isnull=True)
        for unit_id, start in current.values_list("unit_id", "starts_on"):
            self.current_start[unit_id] = max(start, self.current_start.get(unit_id, start))
        self.seen: dict[RoomKey, set[PersonKey]] = {}
        self.grouped: set[RoomKey] = set()

    def check(self, row: OwnerRow) -> CheckedOwner:
        errors = RowErrors()
        unit = self.unit(row.key, errors)
        group = self.groups.get(row.key, [row])
        start = row.starts_on or self.default_day
        person = self.people.resolve(row.person, line=row.line, errors=errors, known={})
        share = self._share(row, group, errors)
        room = room_label(row.key)
        if person is not None and person in self.seen.setdefault(row.key, set()):
            message = _("The same person is listed twice for room %(room)s.")
            errors.add("name", message % {"room": room}, "duplicate_owner")
        if row.key not in self.grouped:  # the room's first row carries the room's own errors
            self.grouped.add(row.key)
            self._group(room, group, errors)
        latest = self.current_start.get(unit.pk) if unit else None
        if latest is not None and start <= latest:
            message = _("The new owners must start after the current owners' start (%(day)s).")
            errors.add("starts_on", message % {"day": latest.isoformat()}, "overlapping_ownership")
        errors.raise_any()
        if unit is None or person is None or share is None:
            raise unreadable()
        self.seen[row.key].add(person)
        return CheckedOwner(unit=unit, person=person, share=share, starts_on=start)

    def _share(self, row: OwnerRow, group: list[OwnerRow], errors: RowErrors) -> Decimal | None:
        share = row.share if row.share is not None else (HUNDRED if len(group) == 1 else None)
        if share is None:
            return HUNDRED  # reported once for the room by _group
        if not Decimal("0") < share <= HUNDRED or share != share.quantize(TWO_PLACES):
            message = _("A share is above 0 and at most 100 %, with at most two decimals.")
            errors.add("share", message, "bad_share")
        return share

    def _group(self, room: str, group: list[OwnerRow], errors: RowErrors) -> None:
        """The room's own rules, reported on its first row: shares and a common start."""
        shares = [row.share for row in group]
        if len(group) > 1 and None in shares:
            message = _("Give each co-owner's share: room %(room)s has %(n)s owners.")
            errors.add("share", message % {"room": room, "n": len(group)}, "share_missing")
        elif len(group) > 1 or shares[0] is not None:
            total = sum((share or Decimal("0") for share in shares), Decimal("0"))
            if total != HUNDRED:
                message = _(
                    "The owners' shares of room %(room)s add up to %(total)s %%, not 100 %%."
                )
                errors.add("share", message % {"room": room, "total": total}, "shares_not_100")
        if len({row.starts_on for row in group}) > 1:
            message = _("The co-owners of room %(room)s must start on the same day.")
            errors.add("starts_on", message % {"room": room}, "different_starts")


@transaction.atomic
def import_owners(*, community: Community, rows: Sequence[OwnerRow], by: Any) -> dict[str, int]:
    """Register the owners of many units, all or nothing (a sale for units that have owners:
    theirs end the day before the new ones start)."""
    require_perm(by, "estates.add_ownership", community)
    check = OwnerCheck(community=community, by=by, rows=rows)
    checked = check_all(check, rows)
    person_ids = check.people.create(by=by)
    starts = {owner.unit.pk: owner.starts_on for owner in checked}
    ended = list(Ownership.objects.filter(unit_id__in=starts, ends_on__isnull=True))
    now = timezone.now()
    for ownership in ended:
        ownership.ends_on = starts[ownership.unit_id] - dt.timedelta(days=1)
        ownership.updated_at = now
    bulk_update_with_history(
        ended, Ownership, ["ends_on", "updated_at"], batch_size=500, default_user=by
    )
    ownerships = [
        Ownership(
            community=community,
            unit_id=owner.unit.pk,
            person_id=person_ids[owner.person],
            share=owner.share,
            starts_on=owner.starts_on,
        )
        for owner in checked
    ]
    for ownership in ownerships:
        ownership.full_clean(
            exclude=["community", "unit", "person"],
            validate_unique=False,
            validate_constraints=False,
        )
    bulk_create_with_history(ownerships, Ownership, batch_size=500, default_user=by)
    _owner_events(community, checked, check.people.names, by=by)
    return {"persons": len(check.people.new), "ownerships": len(ownerships), "units": len(starts)}


def _owner_events(
    community: Community, checked: list[CheckedOwner], names: dict[PersonKey, str], *, by: Any
) -> None:
    by_unit: dict[int, list[CheckedOwner]] = {}
    for owner in checked:
        by_unit.setdefault(owner.unit.pk, []).append(owner)
    now = timezone.now()
    events = []
    for unit_id, owners in by_unit.items():
        listed = ", ".join(f"{names[o.person]} {o.share}%" for o in owners)
        note = _("New owners from %(day)s: %(names)s") % {
            "day": owners[0].starts_on.isoformat(),
            "names": listed,
        }
        events.append(
            UnitEvent(
                community=community,
                unit_id=unit_id,
                kind=UnitEventKind.OWNERS,
                note=note[:500],
                actor=by,
                at=now,
            )
        )
    UnitEvent.objects.bulk_create(events, batch_size=500)


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


class OccupantCheck(_UnitRows):
    """Every rule of an occupant import."""

    def __init__(self, *, community: Community, by: Any, rows: Sequence[OccupantRow]) -> None:
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
    *, community: Community, rows: Sequence[OccupantRow], by: Any
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
