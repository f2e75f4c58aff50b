"""Proposals generated from complaints, failed checks and the cumulative rules."""

import pytest
from django.utils import timezone

from guanjia.conduct import services
from guanjia.conduct.models import ConductRecord
from guanjia.tickets.models import Complaint
from guanjia.tickets.tests.factories import complaint

from .factories import record, submitted

pytestmark = pytest.mark.django_db


def test_substantiated_complaints_and_failed_checks_propose_once(world):
    c = complaint(world, world.a, "replied")
    Complaint.objects.filter(pk=c.pk).update(about_employee=world.user("receptionist"))
    complaint(world, world.a, "invalid")
    check = submitted(world)
    services.acknowledge_check(check=check, by=world.user("receptionist"))
    submitted(world, fail=0)
    counts = services.generate_proposals(community=world.a, by=None)
    assert counts == {"complaint": 1, "spot_check": 1, "attendance": 0, "cumulative": 0}
    by_complaint = ConductRecord.objects.get(complaint=c)
    assert by_complaint.level.code == "written_warning"
    assert by_complaint.proposed_by is None
    assert ConductRecord.objects.get(spot_check=check).level.code == "verbal_warning"
    again = services.generate_proposals(community=world.a, by=world.user("supervisor"))
    assert sum(again.values()) == 0


def test_three_written_warnings_suggest_a_demerit_never_applied_alone(world):
    warnings = [record(world, "effective") for _ in range(3)]
    counts = services.generate_proposals(community=world.a, by=None)
    assert counts["cumulative"] == 1
    suggestion = ConductRecord.objects.get(source="cumulative")
    assert suggestion.status == "proposed"
    assert suggestion.level.code == "demerit"
    assert set(suggestion.based_on.all()) == set(warnings)
    assert services.generate_proposals(community=world.a, by=None)["cumulative"] == 0
    services.drop_record(record=suggestion, by=world.user("director"), reason="已口头处理")
    assert services.generate_proposals(community=world.a, by=None)["cumulative"] == 1


def test_the_nightly_job_proposes_and_lapses(world):
    rec = record(world, "effective")
    ConductRecord.objects.filter(pk=rec.pk).update(expires_on=timezone.localdate())
    totals = services.generate_nightly()
    assert totals["expired"] == 1


def test_a_late_arrival_becomes_a_proposed_penalty_once(world):
    """Attendance computes; conduct proposes, once a day, and a person confirms (spec §22)."""
    import datetime as dt

    from guanjia.attendance.models import AttendanceDay, attendance_reference

    employee = world.user("receptionist")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(8)))

    def day(when, result, **minutes):
        AttendanceDay.objects.create(
            community=world.a,
            employee=employee,
            day=when,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=9),
            result=result,
            **minutes,
        )

    day(yesterday, "late", late_minutes=25)
    day(yesterday - dt.timedelta(days=1), "missing")  # explained, never penalised
    day(yesterday - dt.timedelta(days=2), "present")
    counts = services.generate_proposals(community=world.a, by=None)
    assert counts["attendance"] == 1
    proposed = ConductRecord.objects.get(source="attendance")
    assert (proposed.employee, proposed.status, proposed.event_date) == (
        employee,
        "proposed",
        yesterday,
    )
    assert proposed.evidence_ref == attendance_reference(employee.pk, yesterday)
    assert "25" in proposed.facts
    assert services.generate_proposals(community=world.a, by=None)["attendance"] == 0
