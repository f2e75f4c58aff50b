"""The figures of the monthly summary (spec §02: complaints, repairs, collection, visits,
patrols and the plan's completion), read from the other apps' selectors and models. Stored on
the summary as JSON-able numbers, so a summary keeps the figures it was sent with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from guanjia.billing.models import Bucket, LedgerEntry
from guanjia.core.models import Community
from guanjia.patrols.models import Patrol, PatrolStatus
from guanjia.tickets.selectors import complaint_kpis, repair_kpis
from guanjia.visits.selectors import visit_kpis

from .completion import plan_completion
from .dues import month_end


def _ratio(numerator: int, denominator: int) -> dict[str, Any]:
    rate = (
        None
        if not denominator
        else str((Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1")))
    )
    return {"numerator": numerator, "denominator": denominator, "rate": rate}


def _complaints(community: Community, start: dt.date, end: dt.date) -> dict[str, Any]:
    row = complaint_kpis(community=community, start=start, end=end)[0]
    return {
        "received": row.received,
        "handling": _ratio(row.handling.numerator, row.handling.denominator),
        "on_time": _ratio(row.on_time.numerator, row.on_time.denominator),
    }


def _repairs(community: Community, start: dt.date, end: dt.date) -> dict[str, Any]:
    row = repair_kpis(community=community, start=start, end=end)[0]
    return {
        "received": row.received,
        "completion": _ratio(row.completion.numerator, row.completion.denominator),
        "on_time": _ratio(row.completion_on_time.numerator, row.completion_on_time.denominator),
    }


def _collection(community: Community, start: dt.date) -> dict[str, Any]:
    """Billed in the month (charges, late fees, discounts of its period) and paid in it."""
    sums = LedgerEntry.objects.filter(community=community, period=start).aggregate(
        billed=Sum("amount", filter=Q(bucket=Bucket.BILLED)),
        paid=Sum("amount", filter=Q(bucket=Bucket.PAID)),
    )
    billed = Decimal(sums["billed"] or 0)
    paid = -Decimal(sums["paid"] or 0)
    rate = None if billed <= 0 else str((paid * 100 / billed).quantize(Decimal("0.1")))
    return {"billed": f"{billed:.2f}", "collected": f"{paid:.2f}", "rate": rate}


def _visits(community: Community, start: dt.date, end: dt.date) -> dict[str, Any]:
    rows = {row.kind: row for row in visit_kpis(community=community, start=start, end=end)}
    out: dict[str, Any] = {}
    for kind in ("complaint", "repair", "total"):
        row = rows[kind]
        out[kind] = {
            "visits": _ratio(row.completed, row.required),
            "satisfied": _ratio(row.satisfied + row.fairly, row.answered),
        }
    return out


def _patrols(community: Community, start: dt.date, end: dt.date) -> dict[str, Any]:
    row = Patrol.objects.filter(community=community, day__gte=start, day__lte=end).aggregate(
        planned=Count("pk"), done=Count("pk", filter=Q(status=PatrolStatus.DONE))
    )
    return _ratio(int(row["done"]), int(row["planned"]))


def month_figures(community: Community, month: dt.date) -> dict[str, Any]:
    """Every figure of the month starting `month` (its first day)."""
    start, end = month.replace(day=1), month_end(month)
    done, planned = plan_completion(community, start, end)
    return {
        "month": f"{start:%Y-%m}",
        "complaints": _complaints(community, start, end),
        "repairs": _repairs(community, start, end),
        "collection": _collection(community, start),
        "visits": _visits(community, start, end),
        "patrols": _patrols(community, start, end),
        "plan": _ratio(done, planned),
    }
