"""The conduct app's reads across models: an employee's checks and records, the team board,
and the KPIs (spec §23, §27): rewards and penalties by level, person and month, net points,
spot-check failures by item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from guanjia.core.access import User
from guanjia.core.models import Community

from .models import (
    IN_FORCE,
    ConductRecord,
    RecordKind,
    Result,
    SpotCheck,
    SpotCheckItem,
    StandardItem,
)


def standards_of(community: Community) -> QuerySet[StandardItem]:
    return StandardItem.objects.filter(company_id=community.company_id).order_by(
        "kind", "position", "pk"
    )


def my_checks(user: User) -> QuerySet[SpotCheck]:
    return (
        SpotCheck.objects.filter(employee=user)
        .select_related("inspector", "community")
        .order_by("-created_at", "-pk")
    )


def my_records(user: User) -> QuerySet[ConductRecord]:
    return (
        ConductRecord.objects.filter(employee=user)
        .select_related("level", "community")
        .order_by("-event_date", "-pk")
    )


def team_board(community: Community) -> QuerySet[ConductRecord]:
    """The public records in force of the community (published to the team)."""
    return (
        ConductRecord.objects.filter(community=community, is_public=True, status__in=IN_FORCE)
        .select_related("employee", "level")
        .order_by("-effective_on", "-pk")
    )


@dataclass
class PersonRow:
    employee_id: int
    name: str
    rewards: int = 0
    penalties: int = 0
    net_points: int = 0
    amount_rewards: Decimal = Decimal(0)
    amount_penalties: Decimal = Decimal(0)
    by_month: dict[str, int] = field(default_factory=dict)  # net points by YYYY-MM


@dataclass
class ConductKpis:
    by_level: list[tuple[str, str, int]]  # (kind label, level name, count)
    people: list[PersonRow]
    failures: list[tuple[str, int, int]]  # (item, failed, checked)
    checks: int
    checks_failed: int
    months: list[str]


def conduct_kpis(*, community: Community, start: dt.date, end: dt.date) -> ConductKpis:
    """Records in force (or lapsed since) dated in the period, and the checks submitted in
    it: a fixed number of grouped queries."""
    counted = (*IN_FORCE, "expired")
    records = ConductRecord.objects.filter(
        community=community, event_date__range=(start, end), status__in=counted
    )
    kinds = dict(RecordKind.choices)
    by_level = [
        (str(kinds[row["kind"]]), row["level__name"], row["n"])
        for row in records.values("kind", "level__name", "level__position")
        .annotate(n=Count("pk"))
        .order_by("kind", "level__position")
    ]
    people: dict[int, PersonRow] = {}
    months: set[str] = set()
    grouped = (
        records.annotate(month=TruncMonth("event_date"))
        .values("employee_id", "employee__full_name", "employee__username", "kind", "month")
        .annotate(n=Count("pk"), points=Sum("points"), money=Sum("amount"))
        .order_by("employee__full_name", "employee_id")
    )
    for row in grouped:
        name = row["employee__full_name"] or row["employee__username"]
        person = people.setdefault(row["employee_id"], PersonRow(row["employee_id"], name))
        month = f"{row['month']:%Y-%m}"
        months.add(month)
        points = row["points"] or 0
        if row["kind"] == RecordKind.REWARD:
            person.rewards += row["n"]
            person.amount_rewards += row["money"] or 0
        else:
            person.penalties += row["n"]
            person.amount_penalties += row["money"] or 0
        person.net_points += points
        person.by_month[month] = person.by_month.get(month, 0) + points
    checks = SpotCheck.objects.filter(
        community=community, submitted_at__date__range=(start, end)
    ).aggregate(total=Count("pk"), failed=Count("pk", filter=Q(failures__gt=0)))
    failures = [
        (row["text"], row["failed"], row["checked"])
        for row in SpotCheckItem.objects.filter(
            check_row__community=community,
            check_row__submitted_at__date__range=(start, end),
        )
        .exclude(result="")
        .values("text")
        .annotate(failed=Count("pk", filter=Q(result=Result.FAIL)), checked=Count("pk"))
        .order_by("-failed", "text")
    ]
    return ConductKpis(
        by_level=by_level,
        people=sorted(people.values(), key=lambda p: (-p.net_points, p.name)),
        failures=failures,
        checks=checks["total"],
        checks_failed=checks["failed"],
        months=sorted(months),
    )
