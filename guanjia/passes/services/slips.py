"""Goods pass-out slips (物品放行条, spec §20): applied at the desk (the owner with ID; a tenant
or an agent with the owner's confirmation; arrears shown as a warning, never a block),
numbered; at the gate the guard checks the items, records the carrier's ID and plate and
signs; used, partly used, expired, cancelled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.billing.selectors.statements import unit_statement
from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.signatures import signature_file
from guanjia.core.models import Community
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from ..models import OPEN_SLIP, ApplicantRole, ReleaseSlip, SlipItem, SlipStatus
from ._common import IdNumber, field_error, required, same_community

SLIP_KIND = "release_slip"  # FXT-2026-0001
MAX_ITEMS = 30
MAX_QUANTITY = 9999


def arrears_of(unit: Unit) -> Decimal:
    """What the unit owes now (billing's statement): shown as a warning, never a block."""
    return max(unit_statement(unit).outstanding, Decimal("0.00"))


def _items(items: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    clean = []
    for description, quantity in items:
        text = (description or "").strip()
        if not text and not quantity:
            continue
        if not text:
            raise field_error("items", _("Name every item."), "item_required")
        if len(text) > 100:
            raise field_error("items", _("An item's name is at most 100 characters."), "too_long")
        if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            raise field_error(
                "items",
                _("The quantity of “%(item)s” is a whole number from 1 to %(max)s.")
                % {"item": text, "max": MAX_QUANTITY},
                "bad_quantity",
            )
        clean.append((text, quantity))
    if not clean:
        raise field_error("items", _("List the items going out."), "required")
    if len(clean) > MAX_ITEMS:
        raise field_error(
            "items", _("At most %(max)s lines on one slip.") % {"max": MAX_ITEMS}, "too_many"
        )
    return clean


@transaction.atomic
def apply_slip(
    *,
    community: Community,
    unit: Unit,
    applicant_name: str,
    applicant_role: str,
    id_number: str,
    items: Sequence[tuple[str, int]],
    by: User,
    owner_confirmation: str = "",
    valid_from: dt.date | None = None,
    vehicle_plate: str = "",
) -> ReleaseSlip:
    """Issue a numbered slip. Refused: a unit of another community, no or a bad ID number,
    a tenant or agent without the owner's confirmation, no items, a bad quantity, a start in
    the past."""
    require_perm(by, "passes.add_releaseslip", community)
    same_community(unit, community.pk, "unit", _("Choose a unit of this community."))
    name = required(applicant_name, "applicant_name", _("Give the applicant's name."), limit=50)
    if applicant_role not in ApplicantRole.values:
        raise field_error("applicant_role", _("Say who the applicant is."), "invalid")
    ident = IdNumber(id_number)
    confirmation = owner_confirmation.strip()
    if applicant_role != ApplicantRole.OWNER and not confirmation:
        raise field_error(
            "owner_confirmation",
            _("A tenant or agent needs the owner's confirmation: say how it was given."),
            "owner_confirmation_required",
        )
    if len(confirmation) > 200:
        raise field_error("owner_confirmation", _("At most 200 characters."), "too_long")
    lines = _items(items)
    today = timezone.localdate()
    start = valid_from or today
    if start < today:
        raise field_error("valid_from", _("A slip cannot start in the past."), "past")
    end = start + dt.timedelta(days=policy(community, "pass.slip_valid_days") - 1)
    slip = ReleaseSlip.objects.create(
        community=community,
        number=str(next_number(community=community, kind=SLIP_KIND)),
        unit=unit,
        applicant_name=name,
        applicant_role=applicant_role,
        id_number_masked=ident.masked,
        owner_confirmation=confirmation,
        arrears=arrears_of(unit),
        valid_from=start,
        valid_to=end,
        vehicle_plate=vehicle_plate.strip().upper()[:12],
        issued_by=by,
    )
    SlipItem.objects.bulk_create(
        SlipItem(slip=slip, position=i, description=text, quantity=qty)
        for i, (text, qty) in enumerate(lines, start=1)
    )
    workflows.record_creation(slip, by=by)
    return slip


@transaction.atomic
def release_goods(
    *,
    slip: ReleaseSlip,
    released: Mapping[int, int],
    carrier_name: str,
    carrier_id: str,
    signature: str,
    by: User,
    plate: str = "",
    note: str = "",
) -> ReleaseSlip:
    """The guard lets out what matches the slip (`released`: item id → quantity now), records
    the carrier and the plate, and signs. All items out: used; some: partly used. Refused:
    nothing matching (the resident goes back to the desk), more than the slip lists, a slip
    expired, used or cancelled, no signature, a bad carrier ID."""
    require_perm(by, "passes.release_goods", slip.community_id)
    locked = workflows.lock(slip)
    if locked.status not in OPEN_SLIP:
        workflows.check_transition(locked, SlipStatus.USED, by=by)
    today = timezone.localdate()
    if not locked.valid_from <= today <= locked.valid_to:
        raise field_error("released", _("This slip is not valid today."), "slip_expired")
    carrier = required(carrier_name, "carrier_name", _("Give the carrier's name."), limit=50)
    ident = IdNumber(carrier_id, field="carrier_id")
    content = signature_file(signature)
    items = {item.pk: item for item in locked.items.select_for_update()}
    unknown = set(released) - set(items)
    if unknown:
        raise field_error("released", _("These items are not on this slip."), "unknown_item")
    total = 0
    for pk, quantity in released.items():
        item = items[pk]
        if not isinstance(quantity, int) or quantity < 0 or quantity > item.remaining:
            raise field_error(
                "released",
                _("“%(item)s”: from 0 to %(max)s may go out.")
                % {"item": item.description, "max": item.remaining},
                "bad_quantity",
            )
        total += quantity
    if total == 0:
        raise field_error(
            "released",
            _("Nothing matches the slip: nothing is released; the resident goes back to the desk."),
            "nothing_released",
        )
    for pk, quantity in released.items():
        if quantity:
            items[pk].released += quantity
            items[pk].save(update_fields=["released"])
    done = all(item.remaining == 0 for item in items.values())
    locked.guard_signature.save("signature.png", content, save=False)
    to = SlipStatus.USED if done else SlipStatus.PARTLY_USED
    workflows.transition(
        locked,
        to,
        by=by,
        note=note.strip()[:500],
        data={str(pk): q for pk, q in released.items() if q},
        guard=by,
        checked_at=timezone.now(),
        carrier_name=carrier,
        carrier_id_masked=ident.masked,
        plate=plate.strip().upper()[:12],
        guard_note=note.strip()[:500],
    )
    _copy(locked, slip)
    return locked


@transaction.atomic
def cancel_slip(*, slip: ReleaseSlip, reason: str, by: User) -> ReleaseSlip:
    text = required(reason, "reason", _("Say why the slip is cancelled."), limit=500)
    workflows.transition(slip, SlipStatus.CANCELLED, by=by, note=text)
    return slip


@transaction.atomic
def expire_slips(*, community: Community, today: dt.date | None = None) -> int:
    """Open slips past their last day: expired (the nightly job)."""
    today = today or timezone.localdate()
    count = 0
    for slip in ReleaseSlip.objects.filter(
        community=community, status__in=OPEN_SLIP, valid_to__lt=today
    ):
        workflows.transition(slip, SlipStatus.EXPIRED, by=None, note=_("Past its last day."))
        count += 1
    return count


def _copy(source: ReleaseSlip, target: ReleaseSlip) -> None:
    if source is not target:
        for field in source._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))
