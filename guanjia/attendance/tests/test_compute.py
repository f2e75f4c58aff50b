"""Attendance computed from the roster, the punches, the leave and the calendar (spec §22)."""

import datetime as dt

import pytest

from guanjia.attendance import selectors, services
from guanjia.attendance.models import AttendanceDay, DayResult, Leave, LeaveKind, LeaveStatus
from guanjia.core.notifications.models import Notification
from guanjia.core.policies.selectors import clear_policy_cache

from .factories import at, day, punch, rostered, worker

pytestmark = pytest.mark.django_db
R = DayResult


def _day(employee, d):
    return AttendanceDay.objects.get(employee=employee, day=d)


@pytest.mark.parametrize(
    ("arrive", "leave", "result", "late", "early", "halves"),
    [
        ((7, 55), (20, 5), R.PRESENT, 0, 0, 0),
        ((8, 5), (20, 0), R.LATE, 5, 0, 0),
        ((8, 10), (20, 0), R.LATE, 10, 0, 0),  # the threshold itself is a late
        ((8, 11), (20, 0), R.HALF_ABSENT, 11, 0, 1),  # beyond: half a day (> 10 min)
        ((9, 1), (20, 0), R.ABSENT, 61, 0, 2),  # beyond an hour: a whole day
        ((8, 0), (19, 55), R.EARLY, 0, 5, 0),
        ((8, 3), (19, 57), R.LATE_EARLY, 3, 3, 0),
    ],
)
def test_late_early_and_absence_by_the_policies(world, arrive, leave, result, late, early, halves):
    person = worker(world)
    rostered(world, person, day(3))
    punch(person, at(day(3), *arrive), world.a)
    punch(person, at(day(3), *leave), world.a)
    services.compute(world.a, day(1), day(28))
    row = _day(person, day(3))
    assert (row.result, row.late_minutes, row.early_minutes, row.absent_halves) == (
        result, late, early, halves,
    )  # fmt: skip


def test_no_punch_is_an_absence_and_one_punch_a_missing_punch(world):
    person = worker(world)
    rostered(world, person, day(3), day(4))
    punch(person, at(day(4), 7, 58), world.a)
    services.compute(world.a, day(1), day(28))
    assert _day(person, day(3)).result == R.ABSENT
    row = _day(person, day(4))
    assert (row.result, row.absent_halves, row.last_out) == (R.MISSING, 1, None)


def test_approved_leave_is_leave_not_absence(world):
    person = worker(world)
    rostered(world, person, day(3))
    Leave.objects.create(
        community=world.a, employee=person, kind=LeaveKind.SICK, starts_on=day(3),
        ends_on=day(3), days=1, explanation="发烧", status=LeaveStatus.APPROVED,
    )  # fmt: skip
    services.compute(world.a, day(1), day(28))
    row = _day(person, day(3))
    assert (row.result, row.leave_kind, row.absent_halves) == (R.LEAVE, "sick", 0)


def test_thresholds_are_read_from_the_policies(world):
    from guanjia.core.policies.tests.factories import value_row

    person = worker(world)
    rostered(world, person, day(3))
    punch(person, at(day(3), 8, 12), world.a)
    punch(person, at(day(3), 20, 0), world.a)
    value_row("att.late_threshold_min", 15, company=world.company)
    value_row("att.half_absent_after_min", 30, company=world.company)
    clear_policy_cache()
    services.compute(world.a, day(1), day(28))
    row = _day(person, day(3))
    assert (row.result, row.late_minutes, row.absent_halves) == (R.LATE, 12, 0)


def test_recomputing_after_a_correction_changes_only_that_day(world):
    person = worker(world)
    rostered(world, person, day(3), day(5))
    for d in (day(3), day(4), day(5)):
        punch(person, at(d, 8), world.a)
    services.compute(world.a, day(1), day(28))
    assert _day(person, day(4)).result == R.MISSING
    before = _day(person, day(3)).computed_at
    punch(person, at(day(4), 20), world.a)
    services.recompute_day(world.a, person.pk, day(4))
    assert _day(person, day(4)).result == R.PRESENT
    assert _day(person, day(3)).computed_at == before  # unchanged rows are not written


def test_a_day_taken_off_the_roster_loses_its_row(world):
    person = worker(world)
    rostered(world, person, day(3))
    services.compute(world.a, day(1), day(28))
    AttendanceDay.objects.get(employee=person, day=day(3))
    from guanjia.attendance.models import RosterEntry

    RosterEntry.objects.filter(employee=person).delete()
    services.compute(world.a, day(1), day(28))
    assert not AttendanceDay.objects.filter(employee=person).exists()


def test_three_absences_in_a_row_are_flagged_to_hr_once(world):
    hr = world.user("hr")
    person = worker(world)
    rostered(world, person, day(3), day(6))
    services.compute(world.a, day(1), day(28))
    flagged = AttendanceDay.objects.filter(employee=person, flagged_to_hr=True)
    assert list(flagged.values_list("day", flat=True)) == [day(5)]
    assert (
        Notification.objects.filter(recipient=hr, event="attendance.absent_in_a_row").count() == 1
    )
    services.compute(world.a, day(1), day(28))
    assert (
        Notification.objects.filter(recipient=hr, event="attendance.absent_in_a_row").count() == 1
    )


def test_findings_and_monthly_summary_for_conduct(world):
    person = worker(world)
    rostered(world, person, day(2), day(6))
    for d in (day(2), day(3), day(4)):  # three lates: one absence by att.lates_per_absence
        punch(person, at(d, 8, 5), world.a)
        punch(person, at(d, 20), world.a)
    punch(person, at(day(5), 8), world.a)
    punch(person, at(day(5), 20), world.a)
    services.compute(world.a, day(1), day(28))
    (month,) = selectors.attendance_findings(world.a, day(1))
    assert (month.scheduled_days, month.lates, month.absences_from_lates) == (5, 3, 1)
    assert month.absent_days == 1  # day 6: no punch
    assert not month.full_attendance
    refs = [f.reference for f in month.findings]
    assert refs[0] == f"att:{person.pk}:{day(2).isoformat()}"
    assert selectors.finding(refs[0]).day == day(2)
    assert [f.result for f in month.findings] == ["late", "late", "late", "absent"]
    services.compute(world.a, day(1), day(28))  # recomputed: same references
    assert [f.reference for f in selectors.attendance_findings(world.a, day(1))[0].findings] == refs


def test_full_attendance(world):
    person = worker(world)
    rostered(world, person, day(2), day(3))
    for d in (day(2), day(3)):
        punch(person, at(d, 7, 50), world.a)
        punch(person, at(d, 20, 1), world.a)
    services.compute(world.a, day(1), day(28))
    (month,) = selectors.attendance_findings(world.a, day(1))
    assert month.full_attendance
    assert month.attendance_rate == 1
    kpis = selectors.kpis(world.a, day(1))
    assert kpis.full_attendance == [person.full_name]
    assert kpis.rate == 1


def test_a_night_shift_reads_the_next_mornings_punch(world):
    from guanjia.desk import services as desk

    person = worker(world)
    post, _shift = rostered(world, person, day(9))
    night = desk.add_shift(
        post=post, name="夜班", starts=dt.time(20), ends=dt.time(8), by=world.user("supervisor")
    )
    services.plan_roster(
        post=post, shift=night, employee=person, first=day(10), last=day(10),
        by=world.user("supervisor"),
    )  # fmt: skip
    punch(person, at(day(10), 19, 50), world.a)
    punch(person, at(day(11), 8, 1), world.a)
    services.compute(world.a, day(10), day(10))
    assert _day(person, day(10)).result == R.PRESENT
