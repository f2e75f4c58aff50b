"""Care tasks from the policies (spec §13 steps 3-6): planned per unit, idempotent; a storm
alert adds checks; tasks due per area manager on the workbench and in the filtered list."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.core.notifications.models import Notification
from guanjia.core.policies.services import set_policy
from guanjia.core.workbench.registry import TaskQuery
from guanjia.vacant import services
from guanjia.vacant.models import CareTask, ExitReason, TaskKind
from guanjia.vacant.workbench import TASKS

from .factories import supervisor, vacancy, zone_unit

pytestmark = pytest.mark.django_db


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_a_month_of_tasks_follows_the_policies_and_a_second_run_adds_nothing(world):
    today = timezone.localdate()
    v = vacancy(world, since=today - dt.timedelta(days=5))
    assert services.generate_tasks(community=world.a, by=supervisor(world)) == 9
    got = {
        kind: sorted((due - v.since).days for due in dues)
        for kind in TaskKind.values
        if (dues := list(CareTask.objects.filter(kind=kind).values_list("due_on", flat=True)))
    }
    # From the day it became vacant: inspect every 30 days, ventilate 7, clean 10; planned
    # 31 days ahead from today (vacant since 5 days ago: days 5 to 35 after `since`).
    assert got == {"inspect": [30], "ventilate": [7, 14, 21, 28, 35], "clean": [10, 20, 30]}
    assert services.generate_tasks(community=world.a, by=supervisor(world)) == 0
    assert CareTask.objects.count() == 9


def test_the_intervals_are_the_communitys_policies(world):
    set_policy(
        key="vacant.ventilate_days",
        value="15",
        community=world.a,
        reason="南方潮湿季节后调整",
        by=world.user("director"),
    )
    vacancy(world, since=timezone.localdate())
    services.generate_tasks(community=world.a, by=supervisor(world))
    assert CareTask.objects.filter(kind=TaskKind.VENTILATE).count() == 2  # days 15 and 30


def test_units_no_longer_vacant_and_other_communities_get_no_tasks(world):
    v = vacancy(world)
    services.leave_vacancy(vacancy=v, reason=ExitReason.MOVED_IN, by=supervisor(world))
    vacancy(world, world.b)
    assert services.generate_tasks(community=world.a, by=supervisor(world)) == 0


def test_planning_needs_the_supervisors_permission(world):
    with pytest.raises(PermissionDenied):
        services.generate_tasks(community=world.a, by=world.user("area_manager"))


def test_a_storm_alert_plans_a_check_of_every_vacant_unit_within_the_policy(world):
    world.user("area_manager")
    a, b = vacancy(world), vacancy(world)
    ended = timezone.now() - dt.timedelta(hours=2)
    alert, added = services.enter_storm(
        community=world.a, description="台风“山竹”", ended_at=ended, by=supervisor(world)
    )
    assert added == 2
    assert alert.check_by == ended + dt.timedelta(hours=24)
    storm = CareTask.objects.filter(kind=TaskKind.STORM)
    assert {t.vacant_unit_id for t in storm} == {a.pk, b.pk}
    assert {t.due_on for t in storm} == {timezone.localdate(alert.check_by)}
    told = Notification.objects.get(event="vacant.storm_checks")
    assert told.recipient == world.user("area_manager")
    assert told.link.endswith("?kind=storm&timing=open")
    _again, added = services.enter_storm(
        community=world.a, description="台风“山竹”", ended_at=ended, by=supervisor(world)
    )
    assert added == 0


@pytest.mark.parametrize(
    ("field", "code", "kwargs"),
    [
        ("description", "required", {"description": "  "}),
        ("ended_at", "future", {"ended_at": timezone.now() + dt.timedelta(hours=3)}),
        ("ended_at", "too_old", {"ended_at": timezone.now() - dt.timedelta(days=8)}),
    ],
)
def test_a_bad_storm_alert_is_refused(world, field, code, kwargs):
    vacancy(world)
    body = {"description": "暴雨", "ended_at": timezone.now(), **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.enter_storm(community=world.a, by=supervisor(world), **body)
    assert _codes(exc) == {field: [code]}
    assert not CareTask.objects.filter(kind=TaskKind.STORM).exists()


def test_only_the_supervisor_enters_a_storm_alert(world):
    with pytest.raises(PermissionDenied):
        services.enter_storm(
            community=world.a,
            description="暴雨",
            ended_at=timezone.now(),
            by=world.user("area_manager"),
        )


def _task(world, kind, days_ago=1):
    v = vacancy(world)
    return CareTask.objects.create(
        community=world.a,
        vacant_unit=v,
        unit=v.unit,
        kind=kind,
        due_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def test_a_ventilation_is_ticked_off_once(world):
    task = _task(world, TaskKind.VENTILATE)
    done = services.complete_task(task=task, by=world.user("area_manager"))
    assert done.done_by == world.user("area_manager")
    with pytest.raises(ValidationError) as exc:
        services.complete_task(task=task, by=world.user("area_manager"))
    assert _codes(exc) == {"task": ["not_open"]}


@pytest.mark.parametrize(
    ("kind", "days_ago", "code"),
    [(TaskKind.INSPECT, 1, "inspect"), (TaskKind.CLEAN, -3, "not_due")],
)
def test_an_inspection_or_a_task_not_due_is_not_ticked_off(world, kind, days_ago, code):
    task = _task(world, kind, days_ago)
    with pytest.raises(ValidationError) as exc:
        services.complete_task(task=task, by=world.user("area_manager"))
    assert _codes(exc) == {"task": [code]}
    task.refresh_from_db()
    assert task.done_at is None


def _workbench(user, community):
    kind = next(k for k in TASKS if k.code == "vacant.care")
    q = TaskQuery(user=user, community=community, now=timezone.now())
    return set(kind.items(q).values_list("pk", flat=True)), kind.list_url(q)


def test_the_area_manager_sees_the_care_due_of_their_zones(world):
    manager = world.user("area_manager")
    mine = vacancy(world, unit=zone_unit(world, manager=manager))
    other = vacancy(world)
    due = timezone.localdate() - dt.timedelta(days=1)
    tasks = {
        v.pk: CareTask.objects.create(
            community=world.a, vacant_unit=v, unit=v.unit, kind=TaskKind.CLEAN, due_on=due
        )
        for v in (mine, other)
    }
    CareTask.objects.create(  # not due yet
        community=world.a,
        vacant_unit=mine,
        unit=mine.unit,
        kind=TaskKind.INSPECT,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    rows, link = _workbench(manager, world.a)
    assert rows == {tasks[mine.pk].pk}
    assert link.endswith("?timing=due&mine=true")
    rows, link = _workbench(world.user("supervisor"), world.a)
    assert rows == {tasks[mine.pk].pk, tasks[other.pk].pk}
    assert link.endswith("?timing=due")
    # The list the count links to shows the same rows.
    page = world.client("area_manager").get("/vacant/tasks/?timing=due&mine=true")
    assert [t.pk for t in page.context["tasks"]] == [tasks[mine.pk].pk]


def test_the_task_list_filters_overdue_by_kind(world):
    task = _task(world, TaskKind.CLEAN, days_ago=2)
    _task(world, TaskKind.VENTILATE, days_ago=-2)
    page = world.client("supervisor").get("/vacant/tasks/?timing=overdue")
    assert [t.pk for t in page.context["tasks"]] == [task.pk]
    page = world.client("supervisor").get("/vacant/tasks/?timing=soon")
    assert page.status_code == 200
    assert list(page.context["tasks"]) == []


def test_the_next_nightly_plan_adds_only_the_days_beyond_the_last_one(world):
    today = timezone.localdate()
    v = vacancy(world, since=today)
    assert services.generate_tasks(community=world.a, by=supervisor(world)) == 8
    v.refresh_from_db()
    assert v.planned_to == today + dt.timedelta(days=31)
    later = today + dt.timedelta(days=10)
    # The window is now days 10 to 40; days 31 to 40 are new: ventilate day 35, clean day 40.
    assert services.generate_tasks(community=world.a, by=supervisor(world), start=later) == 2
    v.refresh_from_db()
    assert v.planned_to == today + dt.timedelta(days=41)
    assert services.generate_tasks(community=world.a, by=supervisor(world), start=later) == 0
