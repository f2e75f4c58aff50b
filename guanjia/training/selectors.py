"""Reads of the training app: the training file of an employee, hours and results over a
period, the plan's completion, who has not passed their induction, and the KPIs (spec §21,
§27). The functions under "The interface for other apps" (docs/training.md) are stable: the
appraisal app and attendance call them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from guanjia.core.access import User
from guanjia.core.models import Community, Company
from guanjia.core.policies.selectors import policy

from .models import (
    Assessment,
    AssessmentResult,
    Induction,
    SessionStatus,
    TrainingAttendance,
    TrainingSession,
)

ZERO = Decimal("0")


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return first, after


def _sessions_in(place: Community | Company, start: dt.date, end: dt.date) -> QuerySet[Any]:
    first, after = _day_bounds(start, end)
    rows = TrainingSession.objects.filter(starts_at__gte=first, starts_at__lt=after)
    if isinstance(place, Company):
        return rows.filter(community__company=place)
    return rows.filter(community=place)


# --- The interface for other apps ------------------------------------------------------------


def training_hours(employee_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Hours of training each employee signed in to, sessions from `start` to `end` (both
    included), cancelled sessions left out; every asked id is in the answer (0 when none).
    One query."""
    ids = list(employee_ids)
    first, after = _day_bounds(start, end)
    rows = (
        TrainingAttendance.objects.filter(
            employee_id__in=ids,
            signed_at__isnull=False,
            session__starts_at__gte=first,
            session__starts_at__lt=after,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .values("employee_id")
        .annotate(hours=Sum("session__hours"))
    )
    found = {row["employee_id"]: Decimal(row["hours"] or 0) for row in rows}
    return {pk: found.get(pk, ZERO) for pk in ids}


def plan_completion(place: Community | Company, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(held, planned): sessions of a plan starting from `start` to `end` that were held, and
    all of them (a cancelled one counts as planned, not held). Spec §27: 培训计划完成率."""
    counts = (
        _sessions_in(place, start, end)
        .filter(plan__isnull=False)
        .aggregate(planned=Count("pk"), held=Count("pk", filter=Q(status=SessionStatus.HELD)))
    )
    return counts["held"], counts["planned"]


@dataclass(frozen=True)
class PassFail:
    passed: int
    failed: int
    first_attempts: int
    first_attempt_passed: int


def pass_fail_counts(
    employee_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, PassFail]:
    """Results each employee got from `start` to `end`: passes, failures (every attempt),
    and their first attempts and how many of those passed. One query."""
    ids = list(employee_ids)
    rows = (
        AssessmentResult.objects.filter(employee_id__in=ids, taken_on__gte=start, taken_on__lte=end)
        .values("employee_id")
        .annotate(
            n_passed=Count("pk", filter=Q(passed=True)),
            n_failed=Count("pk", filter=Q(passed=False)),
            n_first=Count("pk", filter=Q(attempt=1)),
            n_first_passed=Count("pk", filter=Q(attempt=1, passed=True)),
        )
    )
    found = {
        r["employee_id"]: PassFail(r["n_passed"], r["n_failed"], r["n_first"], r["n_first_passed"])
        for r in rows
    }
    return {pk: found.get(pk, PassFail(0, 0, 0, 0)) for pk in ids}


def untrained_employee_ids(place: Community | Company, day: dt.date) -> set[int]:
    """ "Train first, then work" (先培训后上岗): employees with an induction begun by `day`
    that they have not passed by then. One query."""
    rows = Induction.objects.filter(starts_on__lte=day).filter(
        Q(passed_on__isnull=True) | Q(passed_on__gt=day)
    )
    if isinstance(place, Company):
        rows = rows.filter(community__company=place)
    else:
        rows = rows.filter(community=place)
    return set(rows.values_list("employee_id", flat=True))


# --- The training file ------------------------------------------------------------------------


@dataclass
class TrainingFile:
    """One employee's training file (培训档案): sessions, hours by year, results."""

    employee: User
    year: int
    attendances: list[TrainingAttendance]
    results: list[AssessmentResult]
    hours_year: Decimal
    annual_min: int
    probation_hours: Decimal
    probation_min: int
    induction: Induction | None
    hours_by_year: list[tuple[int, Decimal]] = field(default_factory=list)

    @property
    def below_annual(self) -> bool:
        return self.hours_year < self.annual_min


def training_file(community: Community, employee: User, year: int) -> TrainingFile:
    """The file as the community sees it: sessions and results of every community of the
    company (the hours follow the person)."""
    attendances = list(
        TrainingAttendance.objects.filter(
            employee=employee, session__community__company_id=community.company_id
        )
        .select_related("session", "session__trainer", "session__community")
        .order_by("-session__starts_at")[:200]
    )
    results = list(
        AssessmentResult.objects.filter(
            employee=employee, assessment__community__company_id=community.company_id
        )
        .select_related("assessment", "recorded_by")
        .order_by("-taken_on", "-pk")[:200]
    )
    by_year: dict[int, Decimal] = {}
    for row in attendances:
        if row.signed_at and row.session.status != SessionStatus.CANCELLED:
            y = timezone.localtime(row.session.starts_at).year
            by_year[y] = by_year.get(y, ZERO) + row.session.hours
    induction = Induction.objects.filter(community=community, employee=employee).first()
    probation_hours = ZERO
    if induction is not None:
        months = policy(community, "hr.probation_months")
        until = induction.starts_on + dt.timedelta(days=months * 31)
        probation_hours = training_hours([employee.pk], induction.starts_on, until)[employee.pk]
    return TrainingFile(
        employee=employee,
        year=year,
        attendances=attendances,
        results=results,
        hours_year=by_year.get(year, ZERO),
        annual_min=policy(community, "training.annual_min_hours"),
        probation_hours=probation_hours,
        probation_min=policy(community, "training.probation_min_hours"),
        induction=induction,
        hours_by_year=sorted(by_year.items(), reverse=True),
    )


def open_tests_for(community: Community, employee: User) -> list[Assessment]:
    """Written tests of the community the employee has not passed yet (to take now)."""
    passed = AssessmentResult.objects.filter(employee=employee, passed=True).values("assessment_id")
    return list(
        Assessment.objects.filter(community=community, kind="written")
        .exclude(pk__in=passed)
        .order_by("-created_at")[:20]
    )


# --- KPIs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    done: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.done) * 100 / self.total).quantize(Decimal("0.1"))


@dataclass
class TrainingKpis:
    completion: Ratio
    attendance: Ratio
    first_pass: Ratio
    staff: int
    hours_total: Decimal
    below_minimum: int
    minimum: Decimal
    people: list[tuple[User, Decimal]]


def training_kpis(*, community: Community, start: dt.date, end: dt.date) -> TrainingKpis:
    """Spec §21/§27: plan completion (held ÷ planned), attendance (signed ÷ invited, held
    sessions), first-attempt pass rate, hours per employee against the annual minimum
    prorated to the period."""
    from .services._common import staff_of

    held, planned = plan_completion(community, start, end)
    invited = TrainingAttendance.objects.filter(
        session__in=_sessions_in(community, start, end).filter(status=SessionStatus.HELD)
    ).aggregate(
        n_invited=Count("pk", filter=Q(invited=True)),
        n_signed=Count("pk", filter=Q(invited=True, signed_at__isnull=False)),
    )
    first = AssessmentResult.objects.filter(
        assessment__community=community, taken_on__gte=start, taken_on__lte=end, attempt=1
    ).aggregate(total=Count("pk"), n_passed=Count("pk", filter=Q(passed=True)))
    people = list(staff_of(community).order_by("full_name", "pk"))
    hours = training_hours([p.pk for p in people], start, end)
    days = (end - start).days + 1
    minimum = (
        Decimal(policy(community, "training.annual_min_hours")) * days / Decimal(365)
    ).quantize(Decimal("0.1"))
    rows = [(p, hours[p.pk]) for p in people]
    return TrainingKpis(
        completion=Ratio(held, planned),
        attendance=Ratio(invited["n_signed"], invited["n_invited"]),
        first_pass=Ratio(first["n_passed"], first["total"]),
        staff=len(people),
        hours_total=sum(hours.values(), ZERO),
        below_minimum=sum(1 for _p, h in rows if h < minimum),
        minimum=minimum,
        people=rows,
    )
