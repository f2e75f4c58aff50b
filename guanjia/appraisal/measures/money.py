"""The cashier's measures (spec §05, §24): the collection rate against the target, the daily
report on time, cash accuracy (no over or short), receipt voids. The collection rate is the
community's for the cashier and the supervisor, the zone's for an area manager."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanjia.billing.models import Bucket, LedgerEntry
from guanjia.cashier.models import CashierSession, Receipt, ReceiptStatus
from guanjia.core.policies.selectors import policy

from . import Evidence, MonthContext, Outcome, keep, measure, midnight, rate

ZERO = Decimal(0)


def collection(entries: Any, group: str | None = None) -> dict[Any, tuple[Decimal, Decimal]]:
    """(billed, collected) of the month's ledger lines, by `group` (None: one total)."""
    fields = ["bucket"] if group is None else [group, "bucket"]
    rows = entries.filter(bucket__in=(Bucket.BILLED, Bucket.PAID)).values(*fields)
    totals: dict[Any, tuple[Decimal, Decimal]] = {}
    for row in rows.annotate(total=Sum("amount")).order_by():
        key = row[group] if group else None
        billed, collected = totals.get(key, (ZERO, ZERO))
        if row["bucket"] == Bucket.BILLED:
            billed += row["total"] or ZERO
        else:
            collected -= row["total"] or ZERO  # payments are credits (negative)
        totals[key] = (billed, collected)
    return totals


def rate_outcome(
    billed: Decimal, collected: Decimal, target: Decimal, evidence: Evidence
) -> Outcome:
    """An Outcome of a collection rate against `target` (money in fen for the raw figures)."""
    achieved = rate(int(collected * 100), int(billed * 100), target)
    share = collected / billed if billed > 0 else Decimal(1)
    return Outcome(
        numerator=int(collected * 100),
        denominator=int(billed * 100),
        achievement=achieved,
        formula=gettext(
            "%(collected)s of %(billed)s yuan collected (%(rate)s %%, target %(target)s %%)"
        )
        % {
            "collected": f"{collected:,.2f}",
            "billed": f"{billed:,.2f}",
            "rate": f"{share * 100:.1f}",
            "target": f"{target * 100:.0f}",
        },
        evidence=[] if achieved >= 1 else [evidence],
    )


@measure(
    "collection_rate",
    label=_("Collection rate against the target"),
    roles=("cashier", "supervisor"),
    source="billing",
    evidence=_("The community's arrears of the month"),
)
def collection_rate(ctx: MonthContext) -> dict[int, Outcome]:
    """The community's current collection rate of the month ÷ billing.target_collection_rate."""
    entries = LedgerEntry.objects.filter(community=ctx.community, period=ctx.start)
    billed, collected = collection(entries).get(None, (ZERO, ZERO))
    target = Decimal(policy(ctx.community, "billing.target_collection_rate"))
    link = Evidence(
        gettext("Arrears of %(month)s") % {"month": f"{ctx.start:%Y-%m}"},
        reverse("billing:overview"),
    )
    return {
        employee: rate_outcome(billed, collected, target, link)
        for employee in ctx.with_role("cashier", "supervisor")
    }


def _sessions(ctx: MonthContext) -> Any:
    return CashierSession.objects.filter(
        community=ctx.community,
        cashier__in=ctx.with_role("cashier"),
        business_day__gte=ctx.start,
        business_day__lte=ctx.end,
    ).order_by("business_day", "pk")


@measure(
    "daily_report_on_time",
    label=_("Daily report on time"),
    roles=("cashier",),
    source="cashier",
    evidence=_("The cashier days counted late or not at all"),
)
def daily_report_on_time(ctx: MonthContext) -> dict[int, Outcome]:
    """Days counted by the end of appraisal.daily_report_days after the day ÷ days."""
    days = policy(ctx.community, "appraisal.daily_report_days")
    outcomes: dict[int, Outcome] = {}
    rows = _sessions(ctx).values_list("cashier_id", "pk", "business_day", "counted_at")
    for employee, pk, day, counted in rows:
        outcome = outcomes.setdefault(employee, Outcome())
        outcome.denominator += 1
        if counted is not None and counted < midnight(day + dt.timedelta(days=days + 1)):
            outcome.numerator += 1
        elif len(outcome.evidence) < 30:
            label = gettext("%(day)s counted late or not at all") % {"day": f"{day:%Y-%m-%d}"}
            outcome.evidence.append(Evidence(label, reverse("cashier:session-detail", args=[pk])))
    for outcome in outcomes.values():
        outcome.achievement = rate(outcome.numerator, outcome.denominator)
        outcome.formula = gettext("%(ok)s of %(n)s days reported on time") % {
            "ok": outcome.numerator,
            "n": outcome.denominator,
        }
    return outcomes


@measure(
    "cash_accuracy",
    label=_("Cash accuracy"),
    roles=("cashier",),
    source="cashier",
    evidence=_("The days with cash over or short"),
)
def cash_accuracy(ctx: MonthContext) -> dict[int, Outcome]:
    """Counted days without over or short ÷ counted days."""
    outcomes: dict[int, Outcome] = {}
    rows = _sessions(ctx).filter(over_short__isnull=False)
    for employee, pk, day, over_short in rows.values_list(
        "cashier_id", "pk", "business_day", "over_short"
    ):
        outcome = outcomes.setdefault(employee, Outcome())
        outcome.denominator += 1
        if over_short == 0:
            outcome.numerator += 1
        elif len(outcome.evidence) < 30:
            label = gettext("%(day)s: %(amount)s yuan over (+) or short (−)") % {
                "day": f"{day:%Y-%m-%d}",
                "amount": f"{over_short:+,.2f}",
            }
            outcome.evidence.append(Evidence(label, reverse("cashier:session-detail", args=[pk])))
    for outcome in outcomes.values():
        outcome.achievement = rate(outcome.numerator, outcome.denominator)
        outcome.formula = gettext("%(ok)s of %(n)s days exact") % {
            "ok": outcome.numerator,
            "n": outcome.denominator,
        }
    return outcomes


@measure(
    "receipt_voids",
    label=_("Receipts without voids"),
    roles=("cashier",),
    source="cashier",
    evidence=_("The receipts voided this month, with their reason"),
)
def receipt_voids(ctx: MonthContext) -> dict[int, Outcome]:
    """appraisal.void_deduction points off per receipt the cashier issued and voided."""
    per_void = Decimal(policy(ctx.community, "appraisal.void_deduction"))
    receipts = Receipt.objects.filter(
        community=ctx.community,
        payment__created_by__in=ctx.with_role("cashier"),
        created_at__gte=ctx.start_at,
        created_at__lt=ctx.end_at,
    )
    issued = dict(
        receipts.values_list("payment__created_by").annotate(total=Count("pk")).order_by()
    )
    evidence: dict[int, list[Evidence]] = {}
    voided: dict[int, int] = {}
    rows = receipts.filter(status=ReceiptStatus.VOID).values_list(
        "payment__created_by", "pk", "number", "void_reason"
    )
    for employee, pk, number, reason in rows.order_by("created_at", "pk"):
        voided[employee] = voided.get(employee, 0) + 1
        label = f"{number}: {reason}" if reason else str(number)
        keep(evidence, employee, Evidence(label, reverse("cashier:receipt-detail", args=[pk])))
    return {
        employee: Outcome(
            numerator=total - voided.get(employee, 0),
            denominator=total,
            deduction=per_void * voided.get(employee, 0),
            formula=gettext("%(voids)s of %(n)s receipts voided")
            % {"voids": voided.get(employee, 0), "n": total},
            evidence=evidence.get(employee, []),
        )
        for employee, total in issued.items()
    }
