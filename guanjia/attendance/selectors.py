"""Reads of attendance: the roster grid, a month's findings and summary per employee (the
interface the conduct app proposes penalties from), the KPIs, who sees whose attendance."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from guanjia.core.access import User, communities_with_perm, has_perm_in
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

from .models import (
    FINDINGS,
    AttendanceDay,
    DayResult,
    Leave,
    LeaveKind,
    LeaveStatus,
    RosterEntry,
    attendance_reference,
)

ALL = "attendance.view_all_attendance"
R = DayResult


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def may_see(viewer: User, employee_id: int, community: Community | int) -> bool:
    """An employee sees their own attendance; HR, the supervisor and the director everyone's
    in their community."""
    return viewer.pk == employee_id or has_perm_in(viewer, ALL, community)


def visible_days(viewer: User) -> QuerySet[AttendanceDay]:
    """The attendance rows `viewer` may read: everyone's where they hold the permission, and
    their own."""
    from django.db.models import Q

    rows: QuerySet[AttendanceDay] = AttendanceDay.objects.visible_to(viewer)
    return rows.filter(
        Q(community_id__in=communities_with_perm(viewer, ALL)) | Q(employee_id=viewer.pk)
    )


@dataclass(frozen=True)
class DayFinding:
    """One computed late, early leave, absence or missing punch of one employee's day."""

    reference: str  # stable: "att:<employee id>:<YYYY-MM-DD>", kept through recomputation
    employee_id: int
    day: dt.date
    result: str
    late_minutes: int
    early_minutes: int
    absent_days: Decimal  # 0, 0.5 or 1


@dataclass
class EmployeeMonth:
    """One employee's month: the findings and the summary (spec §22 KPIs)."""

    employee_id: int
    name: str
    scheduled_days: int = 0
    present_days: Decimal = Decimal(0)
    lates: int = 0
    early_leaves: int = 0
    missing_punches: int = 0
    absent_days: Decimal = Decimal(0)  # from absences, half and whole days
    absences_from_lates: int = 0  # lates and early leaves // att.lates_per_absence
    leave_days: dict[str, int] = field(default_factory=dict)  # by LeaveKind
    findings: list[DayFinding] = field(default_factory=list)

    @property
    def total_absent_days(self) -> Decimal:
        return self.absent_days + self.absences_from_lates

    @property
    def full_attendance(self) -> bool:
        """Every rostered day worked as planned: no late, early leave, absence, missing punch
        or leave (a business trip counts as worked)."""
        leave = sum(days for kind, days in self.leave_days.items() if kind != LeaveKind.BUSINESS)
        return self.scheduled_days > 0 and not self.findings and leave == 0

    @property
    def attendance_rate(self) -> Decimal | None:
        if not self.scheduled_days:
            return None
        return (self.present_days / self.scheduled_days).quantize(Decimal("0.0001"))


def attendance_findings(community: Community, month: dt.date) -> list[EmployeeMonth]:
    """Per employee rostered in `community` in `month`: the month's summary and the findings
    of each day (computed results, never penalties: the conduct app proposes from them).
    Three queries whatever the size."""
    first, last = month_bounds(month)
    per_lates = policy(community, "att.lates_per_absence")
    months: dict[int, EmployeeMonth] = {}
    rows = (
        AttendanceDay.objects.filter(community=community, day__range=(first, last))
        .order_by("employee_id", "day")
        .values_list(
            "employee_id",
            "day",
            "result",
            "late_minutes",
            "early_minutes",
            "absent_halves",
            "leave_kind",
            "employee__full_name",
            "employee__username",
        )
    )
    for employee_id, day, result, late, early, halves, leave_kind, full, username in rows:
        summary = months.get(employee_id)
        if summary is None:
            summary = months[employee_id] = EmployeeMonth(employee_id, full or username)
        summary.scheduled_days += 1
        absent = Decimal(halves) / 2
        if result == R.LEAVE:
            summary.leave_days[leave_kind] = summary.leave_days.get(leave_kind, 0) + 1
            if leave_kind == LeaveKind.BUSINESS:
                summary.present_days += 1
            continue
        summary.present_days += 1 - absent
        summary.absent_days += absent
        if late and result in (R.LATE, R.LATE_EARLY):
            summary.lates += 1
        if early and result in (R.EARLY, R.LATE_EARLY):
            summary.early_leaves += 1
        if result == R.MISSING:
            summary.missing_punches += 1
        if result in FINDINGS:
            summary.findings.append(
                DayFinding(
                    attendance_reference(employee_id, day),
                    employee_id,
                    day,
                    result,
                    late,
                    early,
                    absent,
                )
            )
    for summary in months.values():
        summary.absences_from_lates = (summary.lates + summary.early_leaves) // per_lates
    return sorted(months.values(), key=lambda m: m.name)


def finding(reference: str) -> AttendanceDay | None:
    """The attendance row a reference names (None once the day is no longer rostered)."""
    try:
        _prefix, employee_id, day = reference.split(":")
        return AttendanceDay.objects.filter(
            employee_id=int(employee_id), day=dt.date.fromisoformat(day)
        ).first()
    except ValueError:
        return None


@dataclass
class Kpis:
    scheduled: int
    present: Decimal
    rate: Decimal | None
    lates: int
    absent_days: Decimal
    leave_by_kind: list[tuple[str, int]]
    full_attendance: list[str]
    people: int


def kpis(community: Community, month: dt.date) -> Kpis:
    """Spec §27: attendance rate (days present ÷ scheduled), lates, absence days, leave days
    by type, full-attendance staff (raw numerators and denominators kept)."""
    months = attendance_findings(community, month)
    scheduled = sum(m.scheduled_days for m in months)
    present = sum((m.present_days for m in months), Decimal(0))
    by_kind: dict[str, int] = defaultdict(int)
    for m in months:
        for kind, days in m.leave_days.items():
            by_kind[kind] += days
    labels = dict(LeaveKind.choices)
    return Kpis(
        scheduled=scheduled,
        present=present,
        rate=(present / scheduled).quantize(Decimal("0.0001")) if scheduled else None,
        lates=sum(m.lates for m in months),
        absent_days=sum((m.total_absent_days for m in months), Decimal(0)),
        leave_by_kind=[(str(labels[k]), by_kind.get(k, 0)) for k in LeaveKind.values],
        full_attendance=[m.name for m in months if m.full_attendance],
        people=len(months),
    )


@dataclass
class RosterGrid:
    days: list[dt.date]
    rows: list[tuple[str, list[list[RosterEntry]]]]  # (shift label, entries per day)


def roster_grid(community: Community, post_id: int, first: dt.date, last: dt.date) -> RosterGrid:
    """A post's roster as a grid: a row per shift, a column per day (for the page and print)."""
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    index = {day: n for n, day in enumerate(days)}
    entries = (
        RosterEntry.objects.filter(community=community, post_id=post_id, day__range=(first, last))
        .select_related("shift", "employee")
        .order_by("shift__starts", "day", "employee__full_name")
    )
    by_shift: dict[int, tuple[str, list[list[RosterEntry]]]] = {}
    for entry in entries:
        label = str(entry.shift)
        row = by_shift.setdefault(entry.shift_id, (label, [[] for _day in days]))
        row[1][index[entry.day]].append(entry)
    return RosterGrid(days=days, rows=list(by_shift.values()))


def employee_overview(employee_id: int, community: Community, month: dt.date) -> dict[str, Any]:
    """One employee's month: roster, attendance days, leave."""
    first, last = month_bounds(month)
    return {
        "employee": get_user_model().objects.filter(pk=employee_id).first(),
        "roster": list(
            RosterEntry.objects.filter(
                community=community, employee_id=employee_id, day__range=(first, last)
            ).select_related("post", "shift")
        ),
        "days": list(
            AttendanceDay.objects.filter(
                community=community, employee_id=employee_id, day__range=(first, last)
            ).select_related("post")
        ),
        "leave": list(
            Leave.objects.filter(
                community=community,
                employee_id=employee_id,
                starts_on__lte=last,
                ends_on__gte=first,
            ).exclude(status=LeaveStatus.DRAFT)
        ),
    }
