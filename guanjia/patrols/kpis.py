"""The §12 KPIs per zone and area manager (spec §27): completion rate (done ÷ planned),
findings per patrol, finding closure rate and average days to close, and the share of defects
found by patrol vs reported by residents. Raw numerators and denominators are kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Q

from guanjia.core.models import Community

from .models import Finding, FindingStatus, Patrol, PatrolStatus


@dataclass
class KpiRow:
    key: int | None
    label: str
    planned: int = 0
    done: int = 0
    missed: int = 0
    findings: int = 0
    closed: int = 0
    days_to_close: Decimal | None = None
    residents: int = 0  # repairs of the zone reported by residents in the period

    @property
    def completion(self) -> Decimal | None:
        return _ratio(self.done, self.planned)

    @property
    def per_patrol(self) -> Decimal | None:
        return _ratio(self.findings, self.done, places=2)

    @property
    def closure(self) -> Decimal | None:
        return _ratio(self.closed, self.findings)

    @property
    def proactive(self) -> Decimal | None:
        return _ratio(self.findings, self.findings + self.residents)


def _ratio(num: int, den: int, places: int = 3) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) / Decimal(den)).quantize(Decimal(1).scaleb(-places))


def patrol_kpis(
    community: Community, start: dt.date, end: dt.date, *, by: str = "zone"
) -> list[KpiRow]:
    """One row per zone (by="zone") or per patroller (by="patroller"), then the total."""
    field = "zone_id" if by == "zone" else "patroller_id"
    label_field = "zone__name" if by == "zone" else "patroller__username"
    patrols = (
        Patrol.objects.filter(community=community, day__gte=start, day__lte=end)
        .exclude(status__in=[PatrolStatus.PLANNED, PatrolStatus.IN_PROGRESS], day__gte=end)
        .values(field, label_field)
        .order_by(label_field)
        .annotate(
            planned=Count("pk"),
            done=Count("pk", filter=Q(status=PatrolStatus.DONE)),
            missed=Count("pk", filter=Q(status=PatrolStatus.MISSED)),
        )
    )
    rows: dict[int | None, KpiRow] = {
        p[field]: KpiRow(p[field], p[label_field] or "—", p["planned"], p["done"], p["missed"])
        for p in patrols
    }
    f_field = "zone_id" if by == "zone" else "patrol__patroller_id"
    f_label = "zone__name" if by == "zone" else "patrol__patroller__username"
    findings = (
        Finding.objects.filter(community=community, found_on__gte=start, found_on__lte=end)
        .values(f_field, f_label)
        .order_by()
        .annotate(
            n=Count("pk"),
            closed=Count("pk", filter=Q(status=FindingStatus.CLOSED)),
            days=Avg(F("closed_on") - F("found_on"), filter=Q(status=FindingStatus.CLOSED)),
        )
    )
    for f in findings:
        row = rows.setdefault(f[f_field], KpiRow(f[f_field], f[f_label] or "—"))
        row.findings, row.closed = f["n"], f["closed"]
        row.days_to_close = _days(f["days"])
    if by == "zone":
        for zone_id, count in _resident_repairs(community, start, end).items():
            rows.setdefault(zone_id, KpiRow(zone_id, "—")).residents = count
    total = KpiRow(None, "")
    weighted = Decimal(0)
    for row in rows.values():
        total.planned += row.planned
        total.done += row.done
        total.missed += row.missed
        total.findings += row.findings
        total.closed += row.closed
        total.residents += row.residents
        if row.days_to_close is not None:
            weighted += row.days_to_close * row.closed
    if total.closed:
        total.days_to_close = (weighted / total.closed).quantize(Decimal("0.1"))
    return [*rows.values(), total]


def _days(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return Decimal(value.total_seconds() / 86400).quantize(Decimal("0.1"))
    return Decimal(str(value)).quantize(Decimal("0.1"))  # SQLite: a number of days


def _resident_repairs(community: Community, start: dt.date, end: dt.date) -> dict[int, int]:
    """Repairs reported by residents (not found on patrol) per zone of their unit."""
    from guanjia.tickets.models import Channel, RepairOrder

    rows = (
        RepairOrder.objects.filter(
            community=community,
            registered_at__date__gte=start,
            registered_at__date__lte=end,
            unit__isnull=False,
        )
        .exclude(request__channel=Channel.PATROL)
        .values("unit__building__zone_id")
        .order_by()
        .annotate(n=Count("pk"))
    )
    return {r["unit__building__zone_id"]: r["n"] for r in rows}
