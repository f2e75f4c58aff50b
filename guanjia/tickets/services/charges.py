"""A paid repair's charge, posted to the unit's account when the resident accepts the work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.billing.models import FeeCategory, FeeItem, LedgerEntry, MonthClose
from guanjia.billing.services import Posting, create_fee_item, post_entries

from ..models import RepairOrder

REPAIR_FEE_CODE = "repair"  # 有偿维修费


def repair_fee_item(*, order: RepairOrder, by: User) -> FeeItem:
    """The company's fee item for paid repairs, created the first time it is needed."""
    company = order.community.company
    found = FeeItem.objects.filter(company=company, code=REPAIR_FEE_CODE).first()
    if found is not None:
        return found
    return create_fee_item(
        company=company,
        code=REPAIR_FEE_CODE,
        name=_("Paid repair fee"),
        category=FeeCategory.ONE_OFF,
        by=by,
    )


def open_period(order: RepairOrder, day: dt.date) -> dt.date:
    """The month of `day`, or the first later month billing has not closed."""
    period = day.replace(day=1)
    closed = set(
        MonthClose.objects.filter(community=order.community, period__gte=period).values_list(
            "period", flat=True
        )
    )
    while period in closed:
        period = (period + dt.timedelta(days=32)).replace(day=1)
    return period


def post_repair_charge(*, order: RepairOrder, by: User) -> LedgerEntry | None:
    """Post the charge of a verified paid repair once (`bill_ref` "repair:<id>").

    Called by `verify_repair` in its transaction, with the order locked. A free repair, a
    repair without a charge or without a unit (common parts), or one already posted posts
    nothing. The period is the month of verification; when billing has closed it, the next
    open month (billing's rule: corrections post into the open month)."""
    amount = order.charge_amount
    if not order.is_paid or amount is None or amount <= Decimal("0") or order.unit_id is None:
        return None
    ref = f"repair:{order.pk}"
    if (
        order.charge_entry_id is not None
        or LedgerEntry.objects.filter(
            community=order.community, unit_id=order.unit_id, bill_ref=ref
        ).exists()
    ):
        return None
    verified = timezone.localdate(order.verified_at or timezone.now())
    item = repair_fee_item(order=order, by=by)
    posting = Posting(
        unit_id=order.unit_id,
        fee_item_id=item.pk,
        period=open_period(order, verified),
        kind="charge",
        amount=amount,
        memo=_("Paid repair %(number)s") % {"number": order.number},
        bill_ref=ref,
        explanation={"repair": order.number, "verified_on": verified.isoformat()},
    )
    (entry,) = post_entries(community=order.community, postings=[posting], by=by)
    order.charge_entry = entry
    order.save(update_fields=["charge_entry", "updated_at"])
    return entry
