"""The counter (一站式办理, spec §09), unit by unit, as a checklist: verify the buyer against
the list, register the household (estates), the initial fees (a cashier's receipt for the
unit), documents signed, the joint inspection, keys handed over with the owner's signature
(the unit is delivered: estates' status service, and billing charges from the fee start of
`movein.fee_start_rule`), access cards. Steps that need others are refused until those are
done; a step done twice is refused. A buyer who refuses delivery over a quality dispute is
recorded and a complaint is opened in the service desk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.cashier.models import Receipt, ReceiptStatus
from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.signatures import RESIDENT_MUST_SIGN, signature_file
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import IdType, Person, PersonKind, UnitStatus
from guanjia.estates.models.identity import decrypt_pii
from guanjia.estates.services import OwnerShare, change_unit_status, save_person, transfer_ownership
from guanjia.tickets.models import Channel, RequestKind
from guanjia.tickets.services import Contact, take_contact

from ..models import STEPS, BuyerKind, Delivery, DeliveryStatus, VerifiedAs
from ._common import field_error, required

D = DeliveryStatus
OPEN_FOR_COUNTER = (D.NOTIFIED, D.REFUSED, D.DEEMED)
STEP_NEEDS = {code: needs for code, _label, needs in STEPS}
STEP_LABELS = {code: label for code, label, _needs in STEPS}


def _lock(delivery: Delivery, by: User) -> Delivery:
    locked = workflows.lock(delivery)
    require_perm(by, "movein.change_delivery", locked.community)
    return locked


def _require_step(delivery: Delivery, code: str) -> None:
    """Refuse a step done already or whose earlier steps are not done."""
    if delivery.status not in OPEN_FOR_COUNTER and code != "cards":
        raise ValidationError(
            _("This unit is “%(status)s”: the counter has nothing to do.")
            % {"status": delivery.get_status_display()},
            code="not_open",
        )
    if delivery.step_done(code):
        raise ValidationError(
            _("“%(step)s” is done already.") % {"step": STEP_LABELS[code]}, code="done"
        )
    missing = [str(STEP_LABELS[n]) for n in STEP_NEEDS[code] if not delivery.step_done(n)]
    if missing:
        raise ValidationError(
            _("Do these steps first: %(steps)s.") % {"steps": "、".join(missing)},
            code="out_of_order",
        )


def _done(delivery: Delivery, code: str, by: User, note: str = "", **fields: object) -> Delivery:
    for name, value in fields.items():
        setattr(delivery, name, value)
    setattr(delivery, f"{code}_at", timezone.now())
    delivery.last_by = by
    delivery.save()
    workflows.record_event(delivery, by=by, action=code, note=note[:500])
    return delivery


@transaction.atomic
def verify_buyer(
    *,
    delivery: Delivery,
    verified_as: str,
    id_number: str,
    by: User,
    attorney_ref: str = "",
    all_owners_present: bool = True,
) -> Delivery:
    """The buyer's ID against the list: the buyer in person, an agent with a notarised power
    of attorney (its number), or a company's contact person; joint owners all present or
    authorised in writing (the power of attorney)."""
    locked = _lock(delivery, by)
    _require_step(locked, "verified")
    if verified_as not in VerifiedAs.values:
        raise field_error("verified_as", _("Choose who came."), "invalid")
    if verified_as == VerifiedAs.COMPANY and locked.buyer_kind != BuyerKind.COMPANY:
        raise field_error(
            "verified_as", _("The buyer on the list is a person, not a company."), "not_company"
        )
    if verified_as == VerifiedAs.AGENT or (locked.joint_owners and not all_owners_present):
        required(
            attorney_ref,
            "attorney_ref",
            _("An agent, or joint owners not all present, need the power of attorney's number."),
        )
    if verified_as != VerifiedAs.AGENT and locked.id_number_cipher:
        from guanjia.estates.models.identity import normalise_id_number

        if normalise_id_number(id_number) != decrypt_pii(locked.id_number_cipher):
            raise field_error(
                "id_number",
                _("This ID number is not the one on the developer's list."),
                "mismatch",
            )
    return _done(locked, "verified", by, verified_as=verified_as, attorney_ref=attorney_ref.strip())


@transaction.atomic
def register_household(
    *,
    delivery: Delivery,
    by: User,
    mobile: str = "",
    emergency_name: str = "",
    emergency_phone: str = "",
) -> Delivery:
    """The owner into the registry (estates), pre-filled from the list, owner from today."""
    locked = _lock(delivery, by)
    _require_step(locked, "registered")
    company = locked.buyer_kind == BuyerKind.COMPANY
    person = Person(
        community=locked.community,
        kind=PersonKind.ORGANISATION if company else PersonKind.PERSON,
        name=locked.buyer_name,
        contact_person=locked.contact_person,
        id_type=locked.id_type or (IdType.CREDIT_CODE if company else IdType.RESIDENT_ID),
        mobile=(mobile or locked.phone).strip(),
        emergency_name=emergency_name.strip(),
        emergency_phone=emergency_phone.strip(),
    )
    number = decrypt_pii(locked.id_number_cipher) if locked.id_number_cipher else ""
    if not number:
        person.id_type = ""
    save_person(person=person, by=by, id_number=number)
    transfer_ownership(
        unit=locked.unit,
        owners=[OwnerShare(person=person, share=Decimal("100"))],
        on=timezone.localdate(),
        by=by,
        contract_ref=locked.contract_no,
    )
    return _done(locked, "registered", by, person=person)


@transaction.atomic
def record_fees(*, delivery: Delivery, receipt_no: str, prepaid_months: int, by: User) -> Delivery:
    """The initial fees were taken at the cashier: its valid receipt for this unit, with the
    months of management fee prepaid (0 to `movein.prepay_months_max`)."""
    locked = _lock(delivery, by)
    _require_step(locked, "fees")
    most = policy(locked.community, "movein.prepay_months_max")
    if not 0 <= prepaid_months <= most:
        raise field_error(
            "prepaid_months",
            _("At most %(n)s months are prepaid at move-in.") % {"n": most},
            "too_many",
        )
    number = required(receipt_no, "receipt_no", _("Give the cashier's receipt number."))
    receipt = (
        Receipt.objects.filter(community=locked.community, number=number)
        .select_related("payment")
        .first()
    )
    if receipt is None or receipt.status != ReceiptStatus.VALID:
        raise field_error("receipt_no", _("There is no valid receipt with this number."), "unknown")
    if receipt.payment.unit_id != locked.unit_id:
        raise field_error("receipt_no", _("This receipt is for another unit."), "other_unit")
    return _done(
        locked, "fees", by, note=number, fees_receipt=number, prepaid_months=prepaid_months
    )


@transaction.atomic
def sign_documents(*, delivery: Delivery, signature: str, by: User) -> Delivery:
    """The owners' covenant, fire-safety letter, service agreement and handbook receipt,
    signed on the screen by the owner."""
    locked = _lock(delivery, by)
    _require_step(locked, "documents")
    drawn = signature_file(signature, missing=RESIDENT_MUST_SIGN)
    return _done(locked, "documents", by, documents_signature=drawn)


@transaction.atomic
def hand_over_keys(
    *, delivery: Delivery, count: int, description: str, signature: str, by: User
) -> Delivery:
    """Keys counted and handed over, the owner signs: the unit is delivered today (estates'
    unit status; billing charges from the fee start of `movein.fee_start_rule`)."""
    locked = _lock(delivery, by)
    _require_step(locked, "keys")
    if not 1 <= count <= 50:
        raise field_error("count", _("Between 1 and 50 keys."), "invalid")
    text = required(description, "description", _("Describe the key set."))
    drawn = signature_file(signature, missing=RESIDENT_MUST_SIGN)
    unit = locked.unit
    change_unit_status(unit=unit, to=UnitStatus.DELIVERED, by=by, note=str(locked.batch))
    _done(locked, "keys", by, keys_count=count, keys_description=text, keys_signature=drawn)
    workflows.transition(locked, D.DELIVERED, by=by, delivered_on=timezone.localdate())
    return locked


@transaction.atomic
def issue_cards(*, delivery: Delivery, count: int, by: User) -> Delivery:
    """Access cards: `movein.free_access_cards` free, the rest extra (charged at the cashier)."""
    locked = _lock(delivery, by)
    _require_step(locked, "cards")
    if not 0 <= count <= 20:
        raise field_error("count", _("Between 0 and 20 cards."), "invalid")
    free = min(count, policy(locked.community, "movein.free_access_cards"))
    return _done(locked, "cards", by, cards_free=free, cards_extra=count - free)


@transaction.atomic
def refuse_delivery(*, delivery: Delivery, reason: str, by: User) -> Delivery:
    """The buyer refuses the keys over a quality dispute: recorded, fees do not start, and a
    complaint is opened in the service desk for the developer."""
    locked = _lock(delivery, by)
    text = required(reason, "reason", _("Write down what the buyer disputes."))
    if locked.status != D.NOTIFIED:
        workflows.check_transition(locked, D.REFUSED, by=by)
    entry = take_contact(
        community=locked.community,
        contact=Contact(
            channel=Channel.VISIT,
            kind=RequestKind.COMPLAINT,
            content=_("Delivery of %(unit)s refused: %(reason)s")
            % {"unit": locked.unit.room_code, "reason": text},
            unit=locked.unit,
            requester_name=locked.buyer_name,
            requester_phone=locked.phone,
        ),
        by=by,
    )
    change_unit_status(unit=locked.unit, to=UnitStatus.REFUSED, by=by, note=text)
    number = entry.complaint.number if hasattr(entry, "complaint") else ""
    workflows.transition(
        locked, D.REFUSED, by=by, note=text, refusal_reason=text, complaint_number=number
    )
    return locked


def deemed_due(notice_date: dt.date, days: int) -> dt.date:
    """The day an owner who did not come is treated as delivered."""
    return notice_date + dt.timedelta(days=days)
