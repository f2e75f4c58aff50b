"""The joint inspection (入住验房, spec §09) and its defects (整改): the sheet from the
community's template, a defect per failed room × item with its description and photo (policy
`movein.defect_photo_required`) and the `movein.defect_fix_days` deadline; the sheet signed by
the owner and the inspector; a defect reported fixed, re-inspected (back to open when not),
signed off by the owner; reopened after sign-off it is a warranty repair in the service desk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.checks import check_upload
from guanjia.core.files.signatures import RESIDENT_MUST_SIGN, signature_file
from guanjia.core.files.types import PICTURES
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.tickets.models import Channel, Location, RepairCategory, RequestKind, Urgency, Warranty
from guanjia.tickets.services import Contact, RepairDetails, take_contact

from ..models import (
    DEFAULT_ITEMS,
    DEFAULT_ROOMS,
    Defect,
    DefectState,
    DefectStatus,
    Delivery,
    DeliveryStatus,
    Inspection,
    InspectionTemplate,
    Responsible,
)
from ._common import field_error, required
from .counter import _done, _lock, _require_step

F = DefectStatus
MAX_PHOTO_BYTES = 8 * 1024 * 1024


def sheet_for(community: Community) -> tuple[list[str], list[str]]:
    """The rooms and items of the community's inspection sheet (the §09 ones by default)."""
    template = InspectionTemplate.objects.filter(community=community).first()
    if template is None:
        return list(DEFAULT_ROOMS), list(DEFAULT_ITEMS)
    return InspectionTemplate.lines(template.rooms), InspectionTemplate.lines(template.items)


@transaction.atomic
def save_template(*, community: Community, rooms: str, items: str, by: User) -> InspectionTemplate:
    require_perm(by, "movein.add_deliverybatch", community)
    if not InspectionTemplate.lines(rooms):
        raise field_error("rooms", _("List at least one room, one a line."), "required")
    if not InspectionTemplate.lines(items):
        raise field_error("items", _("List at least one item, one a line."), "required")
    template, _created = InspectionTemplate.objects.update_or_create(
        community=community, defaults={"rooms": rooms.strip(), "items": items.strip()}
    )
    return template


@transaction.atomic
def start_inspection(*, delivery: Delivery, by: User) -> Inspection:
    """The sheet of the unit, from the template as it is now (once per delivery)."""
    locked = _lock(delivery, by)
    _require_step(locked, "inspected")
    existing = Inspection.objects.filter(delivery=locked).first()
    if existing is not None:
        return existing
    rooms, items = sheet_for(locked.community)
    return Inspection.objects.create(
        community=locked.community, delivery=locked, rooms=rooms, items=items, inspector=by
    )


def fix_deadline(community: Community, day: dt.date) -> dt.date:
    return day + dt.timedelta(days=policy(community, "movein.defect_fix_days"))


@transaction.atomic
def add_defect(
    *,
    inspection: Inspection,
    room: str,
    item: str,
    description: str,
    by: User,
    photo: UploadedFile | None = None,
    responsible: str = Responsible.DEVELOPER,
) -> Defect:
    """A room × item found faulty, described and photographed, with its deadline."""
    delivery = _lock(inspection.delivery, by)
    if inspection.signed_at is not None:
        raise ValidationError(_("The sheet is signed: it is closed."), code="signed")
    errors: dict[str, str] = {}
    if room not in inspection.rooms:
        errors["room"] = _("Choose a room of the sheet.")
    if item not in inspection.items:
        errors["item"] = _("Choose an item of the sheet.")
    if not description.strip():
        errors["description"] = _("Describe the defect.")
    if responsible not in Responsible.values:
        errors["responsible"] = _("Choose who rectifies it.")
    if photo is None and policy(inspection.community, "movein.defect_photo_required"):
        errors["photo"] = _("Take a photo of the defect.")
    if errors:
        raise ValidationError(errors)
    image = None
    if photo is not None:
        if (photo.size or 0) > MAX_PHOTO_BYTES:
            raise field_error("photo", _("The photo is larger than 8 MB."), "too_large")
        image = check_upload(photo, PICTURES, field="photo").file
    defect = Defect(
        community=inspection.community,
        delivery=delivery,
        room=room,
        item=item,
        description=description.strip()[:500],
        responsible=responsible,
        deadline=fix_deadline(inspection.community, timezone.localdate()),
    )
    if image is not None:
        defect.photo = image
    defect.save()
    workflows.record_creation(defect, by=by)
    return defect


def _reading(value: str | Decimal | None, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise field_error(field, _("Enter the meter reading as a number."), "invalid") from None
    if not number.is_finite() or number < 0 or number >= Decimal("100000000"):
        raise field_error(field, _("Enter the meter reading as a number."), "invalid")
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def sign_inspection(
    *,
    inspection: Inspection,
    owner_signature: str,
    inspector_signature: str,
    by: User,
    water: str | Decimal | None = None,
    power: str | Decimal | None = None,
    gas: str | Decimal | None = None,
) -> Inspection:
    """The sheet signed by the owner and the inspector with the meter readings: the step is
    done; the unit's defects are open when any was found."""
    delivery = _lock(inspection.delivery, by)
    _require_step(delivery, "inspected")
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    readings = {
        "water_reading": _reading(water, "water"),
        "power_reading": _reading(power, "power"),
        "gas_reading": _reading(gas, "gas"),
    }
    owner = signature_file(owner_signature, field="owner_signature", missing=RESIDENT_MUST_SIGN)
    staff = signature_file(inspector_signature, field="inspector_signature")
    for name, value in readings.items():
        setattr(locked, name, value)
    locked.owner_signature = owner
    locked.inspector_signature = staff
    locked.signed_at = timezone.now()
    locked.save()
    found = Defect.objects.filter(delivery=delivery).exists()
    _done(delivery, "inspected", by, defects=DefectState.OPEN if found else DefectState.NONE)
    return locked


def _refresh_state(delivery: Delivery) -> None:
    """The unit's defects: open while any is not signed off, closed when all are."""
    rows = Defect.objects.filter(delivery=delivery)
    if not rows.exists():
        return
    state = (
        DefectState.OPEN
        if rows.exclude(status__in=(F.SIGNED_OFF, F.WARRANTY)).exists()
        else DefectState.CLOSED
    )
    if delivery.defects != state:
        delivery.defects = state
        delivery.save(update_fields=["defects", "updated_at"])


@transaction.atomic
def report_fixed(*, defect: Defect, note: str, by: User) -> Defect:
    """The developer or engineering reports the defect rectified (re-inspection next)."""
    text = required(note, "note", _("Say what was done."))
    workflows.transition(defect, F.FIXED, by=by, note=text, fixed_at=timezone.now())
    return defect


@transaction.atomic
def reinspect(
    *,
    defect: Defect,
    passed: bool,
    by: User,
    note: str = "",
    signer: str = "",
    signature: str = "",
) -> Defect:
    """The re-inspection with the owner: passed, the owner (or their agent, named) signs it
    off; not passed, back to rectify with a new deadline. Only after it is reported fixed."""
    locked = workflows.lock(defect)
    if locked.status != F.FIXED:
        raise ValidationError(_("Re-inspect only a defect reported fixed."), code="not_fixed")
    if passed:
        delivery = locked.delivery
        name = required(signer, "signer", _("Who signs off: the owner or their agent."))
        allowed = {delivery.buyer_name, delivery.contact_person} | {
            n.strip() for n in delivery.joint_owners.replace("、", ",").split(",") if n.strip()
        }
        if name not in allowed and not delivery.attorney_ref:
            raise field_error(
                "signer",
                _("Only the owner or their agent with a power of attorney signs off."),
                "not_owner",
            )
        drawn = signature_file(signature, missing=RESIDENT_MUST_SIGN)
        workflows.transition(
            locked,
            F.SIGNED_OFF,
            by=by,
            note=note,
            closed_at=timezone.now(),
            signed_by_name=name,
            signoff_signature=drawn,
        )
    else:
        text = required(note, "note", _("Say what is still wrong."))
        workflows.transition(
            locked,
            F.OPEN,
            by=by,
            note=text,
            deadline=fix_deadline(locked.community, timezone.localdate()),
        )
    _refresh_state(locked.delivery)
    defect.refresh_from_db()
    return defect


@transaction.atomic
def reopen_as_warranty(*, defect: Defect, note: str, by: User) -> Defect:
    """A defect back after the owner signed it off: a warranty repair (spec §15)."""
    text = required(note, "note", _("Say what is wrong again."))
    locked = workflows.lock(defect)
    workflows.check_transition(locked, F.WARRANTY, by=by)
    entry = take_contact(
        community=locked.community,
        contact=Contact(
            channel=Channel.VISIT,
            kind=RequestKind.REPAIR,
            content=f"{locked.room} {locked.item}: {text}",
            unit=locked.delivery.unit,
            person=locked.delivery.person,
        ),
        repair=RepairDetails(
            location=Location.HOME,
            place=locked.room,
            category=RepairCategory.OTHER,
            urgency=Urgency.ORDINARY,
            warranty=Warranty.DEVELOPER,
        ),
        by=by,
    )
    order = getattr(entry, "repair", None)
    number = getattr(order, "number", "") if order is not None else ""
    workflows.transition(locked, F.WARRANTY, by=by, note=text, repair_number=str(number))
    return locked


def open_for_counter(delivery: Delivery) -> bool:
    return delivery.status in (DeliveryStatus.NOTIFIED, DeliveryStatus.REFUSED)
