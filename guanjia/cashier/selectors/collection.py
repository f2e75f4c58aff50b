"""Collection reports (spec §10 "Reports and KPIs", §27): the five collection rates by their
exact formulas, each with its numerator and denominator; arrears ageing; top debtors; by zone
and building; payments by method and cashier; deposits held; prepaid balances; late fees
billed and collected.

Every figure is an aggregate query over billing's ledger (conditional sums, grouped by
building or zone when asked), never a loop over units. A ledger line belongs to a bill month
(a payment's `bill:YYYY-MM`, else the month it posted into) and was collected in the month it
posted into (docs/cashier.md "Money")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from guanjia.billing.models import Bucket, LedgerEntry, UnitBalance
from guanjia.billing.selectors.arrears import UnitArrears, arrears_by_unit
from guanjia.billing.services.late_fees import BILL, LATE
from guanjia.core.models import Community

from ..models import Deposit, DepositStatus, Payment, ReceiptStatus

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Ratio:
    """A rate with its raw figures: `rate` in percent (one decimal), None without a
    denominator."""

    numerator: Decimal
    denominator: Decimal

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (self.numerator * HUNDRED / self.denominator).quantize(Decimal("0.1"))


def _month_key(day: dt.date) -> str:
    return f"{BILL}{day:%Y-%m}"


def _bill_in(first: dt.date, last: dt.date) -> Q:
    """Lines whose bill month is from `first`'s month to `last`'s month."""
    return Q(bill_ref__startswith=BILL, bill_ref__gte=_month_key(first)) & Q(
        bill_ref__lte=_month_key(last)
    ) | (~Q(bill_ref__startswith=BILL) & Q(period__gte=first, period__lte=last))


def _bill_before(first: dt.date) -> Q:
    return Q(bill_ref__startswith=BILL, bill_ref__lt=_month_key(first)) | (
        ~Q(bill_ref__startswith=BILL) & Q(period__lt=first)
    )


def _posted_in(first: dt.date, last: dt.date) -> Q:
    return Q(period__gte=first, period__lte=last)


PRINCIPAL = ~Q(bill_ref__startswith=LATE)  # late fees are reported apart
BILLED = Q(bucket=Bucket.BILLED)
PAID = Q(bucket=Bucket.PAID)
WAIVED = Q(bucket=Bucket.WAIVED)
CLEARED = Q(bucket__in=(Bucket.PAID, Bucket.WAIVED, Bucket.WRITTEN_OFF))


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Rates:
    """The §10 rates of one scope (the community, a zone or a building) for months
    `first`..`last`."""

    label: str
    current: Ratio  # 当期收缴率 实收_P ÷ 应收_P
    recovery: Ratio  # 清欠率 清欠 ÷ 期初欠费
    overall: Ratio  # 综合收缴率 (实收_P + 清欠) ÷ (应收_P + 期初欠费)


def _sums(first: dt.date, last: dt.date, waivers: bool) -> dict[str, Any]:
    collected = (PAID | WAIVED) if waivers else PAID
    return {
        "billed": Sum("amount", filter=PRINCIPAL & BILLED & _bill_in(first, last)),
        "collected": Sum(
            "amount",
            filter=PRINCIPAL & collected & _bill_in(first, last) & _posted_in(first, last),
        ),
        "opening": Sum(
            "amount",
            filter=PRINCIPAL & (BILLED | CLEARED) & _bill_before(first) & Q(period__lt=first),
        ),
        "recovered": Sum(
            "amount", filter=PRINCIPAL & collected & _bill_before(first) & _posted_in(first, last)
        ),
    }


def _rates(label: str, row: dict[str, Any]) -> Rates:
    billed = row["billed"] or ZERO
    collected = -(row["collected"] or ZERO)
    opening = row["opening"] or ZERO
    recovered = -(row["recovered"] or ZERO)
    return Rates(
        label,
        Ratio(collected, billed),
        Ratio(recovered, opening),
        Ratio(collected + recovered, billed + opening),
    )


def rates(community: Community, first: dt.date, last: dt.date, *, waivers: bool = False) -> Rates:
    """The community's three money rates over the months (one aggregate query)."""
    rows = LedgerEntry.objects.filter(community=community, period__lte=last)
    return _rates("", rows.aggregate(**_sums(first, last, waivers)))


def rates_by(
    community: Community, first: dt.date, last: dt.date, *, by: str, waivers: bool = False
) -> list[Rates]:
    """The same rates per building (`by="building"`) or per zone (`by="zone"`): one grouped
    query."""
    path = {"building": "unit__building", "zone": "unit__building__zone"}[by]
    rows = (
        LedgerEntry.objects.filter(community=community, period__lte=last)
        .values(f"{path}_id", f"{path}__name")
        .annotate(**_sums(first, last, waivers))
        .order_by(f"{path}__name", f"{path}_id")
    )
    return [_rates(r[f"{path}__name"], r) for r in rows]


def household_rate(
    community: Community, first: dt.date, last: dt.date, *, waivers: bool = False
) -> Ratio:
    """户数收缴率: units with nothing outstanding for the months' bills at the end of the
    period ÷ units billed for them (one grouped query)."""
    cleared = (PAID | WAIVED | Q(bucket=Bucket.WRITTEN_OFF)) if waivers else PAID
    rows = (
        LedgerEntry.objects.filter(community=community, period__lte=last)
        .filter(PRINCIPAL & _bill_in(first, last) & (BILLED | cleared))
        .values("unit_id")
        .annotate(
            owed=Sum("amount"),
            billed=Sum("amount", filter=BILLED),
        )
        .filter(billed__gt=0)
        .aggregate(units=Count("unit_id"), paid_up=Count("unit_id", filter=Q(owed__lte=0)))
    )
    return Ratio(Decimal(rows["paid_up"] or 0), Decimal(rows["units"] or 0))


def annual_rate(
    community: Community, year: int, cutoff: dt.date, *, waivers: bool = False
) -> Ratio:
    """年度收缴率: collected for the year's bills by the cut-off month ÷ billed for the year."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    collected = (PAID | WAIVED) if waivers else PAID
    row = LedgerEntry.objects.filter(community=community).aggregate(
        billed=Sum("amount", filter=PRINCIPAL & BILLED & _bill_in(first, last)),
        collected=Sum(
            "amount",
            filter=PRINCIPAL & collected & _bill_in(first, last) & Q(period__lte=cutoff),
        ),
    )
    return Ratio(-(row["collected"] or ZERO), row["billed"] or ZERO)


@dataclass(frozen=True)
class Ageing:
    """Principal owed by the age of its bill (1-3, 4-6, 7-12, over 12 months; the month of
    `as_of` is one month old)."""

    buckets: list[tuple[str, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((amount for _label, amount in self.buckets), ZERO)


def _months_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


AGES = (("1-3", 0, 2), ("4-6", 3, 5), ("7-12", 6, 11), (">12", 12, None))


def ageing(community: Community, as_of: dt.date) -> Ageing:
    """One aggregate query: a conditional sum per age."""
    month = as_of.replace(day=1)
    sums = {}
    for label, young, old in AGES:
        if old is None:
            span = _bill_before(_months_back(month, young - 1))
        else:
            span = _bill_in(_months_back(month, old), _months_back(month, young))
        sums[label] = Sum("amount", filter=span)
    row = (
        LedgerEntry.objects.filter(community=community, period__lte=month)
        .filter(PRINCIPAL & (BILLED | CLEARED))
        .aggregate(**sums)
    )
    return Ageing([(label, max(row[label] or ZERO, ZERO)) for label, _y, _o in AGES])


@dataclass(frozen=True)
class Amount:
    label: str
    count: int
    total: Decimal


def payments_by(community: Community, first: dt.date, last: dt.date, by: str) -> list[Amount]:
    """Payments taken in the months (valid receipts), by method or by cashier: one query."""
    rows = Payment.objects.filter(
        community=community,
        session__business_day__gte=first,
        session__business_day__lte=month_end(last),
        receipt__status=ReceiptStatus.VALID,
    ).exclude(lines__kind="deposit")
    if by == "method":
        from ..models import PaymentMethod

        labels = dict(PaymentMethod.choices)
        grouped = rows.values("method").annotate(n=Count("pk", distinct=True), t=Sum("amount"))
        return [
            Amount(str(labels.get(r["method"], r["method"])), r["n"], r["t"] or ZERO)
            for r in grouped.order_by("method")
        ]
    by_cashier: Any = (
        rows.values("created_by_id", "created_by__full_name", "created_by__username")
        .annotate(n=Count("pk", distinct=True), t=Sum("amount"))
        .order_by("created_by__username")
    )
    return [
        Amount(r["created_by__full_name"] or r["created_by__username"], r["n"], r["t"] or ZERO)
        for r in by_cashier
    ]


@dataclass
class CollectionReport:
    first: dt.date
    last: dt.date
    waivers: bool
    rates: Rates
    household: Ratio
    annual: Ratio
    year: int
    cutoff: dt.date
    by_building: list[Rates]
    by_zone: list[Rates]
    ageing: Ageing
    top_debtors: list[UnitArrears]
    by_method: list[Amount]
    by_cashier: list[Amount]
    deposits_held: list[Amount]
    prepaid: Amount
    late_fees: tuple[Decimal, Decimal]  # billed, collected in the months
    extra: dict[str, Any] = field(default_factory=dict)


def collection_report(
    community: Community,
    first: dt.date,
    last: dt.date,
    *,
    waivers: bool = False,
    year: int | None = None,
    cutoff: dt.date | None = None,
    top: int = 20,
) -> CollectionReport:
    """Everything of the collection page: a fixed number of aggregate queries."""
    cutoff = cutoff or month_end(last)
    year = year or last.year
    held = (
        Deposit.objects.filter(
            community=community,
            status__in=(DepositStatus.HELD, DepositStatus.REQUESTED, DepositStatus.APPROVED),
        )
        .values("kind")
        .annotate(n=Count("pk"), t=Sum("amount"))
        .order_by("kind")
    )
    from ..models import DepositKind

    kinds = dict(DepositKind.choices)
    prepaid = UnitBalance.objects.filter(community=community, prepaid__gt=0).aggregate(
        n=Count("unit_id", distinct=True), t=Sum("prepaid")
    )
    late = LedgerEntry.objects.filter(community=community).aggregate(
        billed=Sum(
            "amount",
            filter=Q(bucket=Bucket.BILLED, bill_ref__startswith=LATE) & _posted_in(first, last),
        ),
        collected=Sum(
            "amount",
            filter=Q(bucket=Bucket.PAID, bill_ref__startswith=LATE) & _posted_in(first, last),
        ),
    )
    return CollectionReport(
        first=first,
        last=last,
        waivers=waivers,
        rates=rates(community, first, last, waivers=waivers),
        household=household_rate(community, first, last, waivers=waivers),
        annual=annual_rate(community, year, cutoff, waivers=waivers),
        year=year,
        cutoff=cutoff,
        by_building=rates_by(community, first, last, by="building", waivers=waivers),
        by_zone=rates_by(community, first, last, by="zone", waivers=waivers),
        ageing=ageing(community, last),
        top_debtors=arrears_by_unit(community.pk, limit=top),
        by_method=payments_by(community, first, last, "method"),
        by_cashier=payments_by(community, first, last, "cashier"),
        deposits_held=[
            Amount(str(kinds.get(r["kind"], r["kind"])), r["n"], r["t"] or ZERO) for r in held
        ],
        prepaid=Amount("", prepaid["n"] or 0, prepaid["t"] or ZERO),
        late_fees=(late["billed"] or ZERO, -(late["collected"] or ZERO)),
    )
