"""Writes about people: persons, ownerships (sales), occupancies, and revealing personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import require_perm
from guanjia.core.personal_data import mask_id_number
from guanjia.core.text import clean_name

from ..models import (
    IdType,
    Occupancy,
    Ownership,
    Person,
    PersonalDataAccess,
    PersonKind,
    PiiField,
    Relation,
    Unit,
    UnitEvent,
    UnitEventKind,
)
from ..models.identity import (
    decrypt_pii,
    encrypt_pii,
    field_error,
    last4,
    lookup_hash,
    normalise_id_number,
    normalise_name,
    normalise_phone,
    pinyin_keys,
    squeeze,
    validate_credit_code,
    validate_other_id,
    validate_phone,
    validate_resident_id,
)
from ..selectors.access import is_zone_bound, managed_zone_ids, require_edit

if TYPE_CHECKING:
    from guanjia.core.access import User

PHONE_FIELDS = ("mobile", "other_phone", "emergency_phone")


@transaction.atomic
def save_person(*, person: Person, by: User, id_number: str | None = None) -> Person:
    """Create or change a person. `id_number`: None keeps the stored one, "" removes it.
    An area manager changes only the people who own or live in a unit of a zone they look
    after (spec §26 rule 3), as for units and occupancies."""
    require_perm(by, f"estates.{'change' if person.pk else 'add'}_person", person.community)
    if person.pk:
        require_person_in_zone(by, person)
    prepare_person(person, id_number=id_number)
    person.full_clean()
    person.save()
    return person


def require_person_in_zone(user: User, person: Person) -> None:
    """PermissionDenied for a zone-bound area manager unless the person currently owns or
    occupies a unit of one of the zones they manage."""
    community = person.community
    if not is_zone_bound(user, community):
        return
    today = timezone.localdate()
    zones = set(
        Ownership.objects.current(today)
        .filter(person=person)
        .values_list("unit__building__zone_id", flat=True)
    ) | set(
        Occupancy.objects.current(today)
        .filter(person=person)
        .values_list("unit__building__zone_id", flat=True)
    )
    if not zones & managed_zone_ids(user, community):
        raise PermissionDenied(_("This person lives in a zone another area manager looks after."))


def prepare_person(person: Person, *, id_number: str | None = None) -> None:
    """Normalise and check a person in memory (shared by the form, the API and imports)."""
    errors: dict[str, list[ValidationError]] = {}
    for name in ("name", "contact_person", "emergency_name"):
        try:
            setattr(person, name, normalise_name(clean_name(getattr(person, name))))
        except ValidationError as exc:
            errors.setdefault(name, []).append(exc)
    for name in PHONE_FIELDS:
        value = normalise_phone(getattr(person, name))
        setattr(person, name, value)
        try:
            validate_phone(value)
        except ValidationError as exc:
            errors.setdefault(name, []).append(exc)
    if id_number is not None:
        try:
            set_id_number(person, id_number)
        except ValidationError as exc:
            errors.setdefault("id_number", []).append(exc)
    if errors:
        raise ValidationError(errors)
    if person.kind == PersonKind.ORGANISATION:
        person.gender = ""
    is_person = person.kind == PersonKind.PERSON
    person.name_pinyin, person.name_initials = pinyin_keys(person.name, is_person=is_person)
    person.phone_last4 = last4(person.mobile or person.other_phone)


def set_id_number(person: Person, raw: str) -> None:
    """Check the number against its type; keep it encrypted, hashed and masked."""
    number = normalise_id_number(raw)
    if not number:
        person.id_number_cipher = person.id_number_hash = person.id_number_masked = ""
        return
    validators: dict[str, Callable[[str], None]] = {
        IdType.RESIDENT_ID: validate_resident_id,
        IdType.CREDIT_CODE: validate_credit_code,
    }
    validator = validators.get(person.id_type, validate_other_id)
    if not person.id_type:
        raise ValidationError(
            _("Choose the type of the ID document first."), code="id_type_missing"
        )
    validator(number)
    person.id_number_cipher = encrypt_pii(number)
    person.id_number_hash = lookup_hash(number)
    person.id_number_masked = mask_id_number(number)


# --- Ownership ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerShare:
    """One buyer in a sale: the person, the share in % and their title certificate."""

    person: Person
    share: Decimal
    title_ref: str = ""


@transaction.atomic
def transfer_ownership(
    *, unit: Unit, owners: Sequence[OwnerShare], on: dt.date, by: User, contract_ref: str = ""
) -> list[Ownership]:
    """A sale (or the first registration): the current owners end the day before `on`,
    the new ones start on `on`. Shares add up to 100 %; history is kept."""
    locked = Unit.objects.select_for_update().select_related("building").get(pk=unit.pk)
    require_edit(by, "estates.add_ownership", locked.community, locked.building.zone_id)
    _check_owners(locked, owners)
    current = list(locked.ownerships.filter(ends_on__isnull=True))
    _check_start(locked, current, owners, on)
    for ownership in current:
        ownership.ends_on = on - dt.timedelta(days=1)
        ownership.save(update_fields=["ends_on", "updated_at"])
    created = [
        Ownership.objects.create(
            community=locked.community,
            unit=locked,
            person=owner.person,
            share=owner.share,
            starts_on=on,
            title_ref=squeeze(owner.title_ref),
            contract_ref=squeeze(contract_ref),
        )
        for owner in owners
    ]
    names = ", ".join(f"{o.person.name} {o.share}%" for o in owners)
    _event(
        locked,
        UnitEventKind.OWNERS,
        by,
        _("New owners from %(day)s: %(names)s")
        % {
            "day": on.isoformat(),
            "names": names,
        },
    )
    return created


def _check_owners(unit: Unit, owners: Sequence[OwnerShare]) -> None:
    if not owners:
        raise ValidationError(_("Name at least one owner."), code="no_owner")
    persons = [o.person.pk for o in owners]
    if len(set(persons)) != len(persons):
        raise ValidationError(_("The same person is listed twice."), code="duplicate_owner")
    if any(o.person.community_id != unit.community_id for o in owners):
        raise ValidationError(
            _("Every owner must be registered in this community."), code="other_community"
        )
    for owner in owners:
        if not (Decimal("0") < owner.share <= 100) or owner.share != owner.share.quantize(
            Decimal("0.01")
        ):
            raise ValidationError(
                _("A share is above 0 and at most 100 %, with at most two decimals."),
                code="bad_share",
            )
    total = sum((o.share for o in owners), Decimal("0"))
    if total != Decimal("100"):
        raise ValidationError(
            _("The owners' shares add up to %(total)s %%, not 100 %%.") % {"total": total},
            code="shares_not_100",
        )


def _check_start(
    unit: Unit, current: list[Ownership], owners: Sequence[OwnerShare], on: dt.date
) -> None:
    latest = max((o.starts_on for o in current), default=None)
    if latest is not None and on <= latest:
        raise ValidationError(
            _("The new owners must start after the current owners' start (%(day)s).")
            % {"day": latest.isoformat()},
            code="overlapping_ownership",
        )
    clash = (
        Ownership.objects.filter(unit=unit, person__in=[o.person for o in owners])
        .exclude(pk__in=[o.pk for o in current])
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("person")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("%(name)s already owns this unit in a period overlapping %(day)s.")
            % {"name": clash.person.name, "day": on.isoformat()},
            code="overlapping_ownership",
        )


# --- Occupancy ------------------------------------------------------------------------------


@transaction.atomic
def save_occupancy(*, occupancy: Occupancy, by: User) -> Occupancy:
    """Register an occupant (or correct one). Tenants need lease dates and the owner's consent."""
    unit = Unit.objects.select_for_update().select_related("building").get(pk=occupancy.unit_id)
    is_new = occupancy.pk is None
    perm = "estates.add_occupancy" if is_new else "estates.change_occupancy"
    require_edit(by, perm, unit.community, unit.building.zone_id)
    if not is_new:  # moved to another unit: the one it leaves is checked too
        before = Occupancy.objects.select_related("unit__building").get(pk=occupancy.pk)
        if before.unit_id != unit.pk:
            require_edit(by, perm, before.community, before.unit.building.zone_id)
    occupancy.community = unit.community
    occupancy.consent_ref = squeeze(occupancy.consent_ref)
    _check_occupancy(unit, occupancy)
    if occupancy.is_primary_contact and occupancy.ends_on is None:
        for other in unit.occupancies.filter(is_primary_contact=True, ends_on__isnull=True).exclude(
            pk=occupancy.pk
        ):
            other.is_primary_contact = False
            other.save(update_fields=["is_primary_contact", "updated_at"])
    occupancy.full_clean()
    occupancy.save()
    if is_new:
        label = f"{occupancy.person.name} ({occupancy.get_relation_display()})"
        _event(unit, UnitEventKind.MOVED_IN, by, label)
    return occupancy


def _check_occupancy(unit: Unit, occupancy: Occupancy) -> None:
    if occupancy.person.community_id != unit.community_id:
        raise field_error(
            "person", _("Every occupant must be registered in this community."), "other_community"
        )
    if occupancy.relation == Relation.TENANT:
        code = "tenant_without_consent"
        errors = {}
        if not occupancy.consent_ref:
            message = _("A tenant needs the reference of the owner's consent.")
            errors["consent_ref"] = ValidationError(message, code=code)
        if not occupancy.lease_starts_on or not occupancy.lease_ends_on:
            message = _("A tenant needs the start and end of the lease.")
            errors["lease_ends_on"] = ValidationError(message, code=code)
        if errors:
            raise ValidationError(errors)
    end = occupancy.ends_on or dt.date.max
    overlapping = (
        Occupancy.objects.filter(unit=unit, person=occupancy.person, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=occupancy.starts_on))
        .exclude(pk=occupancy.pk)
    )
    if overlapping.exists():
        raise ValidationError(
            _("%(name)s already lives in this unit in an overlapping period.")
            % {"name": occupancy.person.name},
            code="overlapping_occupancy",
        )


@transaction.atomic
def end_occupancy(*, occupancy: Occupancy, on: dt.date, by: User, note: str = "") -> Occupancy:
    """The occupant moved out on `on`."""
    locked = (
        Occupancy.objects.select_for_update()
        .select_related("unit__building", "person")
        .get(pk=occupancy.pk)
    )
    require_edit(by, "estates.change_occupancy", locked.community, locked.unit.building.zone_id)
    if locked.ends_on is not None:
        raise ValidationError(_("This occupant has already moved out."), code="already_ended")
    if on < locked.starts_on:
        raise ValidationError(
            _("The move-out date cannot be before the move-in date (%(day)s).")
            % {"day": locked.starts_on.isoformat()},
            code="ends_before_start",
        )
    locked.ends_on = on
    locked.save(update_fields=["ends_on", "updated_at"])
    label = f"{locked.person.name} ({locked.get_relation_display()})"
    _event(locked.unit, UnitEventKind.MOVED_OUT, by, f"{label} {squeeze(note)}".strip())
    occupancy.ends_on = on
    return locked


def _event(unit: Unit, kind: str, by: User, note: str) -> UnitEvent:
    return UnitEvent.objects.create(
        community=unit.community, unit=unit, kind=kind, note=note[:500], actor=by, at=timezone.now()
    )


# --- Personal data --------------------------------------------------------------------------


@transaction.atomic
def reveal_personal_data(
    *, person: Person, field: str, reason: str, by: User, unit: Unit | None = None
) -> str:
    """The unmasked value of one field; the reveal is logged with the reason given."""
    require_perm(by, "estates.reveal_personal_data", person.community)
    reason = squeeze(reason)
    if field not in PiiField.values:
        raise ValidationError(_("Unknown field."), code="bad_field")
    if len(reason) < 2:
        raise field_error(
            "reason", _("Give the reason for revealing personal data."), "reason_required"
        )
    PersonalDataAccess.objects.create(
        community=person.community,
        person=person,
        unit=unit if unit is not None and unit.community_id == person.community_id else None,
        field=field,
        reason=reason[:200],
        accessed_by=by,
        at=timezone.now(),
    )
    if field == PiiField.ID_NUMBER:
        return decrypt_pii(person.id_number_cipher)
    return str(getattr(person, field))
