"""Late fees (滞纳金): per bill (unit, fee item, month) and day, by the community's contract.

A bill falls due by `billing.late_fee_due_rule`; from the day after the due date plus
`billing.late_fee_grace_days`, each day adds `principal outstanding × billing.late_fee_daily_rate`
(rounded half-up to the fen), until the late fees of that bill reach
`billing.late_fee_cap_ratio × principal billed`. Late fees post into the month of the day
they accrue, with `bill_ref = "late:<bill month>:<day>"`: unique, so a day accrues once.
Nothing here, or anywhere in Guanjia, cuts utilities for arrears (Civil Code art. 944).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core.models import Community
from guanjia.core.money import RoundingRule, round_money, to_fen
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from ..models import Bucket, EntryKind, FeeItem, LedgerEntry, WaiverRequest, WaiverStatus
from .calculation import add_months, month_end
from .ledger import Posting, month_start, post_entries

LATE = "late:"
PRINCIPAL = Q(bucket__in=[Bucket.BILLED, Bucket.PAID, Bucket.WAIVED, Bucket.WRITTEN_OFF]) & ~Q(
    bill_ref__startswith=LATE
)


def due_date(period: dt.date, rule: str) -> dt.date:
    return month_end(add_months(period, 1)) if rule == "next_month_end" else month_end(period)


def late_fee_for_day(
    *, principal: Decimal, billed: Decimal, accrued: Decimal, rate: Decimal, cap_ratio: Decimal
) -> Decimal:
    """One day's late fee on one bill: the daily rate on the principal still owed, never
    taking the bill's late fees past the cap."""
    if principal <= 0:
        return Decimal("0.00")
    day_fee = round_money(principal * rate, RoundingRule.HALF_UP)
    room = round_money(billed * cap_ratio, RoundingRule.DOWN) - accrued
    return max(Decimal("0.00"), min(day_fee, room))


def _accrued(community: Community) -> dict[tuple[int, int, str], Decimal]:
    rows = LedgerEntry.objects.filter(community=community, bill_ref__startswith=LATE).values_list(
        "unit_id", "fee_item_id", "bill_ref", "amount"
    )
    accrued: dict[tuple[int, int, str], Decimal] = {}
    for unit_id, item_id, ref, amount in rows:
        key = (unit_id, item_id, ref[len(LATE) : len(LATE) + 7])
        accrued[key] = accrued.get(key, Decimal("0.00")) + amount
    return accrued


def late_fee_postings(*, community: Community, day: dt.date) -> list[Posting]:
    """The late fees `day` adds to the community's overdue bills."""
    rate = policy(community, "billing.late_fee_daily_rate", on=day)
    grace = policy(community, "billing.late_fee_grace_days", on=day)
    cap = policy(community, "billing.late_fee_cap_ratio", on=day)
    rule = policy(community, "billing.late_fee_due_rule", on=day)
    if not rate:
        return []
    bills = (
        LedgerEntry.objects.filter(community=community, period__lte=month_start(day))
        .values("unit_id", "fee_item_id", "period")
        .annotate(
            principal=Sum("amount", filter=PRINCIPAL),
            billed=Sum("amount", filter=Q(bucket=Bucket.BILLED) & ~Q(bill_ref__startswith=LATE)),
        )
        .order_by()
    )
    accrued = _accrued(community)
    postings = []
    for bill in bills:
        if due_date(bill["period"], rule) + dt.timedelta(days=grace) >= day:
            continue
        key = (bill["unit_id"], bill["fee_item_id"], f"{bill['period']:%Y-%m}")
        fee = late_fee_for_day(
            principal=bill["principal"] or Decimal(0),
            billed=bill["billed"] or Decimal(0),
            accrued=accrued.get(key, Decimal("0.00")),
            rate=rate,
            cap_ratio=cap,
        )
        if to_fen(fee) > 0:
            postings.append(
                Posting(
                    unit_id=key[0],
                    fee_item_id=key[1],
                    period=month_start(day),
                    kind=EntryKind.LATE_FEE,
                    amount=fee,
                    bill_ref=f"{LATE}{key[2]}:{day.isoformat()}",
                    explanation={
                        "principal": str(bill["principal"]),
                        "rate": str(rate),
                        "day": day.isoformat(),
                        "bill_month": key[2],
                    },
                )
            )
    return postings


@transaction.atomic
def accrue_late_fees(*, community: Community, day: dt.date, by: User | None = None) -> int:
    """Post `day`'s late fees (a day already accrued adds nothing: the database refuses a
    second late fee with the same bill_ref)."""
    if LedgerEntry.objects.filter(
        community=community, kind=EntryKind.LATE_FEE, bill_ref__endswith=f":{day.isoformat()}"
    ).exists():
        return 0
    postings = late_fee_postings(community=community, day=day)
    post_entries(community=community, postings=postings, by=by)
    return len(postings)


def accrue_late_fees_daily() -> dict[str, int]:
    """The scheduled job: yesterday's late fees in every active community, once per
    community and day (`run_once`)."""
    from django.utils import timezone

    from guanjia.core.jobs.services import run_once

    day = timezone.localdate() - dt.timedelta(days=1)
    posted: dict[str, int] = {}
    for community in Community.objects.filter(is_active=True):
        count = run_once(
            f"billing.late_fees:{community.pk}:{day.isoformat()}",
            _accrue_for(community, day),
            label=f"late fees {community.code} {day.isoformat()}",
        )
        posted[community.code] = count or 0
    return posted


def _accrue_for(community: Community, day: dt.date) -> Callable[[], int]:
    def accrue_late_fees_of_community() -> int:
        return accrue_late_fees(community=community, day=day)

    return accrue_late_fees_of_community


@transaction.atomic
def request_late_fee_waiver(
    *, unit: Unit, fee_item: FeeItem, amount: Decimal, reason: str, by: User
) -> WaiverRequest:
    """Ask for part of a unit's late fees to be waived (approval: cashier issue). At most the
    late fees the unit owes for the item, net of earlier open requests."""
    to_fen(amount)
    if amount <= 0:
        raise ValidationError(_("A waiver must be above zero."), code="bad_amount")
    if not reason.strip():
        raise ValidationError(_("Give a reason for the waiver."), code="reason_required")
    accrued = LedgerEntry.objects.filter(
        unit=unit, fee_item=fee_item, bill_ref__startswith=LATE
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    pending = WaiverRequest.objects.filter(
        unit=unit, fee_item=fee_item, status=WaiverStatus.REQUESTED
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if amount > accrued - pending:
        raise ValidationError(
            _("A waiver can be at most the late fees owed (%(owed)s).")
            % {"owed": accrued - pending},
            code="waiver_too_large",
        )
    return WaiverRequest.objects.create(
        community_id=unit.community_id,
        unit=unit,
        fee_item=fee_item,
        amount=amount,
        reason=reason.strip(),
        requested_by=by,
    )
