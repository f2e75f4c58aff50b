"""The limits of an excellent grade (spec §24): no unrevoked penalty in the period, not too
many lates, early leaves or absences, the team's quota of excellent grades and the
department's average cap. Each broken limit is one sentence of the refusal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext

from guanjia.attendance.models import AttendanceDay, DayResult
from guanjia.conduct.models import ConductRecord, RecordKind
from guanjia.conduct.models.records import IN_FORCE
from guanjia.core.policies.selectors import policy

from ..models import GRADED, Appraisal, Grade

LATE = (DayResult.LATE, DayResult.EARLY, DayResult.LATE_EARLY)


def _penalties(appraisal: Appraisal) -> list[str]:
    numbers = ConductRecord.objects.filter(
        employee=appraisal.employee_id,
        kind=RecordKind.PENALTY,
        status__in=IN_FORCE,
        effective_on__lte=appraisal.period_end,
    ).exclude(expires_on__lt=appraisal.period_start)
    found = list(numbers.values_list("number", flat=True).order_by("pk")[:5])
    if not found:
        return []
    return [gettext("a penalty in force (%(numbers)s)") % {"numbers": ", ".join(found)}]


def _attendance(appraisal: Appraisal) -> list[str]:
    counts = AttendanceDay.objects.filter(
        employee=appraisal.employee_id,
        day__gte=appraisal.period_start,
        day__lte=appraisal.period_end,
    ).aggregate(lates=Count("pk", filter=Q(result__in=LATE)), halves=Sum("absent_halves"))
    reasons = []
    most_lates = policy(appraisal.community, "appraisal.excellent_max_lates")
    if counts["lates"] > most_lates:
        reasons.append(
            gettext("%(n)s lates or early leaves (at most %(most)s)")
            % {"n": counts["lates"], "most": most_lates}
        )
    most_halves = policy(appraisal.community, "appraisal.excellent_max_absent_halves")
    if (counts["halves"] or 0) > most_halves:
        reasons.append(
            gettext("%(n)s half-days of absence (at most %(most)s)")
            % {"n": counts["halves"], "most": most_halves}
        )
    return reasons


def _peers(appraisal: Appraisal) -> Any:
    return Appraisal.objects.filter(
        community=appraisal.community_id,
        kind=appraisal.kind,
        period_start=appraisal.period_start,
    ).exclude(pk=appraisal.pk)


def _quota(appraisal: Appraisal) -> list[str]:
    team = _peers(appraisal).filter(role=appraisal.role)
    counts = team.aggregate(
        size=Count("pk"), excellent=Count("pk", filter=Q(grade=Grade.A, status__in=GRADED))
    )
    size = counts["size"] + 1
    small = size <= policy(appraisal.community, "appraisal.small_team_size")
    quota = policy(
        appraisal.community,
        "appraisal.excellent_quota_small" if small else "appraisal.excellent_quota_large",
    )
    if counts["excellent"] + 1 <= quota:
        return []
    return [
        gettext("the team of %(size)s already has %(n)s excellent grade(s) (quota %(quota)s)")
        % {"size": size, "n": counts["excellent"], "quota": quota}
    ]


def _average(appraisal: Appraisal, score: Decimal) -> list[str]:
    graded = _peers(appraisal).filter(status__in=GRADED, score__isnull=False)
    counts = graded.aggregate(n=Count("pk"), total=Sum("score"), mean=Avg("score"))
    average = ((counts["total"] or Decimal(0)) + score) / (counts["n"] + 1)
    cap = policy(appraisal.community, "appraisal.department_average_cap")
    if average <= cap:
        return []
    return [
        gettext("the department's average would be %(average)s (cap %(cap)s)")
        % {"average": f"{average:.1f}", "cap": cap}
    ]


def excellent_refusals(appraisal: Appraisal, score: Decimal) -> list[str]:
    """Why `appraisal` may not be graded excellent with `score` (empty: it may)."""
    return [
        *_penalties(appraisal),
        *_attendance(appraisal),
        *_quota(appraisal),
        *_average(appraisal, score),
    ]
