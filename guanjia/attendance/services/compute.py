"""Attendance computed from the roster, the punches, the approved leave and the calendar
(spec §22). One pass over a range reads each table once (never a query per day or person),
then writes only the rows that changed; recomputing one person's day reads a few rows."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from guanjia.core.access import staff_holding
from guanjia.core.calendars.selectors import calendar_days
from guanjia.core.models import Community
from guanjia.core.notifications.services import notify
from guanjia.core.policies.selectors import policy

from ..models import AttendanceDay, DayResult, Leave, LeaveStatus, Punch, RosterEntry
from ._common import CORRECT

# Punches this long before a shift starts or after it ends still belong to it.
PUNCH_SLACK = dt.timedelta(hours=4)
R = DayResult


@dataclass(frozen=True)
class Rules:
    threshold: int
    half_after: int
    full_after: int

    @classmethod
    def of(cls, community: Community) -> Rules:
        return cls(
            policy(community, "att.late_threshold_min"),
            policy(community, "att.half_absent_after_min"),
            policy(community, "att.full_absent_after_min"),
        )

    def grade(self, minutes: int) -> int:
        """Half days of absence for being `minutes` late (or early): within the threshold a
        late, beyond it half a day after `half_after`, a whole day after `full_after`."""
        if minutes <= self.threshold:
            return 0
        if minutes > self.full_after:
            return 2
        return 1 if minutes > self.half_after else 0


def _minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def judge(
    rules: Rules, start: dt.datetime, end: dt.datetime, punches: list[dt.datetime]
) -> dict[str, Any]:
    """The result of one rostered day from its punches (sorted, within the shift's slack)."""
    if not punches:
        return {"result": R.ABSENT, "absent_halves": 2, "first_in": None, "last_out": None}
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    if len(punches) == 1:
        only = punches[0]
        near_start = abs(only - start) <= abs(only - end)
        first_in, last_out = (only, None) if near_start else (None, only)
    else:
        first_in, last_out = punches[0], punches[-1]
    late = _minutes(first_in - start) if first_in else 0
    early = _minutes(end - last_out) if last_out else 0
    halves = max(rules.grade(late), rules.grade(early))
    missing = first_in is None or last_out is None
    if halves == 2:
        result = R.ABSENT
    elif missing:
        result, halves = R.MISSING, max(halves, 1)
    elif halves == 1:
        result = R.HALF_ABSENT
    elif late and early:
        result = R.LATE_EARLY
    elif late:
        result = R.LATE
    elif early:
        result = R.EARLY
    else:
        result = R.PRESENT
    return {
        "result": result,
        "absent_halves": halves,
        "first_in": first_in,
        "last_out": last_out,
        "late_minutes": late,
        "early_minutes": early,
    }


FIELDS = (
    "post_id",
    "starts_at",
    "ends_at",
    "first_in",
    "last_out",
    "result",
    "late_minutes",
    "early_minutes",
    "absent_halves",
    "leave_kind",
    "is_working_day",
)


def compute(
    community: Community,
    first: dt.date,
    last: dt.date,
    *,
    employee_ids: Iterable[int] | None = None,
) -> int:
    """Compute every rostered day from `first` to `last` (of the given people, or everyone's);
    returns the rows written. Rows of days no longer rostered are removed."""
    people = list(employee_ids) if employee_ids is not None else None
    rules = Rules.of(community)
    tz = timezone.get_current_timezone()

    def mine(qs: Any) -> Any:
        return qs.filter(employee_id__in=people) if people is not None else qs

    shifts: dict[tuple[int, dt.date], tuple[dt.datetime, dt.datetime, int]] = {}
    entries = mine(RosterEntry.objects.filter(community=community, day__range=(first, last)))
    for employee_id, day, post_id, starts, ends in entries.values_list(
        "employee_id", "day", "post_id", "shift__starts", "shift__ends"
    ):
        start = dt.datetime.combine(day, starts, tzinfo=tz)
        end = dt.datetime.combine(day, ends, tzinfo=tz)
        if end <= start:
            end += dt.timedelta(days=1)
        known = shifts.get((employee_id, day))
        if known is not None:  # two shifts a day: from the first's start to the last's end
            start, end = min(start, known[0]), max(end, known[1])
            post_id = known[2] if known[0] <= start else post_id
        shifts[(employee_id, day)] = (start, end, post_id)

    low = dt.datetime.combine(first, dt.time(), tzinfo=tz) - PUNCH_SLACK
    high = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), tzinfo=tz) + PUNCH_SLACK
    punches: dict[int, list[dt.datetime]] = defaultdict(list)
    for employee_id, at in (
        mine(Punch.objects.filter(community=community, at__range=(low, high)))
        .values_list("employee_id", "at")
        .order_by("employee_id", "at")
    ):
        punches[employee_id].append(at)

    leave: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for employee_id, starts_on, ends_on, kind in mine(
        Leave.objects.filter(
            community=community,
            status=LeaveStatus.APPROVED,
            starts_on__lte=last,
            ends_on__gte=first,
        )
    ).values_list("employee_id", "starts_on", "ends_on", "kind"):
        leave[employee_id].append((starts_on, ends_on, kind))

    working = {day.date: day.is_working for day in calendar_days(community, first, last)}

    computed: dict[tuple[int, dt.date], dict[str, Any]] = {}
    for (employee_id, day), (start, end, post_id) in shifts.items():
        row: dict[str, Any] = {
            "post_id": post_id,
            "starts_at": start,
            "ends_at": end,
            "late_minutes": 0,
            "early_minutes": 0,
            "leave_kind": "",
            "is_working_day": working.get(day, True),
        }
        on_leave = next((k for s, e, k in leave.get(employee_id, ()) if s <= day <= e), None)
        if on_leave is not None:
            row.update(result=R.LEAVE, absent_halves=0, first_in=None, last_out=None)
            row["leave_kind"] = on_leave
        else:
            times = punches.get(employee_id, [])
            lo = bisect.bisect_left(times, start - PUNCH_SLACK)
            hi = bisect.bisect_right(times, end + PUNCH_SLACK)
            row.update(judge(rules, start, end, times[lo:hi]))
        computed[(employee_id, day)] = row
    return _write(community, first, last, people, computed)


def _write(
    community: Community,
    first: dt.date,
    last: dt.date,
    people: list[int] | None,
    computed: dict[tuple[int, dt.date], dict[str, Any]],
) -> int:
    with transaction.atomic():
        rows = AttendanceDay.objects.filter(community=community, day__range=(first, last))
        if people is not None:
            rows = rows.filter(employee_id__in=people)
        stale: list[int] = []
        changed: list[AttendanceDay] = []
        for row in rows.only("pk", "employee_id", "day", *FIELDS):
            values = computed.pop((row.employee_id, row.day), None)
            if values is None:
                stale.append(row.pk)
                continue
            if any(getattr(row, name) != values[name] for name in FIELDS):
                for name in FIELDS:
                    setattr(row, name, values[name])
                changed.append(row)
        if stale:
            AttendanceDay.objects.filter(pk__in=stale).delete()
        if changed:
            AttendanceDay.objects.bulk_update(changed, [*FIELDS, "computed_at"], batch_size=1000)
        AttendanceDay.objects.bulk_create(
            [
                AttendanceDay(community=community, employee_id=employee_id, day=day, **values)
                for (employee_id, day), values in computed.items()
            ],
            batch_size=1000,
        )
        written = len(changed) + len(computed)
        _flag_absences(community, first, last, people)
    return written


def _flag_absences(
    community: Community, first: dt.date, last: dt.date, people: list[int] | None
) -> None:
    """`att.absent_days_dismiss` rostered days absent in a row: the day that completes the run
    is flagged and company HR is told once (spec §22: treated as resignation, by a person)."""
    run_length = policy(community, "att.absent_days_dismiss")
    rows = AttendanceDay.objects.filter(
        community=community, day__range=(first - dt.timedelta(days=run_length * 3), last)
    )
    if people is not None:
        rows = rows.filter(employee_id__in=people)
    runs: dict[int, int] = defaultdict(int)
    to_flag: list[AttendanceDay] = []
    for row in rows.only("pk", "employee_id", "day", "result", "flagged_to_hr").order_by(
        "employee_id", "day"
    ):
        runs[row.employee_id] = runs[row.employee_id] + 1 if row.result == R.ABSENT else 0
        if runs[row.employee_id] == run_length and not row.flagged_to_hr and row.day >= first:
            row.flagged_to_hr = True
            to_flag.append(row)
    if not to_flag:
        return
    AttendanceDay.objects.bulk_update(to_flag, ["flagged_to_hr"])
    hr = list(staff_holding([CORRECT], company_id=community.company_id, community_id=community.pk))
    from django.contrib.auth import get_user_model

    names = dict(
        get_user_model()
        .objects.filter(pk__in=[row.employee_id for row in to_flag])
        .values_list("pk", "full_name")
    )
    for row in to_flag:
        for person in hr:
            notify(
                person,
                "attendance.absent_in_a_row",
                {
                    "employee": names.get(row.employee_id) or str(row.employee_id),
                    "days": run_length,
                    "day": row.day.isoformat(),
                },
                community=community,
                link=f"/attendance/staff/{row.employee_id}/?month={row.day:%Y-%m}",
            )


def recompute_day(community: Community, employee_id: int, day: dt.date) -> int:
    """After a correction to one person's day (a punch, a leave, a swap): that day and the
    day before (a night shift's punches fall on the next date)."""
    return compute(community, day - dt.timedelta(days=1), day, employee_ids=[employee_id])


def compute_month_job(community_id: int, month: str) -> dict[str, int]:
    """The job that computes a month (`YYYY-MM`) of a community."""
    from ._common import month_end

    community = Community.objects.select_related("company").get(pk=community_id)
    first = dt.date.fromisoformat(f"{month}-01")
    return {"rows": compute(community, first, month_end(first))}


def compute_nightly() -> dict[str, int]:
    """Every night: yesterday and the day before (late punches and corrections) of every
    community that has a roster then."""
    today = timezone.localdate()
    first, last = today - dt.timedelta(days=2), today - dt.timedelta(days=1)
    ids = set(
        RosterEntry.objects.filter(day__range=(first, last)).values_list("community_id", flat=True)
    )
    written = 0
    for community in Community.objects.filter(pk__in=ids).select_related("company"):
        written += compute(community, first, last)
    return {"communities": len(ids), "rows": written}
