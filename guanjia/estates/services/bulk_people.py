"""Bulk writes for imports: owners and occupants of many units at once — what both share.

Each person goes through prepare_person (the single-row rules: names, phones, the ID number
checked, encrypted, hashed and masked, the pinyin and last-four search columns); ownerships
follow transfer_ownership (shares add up to 100 %, a new owner starts after the current ones,
who end the day before) and occupancies save_occupancy (a tenant needs lease dates and the
owner's consent). Lookups are loaded once; rows are written with bulk_create, 500 a batch.
Owners are in bulk_owners.py, occupants in bulk_occupants.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from guanjia.core.access import has_perm_in
from guanjia.core.models import Community

from ..models import (
    IdType,
    Person,
    PersonKind,
)
from ..models.identity import squeeze
from .bulk import (
    RoomKey,
    RowErrors,
    UnitRef,
    room_label,
    unit_index,
)
from .people import prepare_person

if TYPE_CHECKING:
    from guanjia.core.access import User

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

    def __init__(self, community: Community, by: User) -> None:
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
    def create(self, *, by: User) -> dict[PersonKey, int]:
        """Write the new people (one INSERT per 500) and return every key's person id."""
        people = list(self.new.values())
        for person in people:
            person.full_clean(
                exclude=["community"], validate_unique=False, validate_constraints=False
            )
        bulk_create_with_history(people, Person, batch_size=500, default_user=by)
        ids = {key: person.pk for key, person in self.new.items()}
        return ids | {key: key[1] for key in self.names if key[0] == "pk"}


class UnitRows:
    """What owner and occupant checks share: the units, zones and the people resolver."""

    permission: str

    def __init__(self, *, community: Community, by: User) -> None:
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
