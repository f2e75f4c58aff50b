"""Bulk import of owners: ownerships of many units at once, by transfer_ownership's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from guanjia.core.access import require_perm
from guanjia.core.models import Community

from ..models import (
    Ownership,
    UnitEvent,
    UnitEventKind,
)
from .bulk import (
    RoomKey,
    RowErrors,
    UnitRef,
    check_all,
    room_key,
    room_label,
    unreadable,
)
from .bulk_people import (
    HUNDRED,
    TWO_PLACES,
    PersonFields,
    PersonKey,
    UnitRows,
    default_start,
)

if TYPE_CHECKING:
    from guanjia.core.access import User

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


class OwnerCheck(UnitRows):
    """Every rule of an owner import; the rows are grouped by room to check the shares."""

    def __init__(self, *, community: Community, by: User, rows: Sequence[OwnerRow]) -> None:
        super().__init__(community=community, by=by)
        self.default_day = default_start(community)
        self.groups: dict[RoomKey, list[OwnerRow]] = {}
        self.first_line: dict[tuple[RoomKey, tuple[str, ...]], int] = {}
        for row in rows:
            first = self.first_line.setdefault((row.key, _who(row.person)), row.line)
            if first == row.line:  # a repeated person is reported as such, not as a co-owner
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
        room = room_label(row.key)
        first = self.first_line[(row.key, _who(row.person))]
        if first != row.line:
            said = _("%(name)s is already listed for room %(room)s on line %(line)s.")
            values = {"name": row.person.name, "room": room, "line": first}
            message = f"{said % values} {_('List each owner once.')}"
            errors.add("name", message, "duplicate_owner")
            errors.raise_any()
        person = self.people.resolve(row.person, line=row.line, errors=errors, known={})
        share = self._share(row, group, errors)
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


def _who(person: PersonFields) -> tuple[str, ...]:
    """What makes two rows of one room the same person: the ID number when given, else the
    name with the phone."""
    number = "".join(person.id_number.split()).upper()
    if number:
        return ("id", number)
    return ("name", person.name.strip(), "".join(person.phone.split()))


@transaction.atomic
def import_owners(*, community: Community, rows: Sequence[OwnerRow], by: User) -> dict[str, int]:
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
    community: Community, checked: list[CheckedOwner], names: dict[PersonKey, str], *, by: User
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
