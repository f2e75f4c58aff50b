"""A cashier's day in figures (收款日报表): every receipt, totals by method and by fee item,
the receipts voided, the cash expected in the drawer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from ..models import (
    CashierSession,
    LineKind,
    Payment,
    PaymentLine,
    PaymentMethod,
    ReceiptStatus,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Total:
    label: str
    count: int
    amount: Decimal


@dataclass
class DaySummary:
    session: CashierSession
    payments: list[Payment]
    by_method: list[Total] = field(default_factory=list)
    by_item: list[Total] = field(default_factory=list)
    total: Decimal = ZERO
    cash: Decimal = ZERO
    expected_cash: Decimal = ZERO

    @property
    def issued(self) -> list[Payment]:
        return [p for p in self.payments if p.receipt.status == ReceiptStatus.VALID]

    @property
    def voided(self) -> list[Payment]:
        return [p for p in self.payments if p.receipt.status == ReceiptStatus.VOID]

    @property
    def number_range(self) -> tuple[str, str] | None:
        if not self.payments:
            return None
        numbers = sorted((p.receipt.seq, p.receipt.number) for p in self.payments)
        return numbers[0][1], numbers[-1][1]


def day_summary(session: CashierSession) -> DaySummary:
    """The day's receipts and totals (two queries, whatever the number of payments); a void
    receipt is listed but counts in no total."""
    payments = list(
        Payment.objects.filter(session=session)
        .select_related("receipt", "unit__building", "unit__entrance")
        .order_by("receipt__seq")
    )
    summary = DaySummary(session=session, payments=payments)
    methods: dict[str, list[int | Decimal]] = {}
    for payment in summary.issued:
        count_total = methods.setdefault(payment.method, [0, ZERO])
        count_total[0] = int(count_total[0]) + 1
        count_total[1] = Decimal(count_total[1]) + payment.amount
        summary.total += payment.amount
        if payment.method == PaymentMethod.CASH:
            summary.cash += payment.amount
    labels = dict(PaymentMethod.choices)
    summary.by_method = [
        Total(str(labels[m]), int(v[0]), Decimal(v[1])) for m, v in methods.items()
    ]
    rows = (
        PaymentLine.objects.filter(
            payment__session=session, payment__receipt__status=ReceiptStatus.VALID
        )
        .values_list("fee_item__name", "kind")
        .annotate(amount=Sum("amount"))
        .order_by("fee_item__name", "kind")
    )
    kinds = dict(LineKind.choices)
    summary.by_item = [
        Total(name if kind == LineKind.CHARGE else f"{name} · {kinds[kind]}", 0, amount)
        for name, kind, amount in rows
    ]
    summary.expected_cash = session.float_amount + summary.cash
    return summary
