"""Reads of the violations app: the unit's timeline and repeat-offender panel, the re-check
list and the KPIs of spec §11 / §27 (found by type and zone, correction rate, on-time
correction rate, reported to authorities, repeat offenders), each in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from guanjia.core.access import has_perm_in
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit
from guanjia.estates.selectors import TimelineEntry
from guanjia.tickets.selectors.kpis import Ratio

from .models import AWAITING_RECHECK, Violation, ViolationStatus

VIEW = "violations.view_violation"


def violations_for_unit(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    """The unit's violations on its timeline: found, and closed when closed."""
    rows = Violation.objects.filter(unit=unit).select_related("kind").order_by("-found_at")[:limit]
    return [
        TimelineEntry(
            at=v.found_at,
            kind="violation",
            title=f"{v.number} {v.kind.name} · {v.get_status_display()}",
            url=reverse("violations:violation-detail", args=[v.pk]),
        )
        for v in rows
    ]


def _window(community: Community, on: dt.date) -> tuple[int, dt.datetime]:
    """The repeat offender's count and the first moment of its window ending on `on`."""
    days = int(policy(community, "violation.repeat_window_days"))
    start = dt.datetime.combine(on - dt.timedelta(days=days), dt.time.min)
    return int(policy(community, "violation.repeat_count")), timezone.make_aware(start)


def unit_violations(unit: Unit, user: Any) -> dict[str, Any] | None:
    """The unit page's panel: its violations of the window, flagged as a repeat offender
    when they reach the policy's count. None (nothing shown) without any or without the
    permission."""
    if not has_perm_in(user, VIEW, unit.community_id):
        return None
    threshold, since = _window(unit.community, timezone.localdate())
    rows = list(
        Violation.objects.filter(unit=unit, found_at__gte=since)
        .select_related("kind")
        .order_by("-found_at")[:20]
    )
    if not rows:
        return None
    return {"violations": rows, "repeat": len(rows) >= threshold, "threshold": threshold}


def register_unit_flag() -> None:
    from guanjia.estates.selectors import register_unit_panel

    register_unit_panel("violations/_unit_panel.html", unit_violations)


def recheck_rows(community: Community, user: Any) -> QuerySet[Violation]:
    """Notices out, deadline first: the area manager's re-check list (own zones only for a
    zone-bound manager)."""
    from guanjia.estates.selectors import is_zone_bound, managed_zone_ids

    rows = Violation.objects.filter(community=community, status__in=AWAITING_RECHECK)
    if is_zone_bound(user, community):
        rows = rows.filter(unit__building__zone_id__in=managed_zone_ids(user, community))
    return rows.order_by("deadline", "pk")


@dataclass(frozen=True)
class ViolationKpis:
    """One row of the KPI tables (a type, a zone or the whole period)."""

    label: str
    found: int
    corrected: int
    on_time: int
    reported: int

    @property
    def correction_rate(self) -> Ratio:
        return Ratio(self.corrected, self.found)

    @property
    def on_time_rate(self) -> Ratio:
        return Ratio(self.on_time, self.corrected)


@dataclass(frozen=True)
class KpiReport:
    by_type: list[ViolationKpis]
    by_zone: list[ViolationKpis]
    total: ViolationKpis
    repeat_units: list[tuple[str, int]]


_COUNTS = {
    "found": Count("pk"),
    "corrected": Count("pk", filter=Q(status=ViolationStatus.CORRECTED)),
    "on_time": Count("pk", filter=Q(corrected_on_time=True)),
    "reported": Count("pk", filter=~Q(reported_to="")),
}


def _rows(rows: QuerySet[Violation], key: str) -> list[ViolationKpis]:
    grouped = rows.values(key).annotate(**_COUNTS).order_by(key)
    return [
        ViolationKpis(str(g[key] or "—"), g["found"], g["corrected"], g["on_time"], g["reported"])
        for g in grouped
    ]


def violation_kpis(*, community: Community, start: dt.date, end: dt.date) -> KpiReport:
    """Violations found from `start` to `end`: by type, by zone and in all; the units that
    are repeat offenders at `end` (the policy's count over its window)."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = Violation.objects.in_community(community).filter(found_at__gte=first, found_at__lt=last)
    totals = rows.aggregate(**_COUNTS)
    threshold, since = _window(community, end)
    repeat = (
        Violation.objects.in_community(community)
        .filter(found_at__gte=since, found_at__lt=last)
        .values("unit__room_code")
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold)
        .order_by("-n", "unit__room_code")
    )
    return KpiReport(
        by_type=_rows(rows, "kind__name"),
        by_zone=_rows(rows, "unit__building__zone__name"),
        total=ViolationKpis(
            "", totals["found"], totals["corrected"], totals["on_time"], totals["reported"]
        ),
        repeat_units=[(r["unit__room_code"], r["n"]) for r in repeat],
    )
