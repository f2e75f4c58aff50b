"""Fees and deposits (spec §16 step 4) and the permit (step 5).

Every amount comes from a policy and is charged to the unit's account through
`guanjia.billing.services.post_one_off_charge` (one fee item per kind, reference
`reno:<id>:<kind>`, posted once); the cashier collects it like any charge. The permit is
issued only when the unit owes nothing on the renovation's fee items (read through
`guanjia.cashier.selectors`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.billing.services import OneOffCharge, post_one_off_charge
from guanjia.cashier.selectors.account import unit_account
from guanjia.core import workflows
from guanjia.core.access import User
from guanjia.core.money import round_money
from guanjia.core.policies.selectors import policy

from ..models import Fee, FeeKind, RenoStatus, Renovation, WorksKind
from ._common import done, lock

S = RenoStatus
ZERO = Decimal("0.00")


def fees_due(renovation: Renovation) -> list[tuple[str, Decimal]]:
    """The fees and deposits this renovation owes, by the community's policies."""
    community = renovation.community
    free = renovation.kind == WorksKind.MINOR and policy(community, "reno.minor_deposit_free")
    due: list[tuple[str, Decimal]] = []
    if not free:
        due.append((FeeKind.DEPOSIT_OWNER, policy(community, "reno.deposit_owner")))
        due.append((FeeKind.DEPOSIT_CONTRACTOR, policy(community, "reno.deposit_contractor")))
        rate = policy(community, "reno.debris_fee_per_m2")
        due.append((FeeKind.DEBRIS, round_money(rate * renovation.unit.building_area)))
    due.append((FeeKind.MANAGEMENT, policy(community, "reno.management_fee")))
    return [(kind, amount) for kind, amount in due if amount > 0]


def charge(renovation: Renovation, kind: str, amount: Decimal, by: User, suffix: str = "") -> Fee:
    """Post one fee to the unit's account and remember it on the renovation."""
    reference = f"reno:{renovation.pk}:{kind}{suffix}"
    label = str(FeeKind(kind).label)
    entry = post_one_off_charge(
        community=renovation.community,
        charge=OneOffCharge(
            unit_id=renovation.unit_id,
            amount=amount,
            fee_code=f"reno_{kind}",
            fee_name=label,
            reference=reference,
            day=timezone.localdate(),
            memo=f"{renovation.number} {label}"[:200],
            explanation={"renovation": renovation.number},
        ),
        by=by,
    )
    if entry is None:  # already posted: the fee row exists too
        return Fee.objects.get(reference=reference)
    return Fee.objects.create(
        renovation=renovation,
        kind=kind,
        amount=amount,
        reference=reference,
        fee_item_id=entry.fee_item_id,
    )


def charge_fees(*, renovation: Renovation, by: User) -> list[Fee]:
    """Charge what the approved renovation owes; nothing owed: fees paid at once."""
    fees = [charge(renovation, kind, amount, by) for kind, amount in fees_due(renovation)]
    if not fees:
        workflows.transition(renovation, S.FEES_PAID, by=by, note=_("Nothing to pay."))
    return fees


def outstanding(renovation: Renovation, day: dt.date | None = None) -> Decimal:
    """What the unit still owes on the renovation's fee items."""
    items = set(renovation.fees.values_list("fee_item_id", flat=True))
    if not items:
        return ZERO
    account = unit_account(renovation.unit, day=day or timezone.localdate(), with_unposted=False)
    return sum((line.amount for line in account.lines if line.fee_item_id in items), ZERO)


def _check_paid(renovation: Renovation) -> None:
    owed = outstanding(renovation)
    if owed > 0:
        raise ValidationError(
            _(
                "The fees and deposits are not paid yet (%(owed)s yuan owed): the permit is "
                "issued once the cashier has taken them."
            )
            % {"owed": f"{owed:.2f}"},
            code="fees_unpaid",
        )


@transaction.atomic
def confirm_fees_paid(*, renovation: Renovation, by: User) -> Renovation:
    locked = lock(renovation)
    workflows.check_transition(locked, S.FEES_PAID, by=by)
    _check_paid(locked)
    workflows.transition(locked, S.FEES_PAID, by=by)
    return done(renovation, locked)


@transaction.atomic
def issue_permit(*, renovation: Renovation, by: User) -> Renovation:
    """Issue the permit for the door: refused while anything is owed. The first site
    inspection is due on the day works start."""
    locked = lock(renovation)
    if locked.status == S.APPROVED:
        workflows.check_transition(locked, S.FEES_PAID, by=by)
        _check_paid(locked)
        workflows.transition(locked, S.FEES_PAID, by=by)
    workflows.check_transition(locked, S.PERMIT_ISSUED, by=by)
    today = timezone.localdate()
    workflows.transition(
        locked,
        S.PERMIT_ISSUED,
        by=by,
        permit_issued_on=today,
        next_inspection_on=max(today, locked.planned_start),
    )
    return done(renovation, locked)


@transaction.atomic
def start_work(*, renovation: Renovation, by: User) -> Renovation:
    locked = lock(renovation)
    workflows.transition(locked, S.IN_PROGRESS, by=by, action="started")
    return done(renovation, locked)


def deposits_held(renovation: Renovation) -> dict[str, Decimal]:
    """The deposits charged and paid (the permit was issued only once everything was paid)."""
    held = {FeeKind.DEPOSIT_CONTRACTOR: ZERO, FeeKind.DEPOSIT_OWNER: ZERO}
    if renovation.permit_issued_on is None:
        return {str(k): v for k, v in held.items()}
    for fee in renovation.fees.filter(kind__in=list(held)):
        held[FeeKind(fee.kind)] += fee.amount
    return {str(k): v for k, v in held.items()}
