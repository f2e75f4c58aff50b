import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from guanjia.core.jobs import registry
from guanjia.core.jobs.registry import declared_schedules, schedule
from guanjia.core.jobs.services import sync_schedules


@pytest.fixture
def clean_registry(monkeypatch):
    """The registry as the apps declared it, restored after the test."""
    monkeypatch.setattr(registry, "_SCHEDULES", dict(registry._SCHEDULES))
    return registry._SCHEDULES


def test_the_cleanup_schedule_is_declared_daily_at_half_past_three():
    spec = next(s for s in declared_schedules() if s.name == "jobs.cleanup")
    assert (spec.func, spec.minutes, spec.at) == (
        "guanjia.core.jobs.services.cleanup_daily",
        24 * 60,
        dt.time(3, 30),
    )


def test_sync_creates_the_declared_schedules_and_a_second_sync_changes_nothing(db):
    assert "jobs.cleanup" in sync_schedules()["created"]
    row = Schedule.objects.get(name="jobs.cleanup")
    local = timezone.localtime(row.next_run)
    assert (row.func, row.schedule_type, row.minutes, row.repeats) == (
        "guanjia.core.jobs.services.cleanup_daily",
        Schedule.MINUTES,
        1440,
        -1,
    )
    assert (local.hour, local.minute) == (3, 30)
    assert timezone.now() < row.next_run <= timezone.now() + dt.timedelta(days=1)
    assert "jobs.cleanup" in sync_schedules()["unchanged"]
    assert Schedule.objects.filter(name="jobs.cleanup").count() == 1


def test_sync_keeps_the_time_of_day_after_the_schedule_ran(db):
    sync_schedules()
    row = Schedule.objects.get(name="jobs.cleanup")
    row.next_run += dt.timedelta(days=1)  # what django-q does after a run
    row.save()
    assert "jobs.cleanup" in sync_schedules()["unchanged"]


def test_sync_updates_a_changed_schedule_and_removes_undeclared_guanjia_ones(db, clean_registry):
    sync_schedules()
    Schedule.objects.create(
        name="old.report", func="guanjia.reports.old", minutes=5, schedule_type=Schedule.MINUTES
    )
    Schedule.objects.create(
        name="by-hand", func="othertool.ping", minutes=5, schedule_type=Schedule.MINUTES
    )
    clean_registry["jobs.cleanup"] = registry.ScheduleSpec(
        name="jobs.cleanup", func="guanjia.core.jobs.services.cleanup_daily", minutes=60
    )
    report = sync_schedules()
    assert (report["updated"], report["deleted"]) == (["jobs.cleanup"], ["old.report"])
    assert Schedule.objects.get(name="jobs.cleanup").minutes == 60
    names = set(Schedule.objects.values_list("name", flat=True))
    assert names == {spec.name for spec in declared_schedules()} | {"by-hand"}


def test_the_command_reports_what_it_did(db):
    out = StringIO()
    call_command("sync_schedules", stdout=out)
    assert "created: jobs.cleanup" in out.getvalue()


@pytest.mark.parametrize(
    ("name", "func", "options"),
    [
        ("Cleanup", "guanjia.x.y", {"minutes": 5}),  # not <app>.<what>
        ("jobs.other", "not a path", {"minutes": 5}),
        ("jobs.other", "guanjia.x.y", {}),  # neither cron nor minutes
        ("jobs.other", "guanjia.x.y", {"minutes": 5, "cron": "0 3 * * *"}),
        ("jobs.other", "guanjia.x.y", {"minutes": 0}),
        ("jobs.other", "guanjia.x.y", {"minutes": 40000}),
        ("jobs.cleanup", "guanjia.x.y", {"minutes": 5}),  # the name is taken
    ],
)
def test_a_malformed_schedule_is_refused_at_startup(clean_registry, name, func, options):
    with pytest.raises(ImproperlyConfigured):
        schedule(name, func, **options)
    assert "jobs.other" not in clean_registry


def test_a_cron_schedule_without_croniter_is_refused_at_startup(clean_registry, monkeypatch):
    monkeypatch.setattr(registry.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match="croniter"):
        schedule("jobs.other", "guanjia.x.y", cron="0 3 * * *")
    assert "jobs.other" not in clean_registry
