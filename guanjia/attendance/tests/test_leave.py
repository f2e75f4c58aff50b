"""Leave: type, dates, reason, certificate; approval levels by length; overlaps; the annual
allowance; nobody approves their own leave."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guanjia.attendance import services
from guanjia.attendance.models import Leave, LeaveAllowance, LeaveStatus
from guanjia.core.workflows import WorkflowDenied

from .factories import MONTH, worker

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIRST = MONTH + dt.timedelta(days=40)  # next month: open, not locked


def _code(exc):
    return next(iter(exc.value.error_dict.values()))[0].code


def _ask(world, person, days=1, kind="personal", first=FIRST, **kw):
    return services.request_leave(
        community=world.a, kind=kind, starts_on=first, ends_on=first + dt.timedelta(days=days - 1),
        explanation="家中有事", by=person, **kw,
    )  # fmt: skip


def test_short_leave_is_approved_by_the_supervisor(world):
    person = worker(world)
    leave = _ask(world, person, days=2)
    assert (leave.status, leave.days) == (LeaveStatus.REQUESTED, 2)
    services.decide_leave(leave=leave, approve=True, by=world.user("supervisor"))
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_longer_leave_needs_the_director_then_hr(world):
    person = worker(world)
    week = _ask(world, person, days=5)
    with pytest.raises(WorkflowDenied):
        services.decide_leave(leave=week, approve=True, by=world.user("supervisor"))
    services.decide_leave(leave=week, approve=True, by=world.user("director"))
    month = _ask(world, person, days=10, first=FIRST + dt.timedelta(days=10))
    with pytest.raises(WorkflowDenied):
        services.decide_leave(leave=month, approve=True, by=world.user("director"))
    services.decide_leave(leave=month, approve=True, by=world.user("hr"))
    assert Leave.objects.filter(status=LeaveStatus.APPROVED).count() == 2


def test_nobody_approves_their_own_leave(world):
    boss = world.user("supervisor")
    leave = _ask(world, boss)
    with pytest.raises(WorkflowDenied) as exc:
        services.decide_leave(leave=leave, approve=True, by=boss)
    assert exc.value.code == "own_request"
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.REQUESTED


def test_leave_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.request_leave(
            community=world.a, kind="personal", starts_on=FIRST,
            ends_on=FIRST - dt.timedelta(days=1), explanation="x", by=worker(world),
        )  # fmt: skip
    assert _code(exc) == "before_start"
    assert not Leave.objects.exists()


def test_overlapping_leave_is_refused(world):
    person = worker(world)
    _ask(world, person, days=3)
    with pytest.raises(ValidationError) as exc:
        _ask(world, person, days=2, first=FIRST + dt.timedelta(days=2))
    assert _code(exc) == "overlap"
    assert Leave.objects.count() == 1


def test_a_rejected_leave_frees_its_days(world):
    person = worker(world)
    leave = _ask(world, person)
    services.decide_leave(leave=leave, approve=False, reason="旺季", by=world.user("supervisor"))
    _ask(world, person)


def test_sick_leave_needs_a_certificate_and_a_disguised_file_is_refused(world):
    person = worker(world)
    with pytest.raises(ValidationError) as exc:
        _ask(world, person, kind="sick")
    assert _code(exc) == "certificate_required"
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        _ask(world, person, kind="sick", attachment=fake)
    good = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    leave = _ask(world, person, kind="sick", attachment=good)
    assert leave.original_name == "证明.pdf"
    assert leave.attachment.name.endswith(".pdf")


def test_annual_leave_counts_working_days_against_the_allowance(world):
    person = worker(world)
    with pytest.raises(ValidationError) as exc:
        _ask(world, person, kind="annual")
    assert _code(exc) == "over_balance"  # no allowance given
    services.set_allowance(
        community=world.a, employee=person, year=FIRST.year, days=5, by=world.user("hr")
    )
    monday = FIRST - dt.timedelta(days=FIRST.weekday()) + dt.timedelta(days=7)
    if monday.year != FIRST.year:
        pytest.skip("the week crosses the year")
    leave = _ask(world, person, kind="annual", days=7, first=monday)
    assert leave.days <= 5  # the weekend is not taken from the allowance
    assert services.annual_balance(person, monday.year) == 5 - leave.days
    with pytest.raises(ValidationError) as exc:
        _ask(world, person, kind="annual", days=7, first=monday + dt.timedelta(days=7))
    assert _code(exc) == "over_balance"


def test_only_hr_sets_the_allowance(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_allowance(community=world.a, employee=worker(world), year=2026, days=5,
                               by=world.user("supervisor"))  # fmt: skip
    assert not LeaveAllowance.objects.exists()


def test_approved_leave_recomputes_the_days(world):
    from guanjia.attendance.models import AttendanceDay

    from .factories import rostered

    person = worker(world)
    first = MONTH.replace(day=3)
    rostered(world, person, first)
    services.compute(world.a, first, first)
    assert AttendanceDay.objects.get(employee=person).result == "absent"
    leave = _ask(world, person, first=first)
    services.decide_leave(leave=leave, approve=True, by=world.user("supervisor"))
    assert AttendanceDay.objects.get(employee=person).result == "leave"
