"""Reads of the move-in app that span rows: a batch's counts, the counter's queue of the day,
and the report (delivery progress per batch and building; defect rectification rate, on-time
rate and average days to fix, spec §09 and §27), each in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from guanjia.core.models import Community

from .models import (
    STEPS,
    Defect,
    DefectStatus,
    Delivery,
    DeliveryBatch,
    DeliveryStatus,
)

D = DeliveryStatus
CLOSED = (DefectStatus.SIGNED_OFF, DefectStatus.WARRANTY)


def batch_counts(batch: DeliveryBatch) -> dict[str, int]:
    rows = Delivery.objects.filter(batch=batch).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(D.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[s] for s in D.values)
    return counts


def counter_queue(community: Community, today: dt.date) -> list[dict[str, Any]]:
    """The buyers of the batches whose counter is open today, by the step each is at (one
    column a step, then those done today)."""
    rows = (
        Delivery.objects.filter(
            community=community,
            batch__counter_from__lte=today,
            batch__counter_to__gte=today,
        )
        .filter(Q(status__in=(D.NOTIFIED, D.REFUSED)) | Q(keys_at__date=today))
        .select_related("unit")
        .order_by("unit__sort_key")[:1000]
    )
    columns: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in rows:
        columns[delivery.next_step or "done"].append(delivery)
    out = [
        {"code": code, "label": label, "rows": columns.get(code, [])} for code, label, _n in STEPS
    ]
    from django.utils.translation import gettext as _

    out.append({"code": "done", "label": _("Done"), "rows": columns.get("done", [])})
    return out


def _ratio(num: int, den: int) -> float | None:
    return round(100 * num / den, 1) if den else None


def report(community: Community, today: dt.date) -> dict[str, Any]:
    """Delivery progress per batch and per building; the defect KPIs with their numerators
    and denominators (spec §27: store raw figures)."""
    by_batch: dict[int, Counter[str]] = defaultdict(Counter)
    by_building: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[int, str] = {}
    rows = (
        Delivery.objects.filter(community=community)
        .values("batch_id", "batch__name", "unit__building__number", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        names[row["batch_id"]] = row["batch__name"]
        by_batch[row["batch_id"]][row["status"]] += row["n"]
        by_building[row["unit__building__number"]][row["status"]] += row["n"]
    statuses = list(D.values)
    batches = [
        {"name": names[pk], "counts": [c[s] for s in statuses], "total": sum(c.values())}
        for pk, c in sorted(by_batch.items())
    ]
    buildings = [
        {"name": name, "counts": [c[s] for s in statuses], "total": sum(c.values())}
        for name, c in sorted(by_building.items())
    ]
    defects = list(
        Defect.objects.filter(community=community).values(
            "status", "deadline", "created_at", "closed_at"
        )
    )
    recorded = len(defects)
    closed = [d for d in defects if d["status"] in CLOSED and d["closed_at"] is not None]
    on_time = [d for d in closed if timezone.localtime(d["closed_at"]).date() <= d["deadline"]]
    days = [
        (d["closed_at"] - d["created_at"]).total_seconds() / 86400
        for d in closed
        if d["closed_at"] is not None
    ]
    overdue = sum(1 for d in defects if d["status"] == DefectStatus.OPEN and d["deadline"] < today)
    return {
        "statuses": [D(s).label for s in statuses],
        "status_codes": statuses,
        "batches": batches,
        "buildings": buildings,
        "defects_recorded": recorded,
        "defects_closed": len(closed),
        "defects_on_time": len(on_time),
        "defects_overdue": overdue,
        "rectification_rate": _ratio(len(closed), recorded),
        "on_time_rate": _ratio(len(on_time), len(closed)),
        "avg_days": round(sum(days) / len(days), 1) if days else None,
    }
