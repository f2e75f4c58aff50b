"""Mail and parcels (spec §04): registered on arrival, the household told by SMS, collected
with a signature by someone of that household only, returned when held too long."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.files.signatures import signature_file
from guanjia.core.models import Community
from guanjia.core.notifications.services import Channel, notify_address
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Occupancy, Ownership, Person, Unit

from ..models import Parcel, ParcelKind
from ._common import field_error, required, same_community


def household(unit: Unit, day: dt.date | None = None) -> list[Person]:
    """The unit's current owners and occupants: who may collect its mail."""
    ids = set(Ownership.objects.filter(unit=unit).current(day).values_list("person_id", flat=True))
    ids |= set(Occupancy.objects.filter(unit=unit).current(day).values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=ids).order_by("name", "pk"))


@transaction.atomic
def register_parcel(
    *,
    community: Community,
    unit: Unit,
    addressee: str,
    carrier: str,
    by: User,
    kind: str = ParcelKind.PARCEL,
    tracking_no: str = "",
    shelf: str = "",
    now: dt.datetime | None = None,
) -> Parcel:
    """Take an item in and text the household's mobiles (after the row commits)."""
    require_perm(by, "desk.add_parcel", community)
    same_community(unit, community.pk, "unit", _("Choose a unit of this community."))
    if kind not in ParcelKind.values:
        raise field_error("kind", _("Choose the kind of item."), "invalid")
    now = now or timezone.now()
    parcel = Parcel.objects.create(
        community=community,
        unit=unit,
        addressee=required(addressee, "addressee", _("Give the addressee's name.")),
        carrier=required(carrier, "carrier", _("Give the carrier or sender.")),
        kind=kind,
        tracking_no=tracking_no.strip(),
        shelf=shelf.strip(),
        received_at=now,
        received_by=by,
    )
    phones = sorted({p.mobile for p in household(unit, timezone.localdate(now)) if p.mobile})
    context = {
        "kind": parcel.get_kind_display(),
        "room": unit.room_code,
        "addressee": parcel.addressee,
        "carrier": parcel.carrier,
        "community": community.name,
    }
    for phone in phones:
        notify_address(
            phone, "desk.parcel_arrived", context, channel=Channel.SMS, community=community
        )
    if phones:
        parcel.notified_at = now
        parcel.save(update_fields=["notified_at", "updated_at"])
    return parcel


def _held(parcel: Parcel, field: str) -> Parcel:
    locked = Parcel.objects.select_for_update().get(pk=parcel.pk)
    if locked.collected_at is not None:
        raise field_error(field, _("This item was already collected."), "collected")
    if locked.returned_at is not None:
        raise field_error(field, _("This item was already returned."), "returned")
    return locked


@transaction.atomic
def collect_parcel(
    *, parcel: Parcel, person: Person, signature: str, by: User, now: dt.datetime | None = None
) -> Parcel:
    """Handed to an owner or occupant of the item's unit, who signs for it."""
    require_perm(by, "desk.change_parcel", parcel.community_id)
    locked = _held(parcel, "collected_by")
    now = now or timezone.now()
    members = {p.pk for p in household(locked.unit, timezone.localdate(now))}
    if person.pk not in members:
        raise field_error(
            "collected_by",
            _("Only an owner or occupant of %(room)s may collect this item.")
            % {"room": locked.unit.room_code},
            "other_household",
        )
    content = signature_file(signature)
    locked.collected_at, locked.collected_by, locked.handed_by = now, person, by
    locked.signature.save("signature.png", content, save=False)
    locked.save(
        update_fields=["collected_at", "collected_by", "handed_by", "signature", "updated_at"]
    )
    return locked


@transaction.atomic
def return_parcel(*, parcel: Parcel, note: str, by: User, now: dt.datetime | None = None) -> Parcel:
    """Returned to the sender or carrier (held too long, addressee moved out), with why."""
    require_perm(by, "desk.change_parcel", parcel.community_id)
    text = required(note, "return_note", _("Say why and to whom the item is returned."))
    locked = _held(parcel, "return_note")
    locked.returned_at, locked.returned_by, locked.return_note = now or timezone.now(), by, text
    locked.save(update_fields=["returned_at", "returned_by", "return_note", "updated_at"])
    return locked


def held_too_long_q(community: Community, now: dt.datetime | None = None) -> Q:
    """Held items received more than `parcel.hold_days` days ago."""
    days = policy(community, "parcel.hold_days")
    return Q(received_at__lt=(now or timezone.now()) - dt.timedelta(days=days))
