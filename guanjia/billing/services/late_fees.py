"""Late fees (滞纳金): per bill (unit, fee item, month), rounded once.

A bill falls due by `billing.late_fee_due_rule`; its chargeable days start the day after the
due date plus `billing.late_fee_grace_days`. After N chargeable days the bill's late fee is

    Σ over those days of (principal owed that day × that day's `billing.late_fee_daily_rate`)

rounded once, half-up, to the fen (for one principal and one rate: principal × rate × N),
and never more than `billing.late_fee_cap_ratio × principal billed` (rounded down). A payment,
waiver or write-off lowers the principal from the day it was posted on, and a charge (or its
reversal) counts from the day it was posted on: a bill posted after its due date accrues from
its posting, not from the due date.

Each accrual posts the difference between that rounded total and the late fees already
posted for the bill, so the result is the same whether the job runs daily, weekly or catches
up on missed days. Late fees post into the month of the day they are accrued for, with
`bill_ref = "late:<bill month>:<day>"`: unique, so a day accrues once.
A payment posts into the month it is taken in and names the bill it pays with
`bill_ref = "bill:<bill month>"` (a payment of a late fee: `"late:<bill month>:paid"`, which
lowers no principal); the principal of a bill is read by that bill month.
Nothing here, or anywhere in Guanjia, cuts utilities for arrears (Civil Code art. 944).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core import workflows
from guanjia.core.models import Community
from guanjia.core.money import RoundingRule, round_money, to_fen
from guanjia.core.policies.selectors import policy, policy_over
from guanjia.estates.models import Unit

from ..models import Bucket, EntryKind, FeeItem, LedgerEntry, WaiverRequest, WaiverStatus
from .calculation import add_months, month_end
from .ledger import Posting, month_start, post_entries

LATE = "late:"
BILL = "bill:"  # a payment's bill_ref: the bill it pays ("bill:2026-10")
RATE = "billing.late_fee_daily_rate"
NOT_LATE = ~Q(bill_ref__startswith=LATE)
CHARGED = Q(bucket=Bucket.BILLED) & NOT_LATE
PRINCIPAL = CHARGED | (Q(bucket__in=[Bucket.PAID, Bucket.WAIVED, Bucket.WRITTEN_OFF]) & NOT_LATE)
ZERO = Decimal("0.00")


def due_date(period: dt.date, rule: str) -> dt.date:
    return month_end(add_months(period, 1)) if rule == "next_month_end" else month_end(period)


@dataclass(frozen=True)
class RateFrom:
    """The daily rate in force from `start` on (until the next one)."""

    start: dt.date
    rate: Decimal


def late_fee_through(
    *,
    billed: Decimal,
    entries: Iterable[tuple[dt.date, Decimal]],
    first_day: dt.date,
    last_day: dt.date,
    rates: list[RateFrom],
    cap_ratio: Decimal,
) -> Decimal:
    """A bill's whole late fee for its chargeable days `first_day`..`last_day`, rounded once.

    `billed` is the principal charged (for the cap); `entries` are the (day posted, amount) of
    the bill's charges, payments, waivers and write-offs; `rates` are sorted by start, the
    first starting on or before `first_day`. The principal of a day is never taken below zero."""
    if last_day < first_day or not rates:
        return ZERO
    # Days where the principal or the rate changes cut the period into runs of equal days.
    changes: dict[dt.date, Decimal] = defaultdict(Decimal)
    principal = Decimal(0)
    for day, amount in entries:
        if day <= first_day:
            principal += amount
        elif day <= last_day:
            changes[day] += amount
    cuts = sorted({*changes, *(r.start for r in rates if first_day < r.start <= last_day)})
    exact = Decimal(0)
    start = first_day
    for end in [*cuts, last_day + dt.timedelta(days=1)]:
        rate = _rate_on(rates, start)
        if principal > 0 and rate:
            exact += principal * rate * (end - start).days
        principal += changes.get(end, Decimal(0))
        start = end
    ceiling = round_money(billed * cap_ratio, RoundingRule.DOWN)
    return max(ZERO, min(round_money(exact, RoundingRule.HALF_UP), ceiling))


def _rate_on(rates: list[RateFrom], day: dt.date) -> Decimal:
    current = Decimal(0)
    for entry in rates:
        if entry.start > day:
            break
        current = entry.rate
    return current


def rates_between(community: Community, first_day: dt.date, last_day: dt.date) -> list[RateFrom]:
    """The daily rates in force from `first_day` to `last_day` (a contract change mid-way
    applies from its effective date)."""
    return [
        RateFrom(day, Decimal(str(value or 0)))
        for day, value in policy_over(community, RATE, first_day, last_day)
    ]


def bill_month_key(period: dt.date, bill_ref: str) -> str:
    """The bill ("YYYY-MM") a principal entry belongs to: the month named by a payment's
    `bill:` reference, else the month the entry posted into."""
    if bill_ref.startswith(BILL):
        return bill_ref[len(BILL) : len(BILL) + 7]
    return f"{period:%Y-%m}"


def _posted(community: Community) -> dict[tuple[int, int, str], Decimal]:
    """Late fees posted per bill (and their reversals); a payment of a late fee is not one."""
    rows = LedgerEntry.objects.filter(
        community=community, bucket=Bucket.BILLED, bill_ref__startswith=LATE
    ).values_list("unit_id", "fee_item_id", "bill_ref", "amount")
    posted: dict[tuple[int, int, str], Decimal] = defaultdict(lambda: ZERO)
    for unit_id, item_id, ref, amount in rows:
        posted[(unit_id, item_id, ref[len(LATE) : len(LATE) + 7])] += amount
    return posted


def _principal_entries(
    community: Community, *, before: dt.datetime, units: Iterable[int] | None = None
) -> dict[tuple[int, int, str], list[tuple[dt.date, Decimal]]]:
    entries = LedgerEntry.objects.filter(PRINCIPAL, community=community, created_at__lt=before)
    if units is not None:
        entries = entries.filter(unit_id__in=list(units))
    dated: dict[tuple[int, int, str], list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for unit_id, item_id, period, ref, at, amount in entries.values_list(
        "unit_id", "fee_item_id", "period", "bill_ref", "created_at", "amount"
    ):
        key = (unit_id, item_id, bill_month_key(period, ref))
        dated[key].append((timezone.localtime(at).date(), amount))
    return dated


@dataclass(frozen=True)
class LateFee:
    """One bill's late fee as of a day: what it comes to, what is posted, what is due now."""

    unit_id: int
    fee_item_id: int
    bill_month: str
    principal: Decimal
    billed: Decimal
    first_day: dt.date
    days: int
    total: Decimal
    posted: Decimal

    @property
    def to_post(self) -> Decimal:
        return max(ZERO, self.total - self.posted)


def late_fees_as_of(
    *, community: Community, day: dt.date, units: Iterable[int] | None = None
) -> list[LateFee]:
    """Every overdue bill's late fee through `day` (what a page shows before the job runs,
    and what the job posts the difference of)."""
    grace = policy(community, "billing.late_fee_grace_days", on=day)
    cap = policy(community, "billing.late_fee_cap_ratio", on=day)
    rule = policy(community, "billing.late_fee_due_rule", on=day)
    end_of_day = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    entries = LedgerEntry.objects.filter(
        community=community, period__lte=month_start(day), created_at__lt=end_of_day
    )
    if units is not None:
        units = list(units)
        entries = entries.filter(unit_id__in=units)
    bills = (
        entries.values("unit_id", "fee_item_id", "period")
        .annotate(billed=Sum("amount", filter=CHARGED))
        .filter(billed__gt=0)
        .order_by("unit_id", "fee_item_id", "period")
    )
    posted = _posted(community)
    dated = _principal_entries(community, before=end_of_day, units=units)
    rates_cache: dict[dt.date, list[RateFrom]] = {}
    fees = []
    for bill in bills:
        first_day = due_date(bill["period"], rule) + dt.timedelta(days=grace + 1)
        if first_day > day:
            continue
        key = (bill["unit_id"], bill["fee_item_id"], f"{bill['period']:%Y-%m}")
        if first_day not in rates_cache:
            rates_cache[first_day] = rates_between(community, first_day, day)
        total = late_fee_through(
            billed=bill["billed"],
            entries=dated.get(key, ()),
            first_day=first_day,
            last_day=day,
            rates=rates_cache[first_day],
            cap_ratio=cap,
        )
        if total or posted.get(key):
            fees.append(
                LateFee(
                    unit_id=key[0],
                    fee_item_id=key[1],
                    bill_month=key[2],
                    principal=sum((amount for _d, amount in dated.get(key, ())), ZERO),
                    billed=bill["billed"],
                    first_day=first_day,
                    days=(day - first_day).days + 1,
                    total=total,
                    posted=posted.get(key, ZERO),
                )
            )
    return fees


def late_fee_postings(*, community: Community, day: dt.date) -> list[Posting]:
    """What `day` adds: for each overdue bill, its rounded total through `day` less what is
    already posted."""
    rate = policy(community, RATE, on=day)
    return [
        Posting(
            unit_id=fee.unit_id,
            fee_item_id=fee.fee_item_id,
            period=month_start(day),
            kind=EntryKind.LATE_FEE,
            amount=fee.to_post,
            bill_ref=f"{LATE}{fee.bill_month}:{day.isoformat()}",
            explanation={
                "principal": str(fee.principal),
                "rate": str(rate),
                "day": day.isoformat(),
                "bill_month": fee.bill_month,
                "from": fee.first_day.isoformat(),
                "days": fee.days,
                "total": str(fee.total),
                "posted_before": str(fee.posted),
            },
        )
        for fee in late_fees_as_of(community=community, day=day)
        if to_fen(fee.to_post) > 0
    ]


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


@transaction.atomic
def accrue_unit_late_fees(*, unit: Unit, day: dt.date, by: User | None) -> int:
    """Post one unit's late fees through `day` before it pays them at the counter: the same
    rounded totals as the daily job, less what is posted (`late:<bill month>:<day>:desk`, so
    the job's own entry for the day is not taken for it). The job later posts only what is
    still missing."""
    community = unit.community
    rate = policy(community, RATE, on=day)
    postings = [
        Posting(
            unit_id=fee.unit_id,
            fee_item_id=fee.fee_item_id,
            period=month_start(day),
            kind=EntryKind.LATE_FEE,
            amount=fee.to_post,
            bill_ref=f"{LATE}{fee.bill_month}:{day.isoformat()}:desk",
            explanation={
                "principal": str(fee.principal),
                "rate": str(rate),
                "day": day.isoformat(),
                "bill_month": fee.bill_month,
                "from": fee.first_day.isoformat(),
                "days": fee.days,
                "total": str(fee.total),
                "posted_before": str(fee.posted),
                "at_the_counter": True,
            },
        )
        for fee in late_fees_as_of(community=community, day=day, units=[unit.pk])
        if to_fen(fee.to_post) > 0
    ]
    already = set(
        LedgerEntry.objects.filter(
            unit=unit, bill_ref__in=[p.bill_ref for p in postings]
        ).values_list("fee_item_id", "bill_ref")
    )
    postings = [p for p in postings if (p.fee_item_id, p.bill_ref) not in already]
    post_entries(community=community, postings=postings, by=by)
    return len(postings)


def accrue_late_fees_daily() -> dict[str, int]:
    """The scheduled job: yesterday's late fees in every active community, once per
    community and day (`run_once`)."""
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
    """Ask for part of a unit's late fees to be waived: a WaiverRequest awaiting its decision
    (`workflows.decide`, the rules in models/ledger.py; the waiver entry an approval posts is
    the cashier's). At most the late fees the unit owes for the item, net of earlier open
    requests."""
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
    waiver = WaiverRequest.objects.create(
        community_id=unit.community_id,
        unit=unit,
        fee_item=fee_item,
        amount=amount,
        reason=reason.strip(),
        requested_by=by,
    )
    workflows.record_creation(waiver, by=by, note=waiver.reason, action="requested")
    return waiver
