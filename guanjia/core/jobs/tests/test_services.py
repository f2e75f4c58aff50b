import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation

from guanjia.core.jobs.models import JobRun, JobStatus
from guanjia.core.jobs.services import (
    STUCK_MESSAGE,
    cleanup,
    cleanup_daily,
    enqueue,
    execute_run,
    report_progress,
    run_once,
)
from guanjia.core.jobs.tests.conftest import counted
from guanjia.core.jobs.tests.tasks import TASKS
from guanjia.core.numbering.models import DocumentSequence
from guanjia.core.tests.factories import CommunityFactory


def start(task: str = "count", *, key: str = "test:count", **kwargs) -> JobRun:
    return enqueue(f"{TASKS}.{task}", key=key, label="Count rows", **kwargs)


def fresh(run: JobRun) -> JobRun:
    run.refresh_from_db()
    return run


def test_a_job_enqueued_twice_with_the_same_key_runs_once(
    world, counter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = enqueue(f"{TASKS}.count", key="k", label="Count", kwargs={"counter": counter.pk})
        second = enqueue(f"{TASKS}.count", key="k", label="Count", kwargs={"counter": counter.pk})
    assert first.pk == second.pk
    assert JobRun.objects.count() == 1
    assert len(callbacks) == 1
    assert counted(counter) == 1


def test_a_finished_job_keeps_its_result_times_and_full_progress(
    world, counter, django_capture_on_commit_callbacks
):
    user = world.user("receptionist")
    with django_capture_on_commit_callbacks(execute=True):
        run = start(kwargs={"counter": counter.pk, "times": 3}, by=user, community=world.a)
    fresh(run)
    assert (run.status, run.created_by, run.community) == (JobStatus.SUCCEEDED, user, world.a)
    assert run.result == {"counted": 3, "file_url": "/media/exports/count.xlsx"}
    assert (run.progress_done, run.progress_total, run.message) == (3, 3, "counted 3")
    assert run.started_at <= run.finished_at
    assert run.percent == 100
    assert counted(counter) == 3


def test_a_rolled_back_enqueue_runs_nothing(world, counter, django_capture_on_commit_callbacks):
    def request_an_export_that_fails() -> None:
        with transaction.atomic():
            enqueue(f"{TASKS}.count", key="k", label="Count", kwargs={"counter": counter.pk})
            raise RuntimeError("the export request failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        request_an_export_that_fails()
    assert callbacks == []
    assert not JobRun.objects.exists()
    assert counted(counter) == 0


def test_the_job_waits_for_the_callers_commit(world, counter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = start(kwargs={"counter": counter.pk})
    assert fresh(run).status == JobStatus.QUEUED
    assert counted(counter) == 0
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED


def test_a_failing_job_is_recorded_with_its_message_and_no_traceback(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = start("explode")
    fresh(run)
    assert run.status == JobStatus.FAILED
    assert run.error == "the spreadsheet could not be read"
    assert "Traceback" not in run.error
    assert run.finished_at is not None


def test_a_validation_error_shows_its_messages(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start("refuse")
    fresh(run)
    assert (run.status, run.error) == (JobStatus.FAILED, "Row 3: unknown community code.")


def test_a_result_that_is_not_json_fails_the_run(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start("unserialisable")
    fresh(run)
    assert run.status == JobStatus.FAILED
    assert "JSON" in run.error


def test_the_task_gets_its_stored_arguments_and_the_run(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start("echo", args=[1, dt.date(2026, 10, 1)], kwargs={"rows": 5}, community=world.a)
    assert fresh(run).result == {
        "args": [1, "2026-10-01"],
        "kwargs": {"rows": 5},
        "community": world.a.pk,
    }


def test_the_job_runs_in_the_language_of_whoever_started_it(
    world, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        english = start("speak", key="speak:en")
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        chinese = start("speak", key="speak:zh")
    fresh(english)
    fresh(chinese)
    assert (english.language, english.result) == ("en", "Active")
    assert chinese.language == "zh-hans"


def test_arguments_that_are_not_json_are_refused_before_anything_is_saved(world):
    with pytest.raises(TypeError, match="JSON"):
        enqueue(f"{TASKS}.echo", key="k", label="Echo", kwargs={"community": world.a})
    assert not JobRun.objects.exists()


@pytest.mark.parametrize(
    ("task", "key", "label"),
    [
        (f"{TASKS}.does_not_exist", "k", "Label"),
        ("not a dotted path", "k", "Label"),
        (f"{TASKS}.TASKS", "k", "Label"),  # a string, not a function
        (f"{TASKS}.echo", "", "Label"),
        (f"{TASKS}.echo", "k" * 201, "Label"),
        (f"{TASKS}.echo", "k", "L" * 201),
    ],
)
def test_a_malformed_enqueue_is_refused(world, task, key, label):
    with pytest.raises(ValueError, match="job"):
        enqueue(task, key=key, label=label)
    assert not JobRun.objects.exists()


def test_a_redelivered_run_does_the_work_once(world, counter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start(kwargs={"counter": counter.pk})
    assert execute_run(run.pk) == "skipped"
    assert counted(counter) == 1


def test_a_broker_that_cannot_take_the_job_fails_the_run(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is not reachable")

    monkeypatch.setattr("django_q.tasks.async_task", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = start("echo")
    assert (fresh(run).status, run.error) == (JobStatus.FAILED, "Redis is not reachable")


def test_progress_is_saved_where_the_page_can_see_it(world):
    run = start("echo")
    report_progress(run, done=3, total=10, message="Reading rows")
    stored = JobRun.objects.get(pk=run.pk)
    assert (stored.progress_done, stored.progress_total, stored.message) == (3, 10, "Reading rows")
    assert stored.percent == 30


def test_progress_is_written_at_most_twice_a_second_but_always_at_the_end(
    world, django_assert_num_queries
):
    run = start("echo")
    with django_assert_num_queries(2):
        for done in range(1, 101):
            report_progress(run, done=done, total=100)
    stored = JobRun.objects.get(pk=run.pk)
    assert (stored.progress_done, stored.progress_total) == (100, 100)


def test_negative_progress_is_refused(world):
    run = start("echo")
    with pytest.raises(ValueError, match="negative"):
        report_progress(run, done=-1, total=10)


def test_run_once_does_the_work_once(world, counter):
    def work() -> int:
        counter.__class__.objects.filter(pk=counter.pk).update(last_number=counter.last_number + 1)
        return 7

    assert run_once("nightly:2026-11-29", work) == 7
    assert run_once("nightly:2026-11-29", work) is None
    assert counted(counter) == 1
    run = JobRun.objects.get(key="nightly:2026-11-29")
    assert (run.status, run.result) == (JobStatus.SUCCEEDED, 7)


def test_a_failed_run_once_keeps_no_work_records_the_failure_and_is_tried_again(world, counter):
    attempts = []

    def work() -> str:
        attempts.append(1)
        counter.__class__.objects.filter(pk=counter.pk).update(last_number=99)
        if len(attempts) == 1:
            raise RuntimeError("the mail server did not answer")
        return "done"

    with pytest.raises(RuntimeError):
        run_once("nightly:x", work)
    failed = JobRun.objects.get(key="nightly:x")
    assert (failed.status, failed.error) == (JobStatus.FAILED, "the mail server did not answer")
    assert counted(counter) == 0  # the work rolled back with the failure
    assert run_once("nightly:x", work) == "done"
    assert JobRun.objects.get(key="nightly:x").status == JobStatus.SUCCEEDED
    assert counted(counter) == 99


def _old_task(*, success: bool, days: int, name: str):
    from django_q.models import Task

    stopped = timezone.now() - dt.timedelta(days=days)
    return Task.objects.create(
        id=name, name=name, func="x.y", started=stopped, stopped=stopped, success=success
    )


def test_cleanup_deletes_old_successful_tasks_and_gives_up_stuck_runs(world):
    from django_q.models import Task

    _old_task(success=True, days=31, name="old-ok")
    _old_task(success=True, days=29, name="recent-ok")
    _old_task(success=False, days=31, name="old-failed")
    now = timezone.now()
    stuck = JobRun.objects.create(
        key="stuck",
        task="t",
        label="t",
        status=JobStatus.RUNNING,
        started_at=now - dt.timedelta(hours=7),
    )
    busy = JobRun.objects.create(
        key="busy",
        task="t",
        label="t",
        status=JobStatus.RUNNING,
        started_at=now - dt.timedelta(hours=5),
    )
    assert cleanup() == {"tasks_deleted": 1, "runs_given_up": 1}
    assert set(Task.objects.values_list("name", flat=True)) == {"recent-ok", "old-failed"}
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.error) == (JobStatus.FAILED, STUCK_MESSAGE)
    assert busy.status == JobStatus.RUNNING


def test_the_daily_cleanup_runs_once_a_day(world):
    assert cleanup_daily() == {"tasks_deleted": 0, "runs_given_up": 0}
    assert cleanup_daily() is None
    day = timezone.localdate().isoformat()
    assert JobRun.objects.get(key=f"jobs.cleanup:{day}").status == JobStatus.SUCCEEDED


def _race(threads: int, work) -> list[BaseException]:
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as exc:  # reported by the caller's assertion
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=attempt) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    return errors


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="race safety is proven on PostgreSQL"
)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_enqueues_with_one_key_do_the_work_once():
    community = CommunityFactory()
    counter = DocumentSequence.objects.create(
        company=community.company, community=community, kind="test.counter", year=2026
    )

    def request_export() -> None:
        with transaction.atomic():
            enqueue(f"{TASKS}.count", key="race", label="Count", kwargs={"counter": counter.pk})

    assert _race(16, request_export) == []
    assert JobRun.objects.get(key="race").status == JobStatus.SUCCEEDED
    assert counted(counter) == 1


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_workers_firing_one_scheduled_job_do_it_once():
    community = CommunityFactory()
    counter = DocumentSequence.objects.create(
        company=community.company, community=community, kind="test.counter", year=2026
    )

    def work() -> None:
        DocumentSequence.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)

    assert _race(16, lambda: run_once("nightly:race", work)) == []
    assert JobRun.objects.get(key="nightly:race").status == JobStatus.SUCCEEDED
    assert counted(counter) == 1
