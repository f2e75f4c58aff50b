"""Reads of dunning: what units owe, bill by bill (one aggregate query for a whole community),
the cases a user may see (an area manager: their zones), promises kept or missed and an
instalment plan's progress, both measured against the unit's ledger payments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from guanjia.billing.models import Bucket, FeeItem, LedgerEntry, UnitBalance
from guanjia.billing.services import late_fees_as_of
from guanjia.billing.services.late_fees import BILL, LATE
from guanjia.core.access import User
from guanjia.core.models import Community
from guanjia.estates.models import Unit
from guanjia.estates.selectors.access import is_zone_bound, managed_zone_ids

from ..models import ArrearsCase, InstalmentPlan, PaymentPromise

ZERO = Decimal("0.00")
OWING = (Bucket.BILLED, Bucket.PAID, Bucket.WAIVED, Bucket.WRITTEN_OFF)


@dataclass(frozen=True)
class OwedItem:
    """One bill's charge (or its late fee) still owed."""

    fee_item: str
    month: dt.date
    amount: Decimal
    late_fee: Decimal

    def as_json(self) -> dict[str, str]:
        return {
            "item": self.fee_item,
            "month": f"{self.month:%Y-%m}",
            "amount": str(self.amount),
            "late_fee": str(self.late_fee),
        }


@dataclass
class UnitOwed:
    unit_id: int
    items: list[OwedItem] = field(default_factory=list)
    prepaid: Decimal = ZERO

    @property
    def principal(self) -> Decimal:
        return sum((i.amount for i in self.items), ZERO)

    @property
    def late_fee(self) -> Decimal:
        return sum((i.late_fee for i in self.items), ZERO)

    @property
    def total(self) -> Decimal:
        return self.principal + self.late_fee


def _month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def owed_by_unit(
    community: Community, day: dt.date, unit_ids: list[int] | None = None
) -> dict[int, UnitOwed]:
    """What each unit of `community` owes on `day`, bill by bill, late fees counted to the
    day (those the nightly job has not posted yet included). One grouped query over the
    ledger plus billing's late-fee computation, whatever the number of units."""
    ref_month = Case(
        When(bill_ref__startswith=LATE, then=Substr("bill_ref", len(LATE) + 1, 7)),
        When(bill_ref__startswith=BILL, then=Substr("bill_ref", len(BILL) + 1, 7)),
        default=Value(""),
        output_field=CharField(),
    )
    is_late = Case(
        When(bill_ref__startswith=LATE, then=Value("L")),
        default=Value("C"),
        output_field=CharField(),
    )
    rows = LedgerEntry.objects.filter(community=community)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    grouped = (
        rows.annotate(ref_month=ref_month, is_late=is_late)
        .values("unit_id", "fee_item_id", "is_late", "ref_month", "period", "bucket")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    charges: dict[tuple[int, int, str], Decimal] = defaultdict(lambda: ZERO)
    late: dict[tuple[int, int, str], Decimal] = defaultdict(lambda: ZERO)
    prepaid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in grouped:
        if row["bucket"] == Bucket.PREPAID:
            prepaid[row["unit_id"]] -= row["total"]
            continue
        if row["bucket"] not in OWING:
            continue
        month = row["ref_month"] or f"{row['period']:%Y-%m}"
        key = (row["unit_id"], row["fee_item_id"], month)
        (late if row["is_late"] == "L" else charges)[key] += row["total"]
    for fee in late_fees_as_of(community=community, day=day, units=unit_ids):
        if fee.to_post > 0:
            late[(fee.unit_id, fee.fee_item_id, fee.bill_month)] += fee.to_post
    keys = {k for k, v in charges.items() if v > 0} | {k for k, v in late.items() if v > 0}
    names = dict(FeeItem.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "name"))
    result: dict[int, UnitOwed] = {}
    for key in sorted(keys, key=lambda k: (k[0], k[2], names.get(k[1], ""))):
        unit_id, item_id, month = key
        owed = result.setdefault(unit_id, UnitOwed(unit_id))
        owed.items.append(
            OwedItem(
                names[item_id],
                _month(month),
                max(charges.get(key, ZERO), ZERO),
                max(late.get(key, ZERO), ZERO),
            )
        )
    for unit_id, amount in prepaid.items():
        if unit_id in result and amount > 0:
            result[unit_id].prepaid = amount
    return result


def outstanding(unit: Unit) -> Decimal:
    """What the unit owes on its balances (posted entries; one query)."""
    total = UnitBalance.objects.filter(unit=unit).aggregate(t=Sum("outstanding"))["t"]
    return total or ZERO


def old_arrears(community: Community, cutoff: dt.date, minimum: Decimal) -> dict[int, Decimal]:
    """Units owing at least `minimum` on charges billed for `cutoff`'s month or before (late
    fees aside): one grouped query."""
    month = f"{BILL}{cutoff:%Y-%m}"
    rows = (
        LedgerEntry.objects.filter(community=community, bucket__in=OWING)
        .exclude(bill_ref__startswith=LATE)
        .filter(
            Q(bill_ref__startswith=BILL, bill_ref__lte=month + "\uffff")
            | (~Q(bill_ref__startswith=BILL) & Q(period__lte=cutoff))
        )
        .values("unit_id")
        .annotate(total=Sum("amount"))
        .filter(total__gte=minimum)
        .order_by()
    )
    return {r["unit_id"]: r["total"] for r in rows}


def cases_for(user: User, community: Community) -> QuerySet[ArrearsCase]:
    """The cases of `community` the user may see: an area manager bound to zones sees theirs
    only (spec §26 rule 3)."""
    rows = ArrearsCase.objects.visible_to(user).in_community(community)
    if is_zone_bound(user, community):
        rows = rows.filter(unit__building__zone_id__in=managed_zone_ids(user, community))
    return rows


def _paid_between() -> Any:
    """The unit's payments (net of their reversals) from the promise's day to its date."""
    paid = (
        LedgerEntry.objects.filter(
            unit_id=OuterRef("case__unit_id"),
            bucket=Bucket.PAID,
            created_at__date__gte=OuterRef("made_on"),
            created_at__date__lte=OuterRef("pay_by"),
        )
        .order_by()
        .values("unit_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    fen = BigIntegerField()
    return Coalesce(Subquery(paid, output_field=fen), Value(0, output_field=fen))


def promises_with_payments(rows: QuerySet[PaymentPromise]) -> QuerySet[PaymentPromise]:
    """Each promise with `paid_fen`: the unit's payments in its window (negative fen: the
    ledger writes payments negative)."""
    return rows.annotate(paid_fen=_paid_between())


def missed_promises(rows: QuerySet[PaymentPromise], day: dt.date) -> QuerySet[PaymentPromise]:
    """Promises whose date passed before `day` without their amount paid."""
    rows = promises_with_payments(rows.filter(pay_by__lt=day))
    return rows.filter(paid_fen__gt=-F("amount"))  # type: ignore[misc]


@dataclass(frozen=True)
class PromiseState:
    promise: PaymentPromise
    paid: Decimal
    state: str  # kept, missed, waiting


def promise_states(case: ArrearsCase, day: dt.date) -> list[PromiseState]:
    from guanjia.core.money import from_fen

    states = []
    for p in promises_with_payments(case.promises.select_related("by")):
        paid = from_fen(-int(getattr(p, "paid_fen", 0) or 0))
        if paid >= p.amount:
            state = "kept"
        elif p.pay_by < day:
            state = "missed"
        else:
            state = "waiting"
        states.append(PromiseState(p, paid, state))
    return states


@dataclass(frozen=True)
class InstalmentState:
    position: int
    due_on: dt.date
    amount: Decimal
    paid: Decimal
    state: str  # paid, part, overdue, due


@dataclass(frozen=True)
class PlanProgress:
    plan: InstalmentPlan
    paid: Decimal
    lines: list[InstalmentState]

    @property
    def left(self) -> Decimal:
        return max(Decimal(self.plan.total) - self.paid, ZERO)

    @property
    def percent(self) -> int:
        return min(100, int(self.paid * 100 / self.plan.total)) if self.plan.total else 0

    @property
    def overdue(self) -> list[InstalmentState]:
        return [line for line in self.lines if line.state == "overdue"]


def paid_since(unit_id: int, day: dt.date) -> Decimal:
    total = LedgerEntry.objects.filter(
        unit_id=unit_id, bucket=Bucket.PAID, created_at__date__gte=day
    ).aggregate(t=Sum("amount"))["t"]
    return Decimal(-(total or ZERO))


def plan_progress(plan: InstalmentPlan, day: dt.date) -> PlanProgress:
    """The plan's instalments paid in order from the unit's payments since the plan began."""
    paid = paid_since(plan.case.unit_id, plan.starts_on)
    left = paid
    lines = []
    for line in plan.lines.all():
        share = min(left, line.amount)
        left -= share
        if share >= line.amount:
            state = "paid"
        elif line.due_on < day:
            state = "overdue"
        elif share > 0:
            state = "part"
        else:
            state = "due"
        lines.append(InstalmentState(line.position, line.due_on, line.amount, share, state))
    return PlanProgress(plan, paid, lines)


__all__ = [
    "InstalmentState",
    "OwedItem",
    "PlanProgress",
    "PromiseState",
    "UnitOwed",
    "cases_for",
    "missed_promises",
    "old_arrears",
    "outstanding",
    "owed_by_unit",
    "paid_since",
    "plan_progress",
    "promise_states",
    "promises_with_payments",
]
