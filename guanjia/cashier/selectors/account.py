"""What a unit owes at the counter: each bill's charge and late fee by month and fee item,
the late fees to today the daily job has not posted yet, and the prepaid balance.

Everything is read from billing's ledger. A bill is (fee item, month billed); a payment names
the bill it paid in `bill_ref` ("bill:2026-10", a late fee's "late:2026-10:paid"), a late fee
names its bill the same way ("late:2026-10:<day>")."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from guanjia.billing.models import Bucket, FeeItem, LedgerEntry
from guanjia.billing.services import late_fees_as_of
from guanjia.billing.services.late_fees import BILL, LATE
from guanjia.estates.models import Ownership, Unit

from ..models import LineKind

ZERO = Decimal("0.00")
OWING_BUCKETS = (Bucket.BILLED, Bucket.PAID, Bucket.WAIVED, Bucket.WRITTEN_OFF)


@dataclass(frozen=True)
class OwedLine:
    """One thing owed: a bill's charge or its late fee. `unposted` is the part of a late fee
    accrued to today that the daily job has not posted yet (included in `amount`)."""

    fee_item_id: int
    fee_item_name: str
    priority: int
    bill_month: dt.date
    kind: str  # LineKind.CHARGE or LineKind.LATE_FEE
    amount: Decimal
    unposted: Decimal = ZERO

    @property
    def key(self) -> str:
        return f"{self.fee_item_id}:{self.bill_month:%Y-%m}:{self.kind}"


@dataclass(frozen=True)
class Account:
    """A unit's account at the counter."""

    unit: Unit
    owner_name: str
    lines: list[OwedLine]
    prepaid: Decimal  # prepaid balance (all fee items)
    prepaid_by_item: dict[str, Decimal]
    day: dt.date

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def late_fees(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == LineKind.LATE_FEE), ZERO)

    @property
    def fingerprint(self) -> str:
        """Changes whenever what is owed changes: a confirmation made on an older screen is
        refused rather than allocated differently from what the cashier showed."""
        text = "|".join(f"{line.key}={line.amount}" for line in self.lines)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def owner_names(unit: Unit, day: dt.date) -> str:
    """The unit's current owners, as the receipt names them (one query)."""
    names = (
        Ownership.objects.current(day)
        .filter(unit=unit)
        .order_by("-share", "pk")
        .values_list("person__name", flat=True)
    )
    return "、".join(dict.fromkeys(names))


def unit_account(unit: Unit, *, day: dt.date, with_unposted: bool = True) -> Account:
    """What `unit` owes on `day`, oldest bill first (three queries, plus the late-fee
    computation when `with_unposted`)."""
    owed: dict[tuple[int, str, str], Decimal] = defaultdict(lambda: ZERO)
    prepaid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = (
        LedgerEntry.objects.filter(unit=unit)
        .values_list("fee_item_id", "period", "bill_ref", "bucket")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item_id, period, ref, bucket, total in rows:
        if bucket == Bucket.PREPAID:
            prepaid[item_id] -= total
        elif bucket in OWING_BUCKETS:
            if ref.startswith(LATE):
                owed[(item_id, ref[len(LATE) : len(LATE) + 7], LineKind.LATE_FEE)] += total
            elif ref.startswith(BILL):
                owed[(item_id, ref[len(BILL) : len(BILL) + 7], LineKind.CHARGE)] += total
            else:
                owed[(item_id, f"{period:%Y-%m}", LineKind.CHARGE)] += total
    unposted: dict[tuple[int, str, str], Decimal] = {}
    if with_unposted:
        for fee in late_fees_as_of(community=unit.community, day=day, units=[unit.pk]):
            if fee.to_post > 0:
                key = (fee.fee_item_id, fee.bill_month, str(LineKind.LATE_FEE))
                unposted[key] = fee.to_post
                owed[key] += fee.to_post
    ids = {key[0] for key, amount in owed.items() if amount > 0} | set(prepaid)
    items = {item.pk: item for item in FeeItem.objects.filter(pk__in=ids)}
    lines = [
        OwedLine(
            fee_item_id=item_id,
            fee_item_name=items[item_id].name,
            priority=items[item_id].priority,
            bill_month=_month(month),
            kind=kind,
            amount=amount,
            unposted=unposted.get((item_id, month, kind), ZERO),
        )
        for (item_id, month, kind), amount in owed.items()
        if amount > 0
    ]
    lines.sort(key=lambda line: (line.bill_month, line.kind, line.priority, line.fee_item_id))
    return Account(
        unit=unit,
        owner_name=owner_names(unit, day),
        lines=lines,
        prepaid=sum(prepaid.values(), ZERO),
        prepaid_by_item={
            items[item_id].name: amount for item_id, amount in prepaid.items() if amount
        },
        day=day,
    )
