"""Reads of the appraisal app: the reports of spec §24 (grade distribution per team, staff
below the threshold two periods running) and the performance-pay rows for finance. Each a
fixed number of queries whatever the number of staff."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.core.roles import role_label

from .models import Grade, MonthlyScore


@dataclass
class TeamGrades:
    """One team's (a role in the community) grades of a month."""

    role: str
    counts: dict[str, int] = field(default_factory=dict)
    average: Decimal = Decimal(0)

    @property
    def label(self) -> str:
        return role_label(self.role)

    @property
    def size(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(g, 0) for g in Grade.values]


def grade_distribution(community: Community, month: dt.date) -> list[TeamGrades]:
    """Grades of the month per team, with the team's average score (one query)."""
    rows = MonthlyScore.objects.filter(community=community, month=month).values_list(
        "role", "grade", "total"
    )
    teams: dict[str, TeamGrades] = {}
    totals: dict[str, Decimal] = {}
    for role, grade, total in rows.order_by("role"):
        team = teams.setdefault(role, TeamGrades(role))
        team.counts[grade] = team.counts.get(grade, 0) + 1
        totals[role] = totals.get(role, Decimal(0)) + total
    for role, team in teams.items():
        team.average = (totals[role] / team.size).quantize(Decimal("0.1"))
    return list(teams.values())


@dataclass(frozen=True)
class BelowThreshold:
    employee_id: int
    name: str
    role: str
    previous: Decimal
    current: Decimal

    @property
    def role_label(self) -> str:
        return role_label(self.role)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def below_two_months(community: Community, month: dt.date) -> list[BelowThreshold]:
    """Staff whose score was below appraisal.below_threshold in `month` and the month before
    (spec §24: "employees below threshold two periods in a row"). One query."""
    threshold = policy(community, "appraisal.below_threshold")
    before = previous_month(month)
    rows = (
        MonthlyScore.objects.filter(
            community=community, month__in=[before, month], total__lt=threshold
        )
        .select_related("employee")
        .order_by("employee_id", "month")
    )
    seen: dict[int, dict[dt.date, Any]] = {}
    for score in rows:
        seen.setdefault(score.employee_id, {})[score.month] = score
    found = []
    for months in seen.values():
        if before in months and month in months:
            now = months[month]
            found.append(
                BelowThreshold(
                    now.employee_id, str(now.employee), now.role, months[before].total, now.total
                )
            )
    return sorted(found, key=lambda b: b.current)


def grade_counts(community: Community, month: dt.date) -> Counter[str]:
    return Counter(
        MonthlyScore.objects.filter(community=community, month=month).values_list(
            "grade", flat=True
        )
    )
