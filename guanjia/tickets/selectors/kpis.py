"""The service desk KPIs of spec §27, with their raw numerators and denominators.

Every figure is a `Ratio` (numerator, denominator) so that a report can switch definitions;
one aggregate query per table and grouping, whatever the number of tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community

from ..models import Complaint, RepairOrder, RepairStatus, RequestKind, ServiceRequest, Validity

# The groupings a KPI report offers, and the column each reads on complaints / repairs.
GROUPINGS: dict[str, tuple[Any, str | None, str | None]] = {
    "total": (_("Whole period"), None, None),
    "category": (_("Category"), "category", "category"),
    "zone": (_("Zone"), "request__unit__building__zone__name", "unit__building__zone__name"),
    "department": (_("Department"), "department", None),
    "technician": (_("Technician"), None, "technician__username"),
}


@dataclass(frozen=True)
class Ratio:
    """A rate kept as its raw counts."""

    numerator: int
    denominator: int

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / self.denominator).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ComplaintKpis:
    group: str
    received: int
    handling: Ratio  # valid resolved ÷ valid received
    on_time: Ratio  # resolved within deadline ÷ resolved
    valid: Ratio  # valid ÷ all complaints
    avg_resolve_hours: Decimal | None


@dataclass(frozen=True)
class RepairKpis:
    group: str
    received: int
    completion: Ratio  # completed ÷ received
    arrival_on_time: Ratio  # arrived in time ÷ arrived
    completion_on_time: Ratio  # completed in time ÷ completed
    rework: Ratio  # reworks of orders of the period ÷ completed
    avg_complete_hours: Decimal | None


@dataclass(frozen=True)
class DeskKpis:
    """The register's own figures for the period."""

    contacts: int
    first_contact: Ratio  # closed at first contact ÷ contacts
    repeat_complaints: Ratio  # complaint entries repeating an earlier one ÷ complaint entries


def _hours(value: dt.timedelta | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / 3600).quantize(Decimal("0.1"))


def _range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `start` to the end of `end`, local time."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, last


def _grouped(qs: QuerySet[Any], column: str | None, **aggregates: Any) -> list[dict[str, Any]]:
    if column is None:
        return [{"group": "", **qs.aggregate(**aggregates)}]
    rows = qs.values(column).annotate(**aggregates).order_by(column)
    return [{"group": row.pop(column) or "—", **row} for row in rows]


def complaint_kpis(
    *, community: Community, start: dt.date, end: dt.date, by: str = "total"
) -> list[ComplaintKpis]:
    """Complaints received in the period, grouped by `by` (see GROUPINGS)."""
    first, last = _range(start, end)
    qs = Complaint.objects.filter(
        community=community, request__received_at__gte=first, request__received_at__lt=last
    )
    valid = Q(validity=Validity.VALID)
    rows = _grouped(
        qs,
        GROUPINGS[by][1],
        n=Count("pk"),
        valid=Count("pk", filter=valid),
        valid_resolved=Count("pk", filter=valid & Q(resolved_at__isnull=False)),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        on_time=Count("pk", filter=Q(resolve_met=True)),
        avg=Avg(ExpressionWrapper(F("resolved_at") - F("request__received_at"),
                                  output_field=DurationField())),
    )  # fmt: skip
    return [
        ComplaintKpis(
            group=str(r["group"]),
            received=r["n"],
            handling=Ratio(r["valid_resolved"], r["valid"]),
            on_time=Ratio(r["on_time"], r["resolved"]),
            valid=Ratio(r["valid"], r["n"]),
            avg_resolve_hours=_hours(r["avg"]),
        )
        for r in rows
    ]


def repair_kpis(
    *, community: Community, start: dt.date, end: dt.date, by: str = "total"
) -> list[RepairKpis]:
    """Repair orders registered in the period, grouped by `by` (see GROUPINGS)."""
    first, last = _range(start, end)
    qs = RepairOrder.objects.filter(
        community=community, registered_at__gte=first, registered_at__lt=last
    ).exclude(status=RepairStatus.CANCELLED)
    done = Q(completed_at__isnull=False)
    rows = _grouped(
        qs,
        GROUPINGS[by][2],
        n=Count("pk"),
        completed=Count("pk", filter=done),
        arrived=Count("pk", filter=Q(arrived_at__isnull=False)),
        arrived_on_time=Count("pk", filter=Q(arrive_met=True)),
        completed_on_time=Count("pk", filter=Q(complete_met=True)),
        reworked=Count("pk", filter=done & Q(reworks__isnull=False), distinct=True),
        avg=Avg(ExpressionWrapper(F("completed_at") - F("registered_at"),
                                  output_field=DurationField())),
    )  # fmt: skip
    return [
        RepairKpis(
            group=str(r["group"]),
            received=r["n"],
            completion=Ratio(r["completed"], r["n"]),
            arrival_on_time=Ratio(r["arrived_on_time"], r["arrived"]),
            completion_on_time=Ratio(r["completed_on_time"], r["completed"]),
            rework=Ratio(r["reworked"], r["completed"]),
            avg_complete_hours=_hours(r["avg"]),
        )
        for r in rows
    ]


def desk_kpis(*, community: Community, start: dt.date, end: dt.date) -> DeskKpis:
    """First-contact resolution and repeat complaints of the register in the period."""
    first, last = _range(start, end)
    qs = ServiceRequest.objects.filter(
        community=community, received_at__gte=first, received_at__lt=last
    )
    complaint = Q(kind=RequestKind.COMPLAINT)
    r = qs.aggregate(
        n=Count("pk"),
        first=Count("pk", filter=Q(closed_at_first_contact=True)),
        complaints=Count("pk", filter=complaint),
        repeats=Count("pk", filter=complaint & Q(master__isnull=False)),
    )
    return DeskKpis(
        contacts=r["n"],
        first_contact=Ratio(r["first"], r["n"]),
        repeat_complaints=Ratio(r["repeats"], r["complaints"]),
    )
