"""Keys (spec §04 key custody, §13 vacant units): register, authorised collectors, loans
signed out and back, due back the same day unless a supervisor lets it stay out."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm, visible_community_ids
from guanjia.core.files.signatures import signature_file
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Person, Unit

from ..models import Key, KeyCollector, KeyHolding, KeyKind, KeyLoan
from ._common import field_error, required, same_community


@transaction.atomic
def register_key(
    *,
    community: Community,
    unit: Unit,
    holding: str,
    cabinet_slot: str,
    by: User,
    kind: str = KeyKind.DOOR,
    description: str = "",
    count: int = 1,
    envelope_no: str = "",
    deposited_by: Person | None = None,
) -> Key:
    """A key into the cabinet. An owner's spare comes in a sealed envelope with its number."""
    require_perm(by, "desk.add_key", community)
    same_community(unit, community.pk, "unit", _("Choose a unit of this community."))
    same_community(
        deposited_by, community.pk, "deposited_by", _("Choose a person of this community.")
    )
    slot = required(cabinet_slot, "cabinet_slot", _("Give the cabinet slot."))
    if holding not in KeyHolding.values:
        raise field_error("holding", _("Choose how the key is held."), "invalid")
    if kind not in KeyKind.values:
        raise field_error("kind", _("Choose the kind of key."), "invalid")
    if not 1 <= int(count) <= 99:
        raise field_error("count", _("Between 1 and 99 keys."), "invalid")
    if holding == KeyHolding.DEPOSITED and not envelope_no.strip():
        raise field_error(
            "envelope_no",
            _("An owner's spare key is kept in a numbered sealed envelope."),
            "required",
        )
    if Key.objects.held().filter(community=community, cabinet_slot=slot).exists():
        raise field_error(
            "cabinet_slot", _("Another key already hangs in this cabinet slot."), "slot_taken"
        )
    return Key.objects.create(
        community=community,
        unit=unit,
        holding=holding,
        kind=kind,
        description=description.strip(),
        count=count,
        envelope_no=envelope_no.strip(),
        cabinet_slot=slot,
        deposited_by=deposited_by,
        registered_by=by,
    )


@transaction.atomic
def add_collector(
    *,
    key: Key,
    by: User,
    name: str = "",
    phone: str = "",
    person: Person | None = None,
    id_last4: str = "",
) -> KeyCollector:
    """Someone allowed to collect the key (the owner's written authorisation)."""
    require_perm(by, "desk.add_key", key.community_id)
    same_community(person, key.community_id, "person", _("Choose a person of this community."))
    name = (name or (person.name if person else "")).strip()
    required(name, "name", _("Give the name of the person allowed to collect the key."))
    if id_last4 and not (len(id_last4) == 4 and id_last4[:3].isdigit()):
        raise field_error("id_last4", _("The last four characters of the ID number."), "invalid")
    return KeyCollector.objects.create(
        community_id=key.community_id,
        key=key,
        person=person,
        name=name,
        phone=phone.strip(),
        id_last4=id_last4.upper(),
        added_by=by,
    )


def _works_in(user: User, community_id: int) -> bool:
    ids = visible_community_ids(user)
    return user.is_active and (ids is None or community_id in ids)


def due_back(community: Community, now: dt.datetime) -> dt.datetime:
    """The end of the desk's opening hours today; after hours, the end of the day."""
    local = timezone.localtime(now)
    ends = [end for _start, end in policy(community, "desk.hours")]
    closing = max(ends) if ends else dt.time(23, 59, 59)
    due = local.replace(hour=closing.hour, minute=closing.minute, second=0, microsecond=0)
    if due <= local:
        due = local.replace(hour=23, minute=59, second=59, microsecond=0)
    return due


@transaction.atomic
def lend_key(
    *,
    key: Key,
    purpose: str,
    signature: str,
    by: User,
    collector: KeyCollector | None = None,
    staff: User | None = None,
    now: dt.datetime | None = None,
) -> KeyLoan:
    """Sign a key out to an authorised collector or a staff member, due back today.

    Refused: a key already out (the open loan stays as it is), a key given back to its owner,
    a collector of another key, nobody or both named, no purpose, no signature."""
    require_perm(by, "desk.add_keyloan", key.community_id)
    locked = Key.objects.select_for_update().get(pk=key.pk)
    if locked.released_at is not None:
        raise field_error("key", _("This key was given back to its owner."), "released")
    if KeyLoan.objects.out().filter(key=locked).exists():
        raise field_error("key", _("This key is already out: it must come back first."), "key_out")
    if (collector is None) == (staff is None):
        raise field_error(
            "collector", _("Name either an authorised collector or a staff member."), "borrower"
        )
    if collector is not None and (collector.key_id != locked.pk or collector.removed_at):
        raise field_error(
            "collector", _("This person is not authorised to collect this key."), "not_authorised"
        )
    if staff is not None and not _works_in(staff, locked.community_id):
        raise field_error("staff", _("Choose a staff member of this community."), "invalid")
    text = required(purpose, "purpose", _("Say what the key is needed for."))
    content = signature_file(signature)
    now = now or timezone.now()
    loan = KeyLoan(
        community_id=locked.community_id,
        key=locked,
        collector=collector,
        staff=staff,
        borrower_name=collector.name if collector else (staff.get_full_name() or staff.username),  # type: ignore[union-attr]
        purpose=text,
        out_at=now,
        due_at=due_back(locked.community, now),
        lent_by=by,
    )
    loan.out_signature.save("signature.png", content, save=False)
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError:  # the same key lent at the same moment by another desk
        raise field_error(
            "key", _("This key is already out: it must come back first."), "key_out"
        ) from None
    return loan


@transaction.atomic
def return_key(
    *, loan: KeyLoan, signature: str, by: User, now: dt.datetime | None = None
) -> KeyLoan:
    """The key back in the cabinet, signed by whoever brings it."""
    require_perm(by, "desk.add_keyloan", loan.community_id)
    locked = KeyLoan.objects.select_for_update().get(pk=loan.pk)
    if locked.returned_at is not None:
        raise field_error("loan", _("This key is already back."), "returned")
    content = signature_file(signature)
    locked.returned_at = now or timezone.now()
    locked.received_by = by
    locked.return_signature.save("signature.png", content, save=False)
    locked.save(update_fields=["returned_at", "received_by", "return_signature", "updated_at"])
    return locked


@transaction.atomic
def approve_overnight(*, loan: KeyLoan, until: dt.datetime, by: User) -> KeyLoan:
    """A supervisor lets a key stay out past today (an approved repair), until a given time."""
    require_perm(by, "desk.approve_key_overnight", loan.community_id)
    locked = KeyLoan.objects.select_for_update().get(pk=loan.pk)
    if locked.returned_at is not None:
        raise field_error("until", _("This key is already back."), "returned")
    if by.pk == locked.lent_by_id:
        raise field_error("until", _("Someone other than the lender approves this."), "own_loan")
    if until <= locked.due_at or until > locked.out_at + dt.timedelta(days=7):
        raise field_error(
            "until", _("Later than it is due now and at most 7 days after it went out."), "invalid"
        )
    locked.due_at = until
    locked.overnight_approved_by = by
    locked.save(update_fields=["due_at", "overnight_approved_by", "updated_at"])
    return locked
