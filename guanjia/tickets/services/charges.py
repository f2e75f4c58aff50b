"""A paid repair's charge, posted to the unit's account when the resident accepts the work.

Billing owns the rules (the fee item, the open month, posting once): this module only says
what the charge is and calls `guanjia.billing.services.post_one_off_charge`."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.billing.services import OneOffCharge, post_one_off_charge

from ..models import RepairOrder

REPAIR_FEE_CODE = "repair"  # 有偿维修费


def post_repair_charge(*, order: RepairOrder, by: User) -> bool:
    """Post the charge of a verified paid repair once (reference "repair:<id>"); whether it
    posted now.

    Called by `verify_repair` in its transaction, with the order locked. A free repair, a
    repair without a charge or without a unit (common parts), or one already posted posts
    nothing. The day is the day of verification (billing moves it to the next open month
    when that month is closed)."""
    amount = order.charge_amount
    if not order.is_paid or amount is None or amount <= Decimal("0") or order.unit_id is None:
        return False
    if order.charge_entry_id is not None:
        return False
    verified = timezone.localdate(order.verified_at or timezone.now())
    charge = OneOffCharge(
        unit_id=order.unit_id,
        amount=amount,
        fee_code=REPAIR_FEE_CODE,
        fee_name=_("Paid repair fee"),
        reference=f"repair:{order.pk}",
        day=verified,
        memo=_("Paid repair %(number)s") % {"number": order.number},
        explanation={"repair": order.number, "verified_on": verified.isoformat()},
    )
    entry = post_one_off_charge(community=order.community, charge=charge, by=by)
    if entry is None:
        return False
    order.charge_entry = entry
    order.save(update_fields=["charge_entry", "updated_at"])
    return True
