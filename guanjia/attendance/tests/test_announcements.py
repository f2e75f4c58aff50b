"""Who is told and what waits on the workbench: leave, shift swaps and missing punches reach
those who may decide them (never the employee), the decision reaches the employee, the
substitute is told when a swap names them, and a missing punch waits for its explanation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.attendance import services
from guanjia.attendance.models import AttendanceDay, DayResult
from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench

from .factories import worker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)
FIRST = TODAY + dt.timedelta(days=40)


def _told(event):
    return sorted(n.recipient.username for n in Notification.objects.filter(event=event))


def _codes(user, community):
    return {t.kind.code for t in workbench(user, community).tasks}


def _leave(world, person, days):
    return services.request_leave(
        community=world.a, kind="personal", starts_on=FIRST,
        ends_on=FIRST + dt.timedelta(days=days - 1), explanation="家中有事", by=person,
    )  # fmt: skip


def test_short_leave_reaches_the_supervisor_and_the_decision_the_employee(
    world, django_capture_on_commit_callbacks
):
    person = worker(world)
    world.user("supervisor")
    staff("supervisor", world.b, username="supervisor-b", company=world.company)
    with django_capture_on_commit_callbacks(execute=True):
        leave = _leave(world, person, 1)
    assert _told("attendance.leave_to_decide") == ["supervisor-a"]  # not community B's
    assert "attendance.leave_to_decide" in _codes(world.user("supervisor"), world.a)
    assert "attendance.leave_to_decide" not in _codes(person, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_leave(leave=leave, approve=True, by=world.user("supervisor"))
    assert _told("attendance.leave_decided") == ["w-A001"]
    assert "attendance.leave_to_decide" not in _codes(world.user("supervisor"), world.a)


def test_longer_leave_reaches_the_director_not_the_supervisor(
    world, django_capture_on_commit_callbacks
):
    person = worker(world)
    world.user("director")
    with django_capture_on_commit_callbacks(execute=True):
        _leave(world, person, 5)
    assert _told("attendance.leave_to_decide") == ["director-a"]
    assert "attendance.leave_to_decide" in _codes(world.user("director"), world.a)
    # Beyond the supervisor's authority: not on their list either.
    assert "attendance.leave_to_decide" not in _codes(world.user("supervisor"), world.a)


def test_a_swap_reaches_the_supervisor_and_the_substitute_then_both_hear_the_decision(
    world, django_capture_on_commit_callbacks
):
    from guanjia.desk.tests.factories import post_and_shift

    me, colleague = worker(world), worker(world, "李四", "A002")
    post, shift = post_and_shift(world)
    boss = world.user("supervisor")
    services.plan_roster(post=post, shift=shift, employee=colleague,
                         first=TOMORROW + dt.timedelta(days=1),
                         last=TOMORROW + dt.timedelta(days=1), by=boss)  # fmt: skip
    (entry,) = services.plan_roster(
        post=post, shift=shift, employee=me, first=TOMORROW, last=TOMORROW, by=boss
    )
    with django_capture_on_commit_callbacks(execute=True):
        swap = services.request_swap(
            entry=entry, kind="cover", substitute=colleague, explanation="家里有事", by=me
        )
    assert _told("attendance.swap_to_decide") == ["supervisor-a"]
    assert _told("attendance.swap_names_you") == ["w-A002"]
    bench = workbench(boss, world.a)
    (row,) = [t for t in bench.tasks if t.kind.code == "attendance.swap_to_decide"]
    # A date deadline passes at the end of the shift's day.
    assert timezone.localtime(row.deadline).date() == TOMORROW + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_swap(swap=swap, approve=True, by=boss)
    assert _told("attendance.swap_decided") == ["w-A001", "w-A002"]


def test_a_missing_punch_waits_for_its_explanation_then_for_the_supervisor(
    world, client, django_capture_on_commit_callbacks
):
    person = worker(world)
    world.user("supervisor")
    yesterday = TODAY - dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    starts = dt.datetime.combine(yesterday, dt.time(8), tzinfo=tz)
    AttendanceDay.objects.create(
        community=world.a, employee=person, day=yesterday, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=12), first_in=starts, result=DayResult.MISSING,
    )  # fmt: skip
    bench = workbench(person, world.a)
    (row,) = [t for t in bench.tasks if t.kind.code == "attendance.missing_to_explain"]
    assert row.link.endswith(f"?at={yesterday:%Y-%m-%d}T20:00")  # the departure is missing
    client.force_login(person)
    page = client.get(row.link)
    assert f'value="{yesterday:%Y-%m-%d}T20:00"' in page.content.decode()
    assert client.get(reverse("attendance:missing-create") + "?at=nonsense").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.request_missing_punch(
            community=world.a, at=starts + dt.timedelta(hours=12), explanation="忘记打卡",
            by=person,
        )  # fmt: skip
    assert "attendance.missing_to_explain" not in _codes(person, world.a)
    assert _told("attendance.missing_to_decide") == ["supervisor-a"]
    assert "attendance.missing_to_decide" in _codes(world.user("supervisor"), world.a)
