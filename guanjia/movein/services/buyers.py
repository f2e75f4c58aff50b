"""The developer's buyer list (业主名单, spec §09): one row a unit, checked against the units
(unknown unit, unit already delivered or already on a batch, a unit twice in the file) and
the buyer's ID number (a resident ID by its check digit), then written in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.personal_data import mask_id_number
from guanjia.estates.models import IdType, Unit, UnitStatus
from guanjia.estates.models.identity import (
    encrypt_pii,
    lookup_hash,
    normalise_id_number,
    validate_credit_code,
    validate_other_id,
    validate_resident_id,
)

from ..models import BatchStatus, BuyerKind, Delivery, DeliveryBatch, DeliveryEvent

DELIVERED = frozenset(
    {
        UnitStatus.DELIVERED,
        UnitStatus.DEEMED_DELIVERED,
        UnitStatus.VACANT,
        UnitStatus.RENOVATING,
        UnitStatus.OCCUPIED,
        UnitStatus.RENTED,
    }
)


@dataclass(frozen=True)
class BuyerRow:
    room_code: str
    buyer_name: str
    id_number: str = ""
    phone: str = ""
    contract_no: str = ""
    buyer_kind: str = BuyerKind.PERSON
    contact_person: str = ""
    joint_owners: str = ""


def check_id_number(number: str) -> tuple[str, str]:
    """(ID type, normalised number) of a buyer's ID, or a ValidationError: digits read as a
    resident ID (check digit), 18 letters and digits as a company's credit code."""
    value = normalise_id_number(number)
    if not value:
        return "", ""
    if value[:-1].isdigit():
        validate_resident_id(value)
        return IdType.RESIDENT_ID, value
    if len(value) == 18:
        validate_credit_code(value)
        return IdType.CREDIT_CODE, value
    validate_other_id(value)
    return IdType.OTHER, value


class BuyerCheck:
    """Checks rows against the community's units with two queries in all."""

    def __init__(self, community: Community, room_codes: Iterable[str]) -> None:
        codes = {c.upper() for c in room_codes if c}
        self.units = {
            u.room_code: u
            for u in Unit.objects.filter(community=community, room_code__in=codes).only(
                "pk", "room_code", "status", "community_id"
            )
        }
        self.on_batch = dict(
            Delivery.objects.filter(unit__in=self.units.values()).values_list(
                "unit_id", "batch__name"
            )
        )
        self.seen: dict[str, int] = {}

    def check(self, row: BuyerRow, line: int) -> Unit:
        errors: dict[str, list[str]] = {}
        code = row.room_code.upper()
        unit = self.units.get(code)
        if unit is None:
            errors.setdefault("room_number", []).append(
                _("There is no unit %(room)s in this community.") % {"room": code}
            )
        elif unit.status in DELIVERED:
            errors.setdefault("room_number", []).append(
                _("Unit %(room)s is already delivered.") % {"room": code}
            )
        elif unit.pk in self.on_batch:
            errors.setdefault("room_number", []).append(
                _("Unit %(room)s is already on the batch “%(batch)s”.")
                % {"room": code, "batch": self.on_batch[unit.pk]}
            )
        if code in self.seen:
            errors.setdefault("room_number", []).append(
                _("Unit %(room)s is also on line %(line)s.")
                % {"room": code, "line": self.seen[code]}
            )
        else:
            self.seen[code] = line
        if not row.buyer_name.strip():
            errors.setdefault("buyer_name", []).append(_("Give the buyer's name."))
        if row.buyer_kind == BuyerKind.COMPANY and not row.contact_person.strip():
            errors.setdefault("contact_person", []).append(
                _("A company buyer needs its contact person.")
            )
        try:
            check_id_number(row.id_number)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
        if errors or unit is None:
            raise ValidationError(errors)
        return unit


@transaction.atomic
def import_buyers(*, batch: DeliveryBatch, rows: Sequence[BuyerRow], by: User) -> int:
    """Write checked rows onto an open batch (all or none): one delivery a unit, LISTED."""
    require_perm(by, "movein.add_deliverybatch", batch.community)
    if batch.status != BatchStatus.OPEN:
        raise ValidationError(
            _("The notices of this batch are out: open a new batch."), code="not_open"
        )
    check = BuyerCheck(batch.community, [r.room_code for r in rows])
    made: list[Delivery] = []
    for line, row in enumerate(rows, start=2):
        unit = check.check(row, line)
        id_type, number = check_id_number(row.id_number)
        made.append(
            Delivery(
                community_id=batch.community_id,
                batch=batch,
                unit=unit,
                buyer_name=row.buyer_name.strip(),
                buyer_kind=row.buyer_kind,
                contact_person=row.contact_person.strip(),
                joint_owners=row.joint_owners.strip(),
                id_type=id_type,
                id_number_cipher=encrypt_pii(number) if number else "",
                id_number_hash=lookup_hash(number) if number else "",
                id_number_masked=mask_id_number(number) if number else "",
                phone=row.phone.strip(),
                contract_no=row.contract_no.strip(),
            )
        )
    created = Delivery.objects.bulk_create(made, batch_size=1000)
    DeliveryEvent.objects.bulk_create(
        [
            DeliveryEvent(delivery=d, actor=by, action="created", to_status=d.status)
            for d in created
        ],
        batch_size=1000,
    )
    workflows.record_event(batch, by=by, action="buyers", note=str(len(created)))
    return len(created)
