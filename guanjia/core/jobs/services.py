"""Every write to background jobs: enqueue a run, execute it, report progress, schedules.

A job is a plain function `task(run: JobRun, *args, **kwargs) -> JSON-able result`, named by
its dotted path. `enqueue` records the run (unique by key: idempotent) and hands it to the
django-q worker only when the caller's transaction commits. See docs/jobs.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop

from guanjia.core.models import Community

from .models import JobRun, JobStatus
from .registry import ScheduleSpec, declared_schedules, schedule

if TYPE_CHECKING:
    from guanjia.core.access import User

__all__ = [
    "cleanup",
    "cleanup_daily",
    "enqueue",
    "execute_run",
    "report_progress",
    "run_once",
    "schedule",
    "sync_schedules",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")

PROGRESS_INTERVAL = 0.5  # seconds: progress written at most this often (and always at the end)
ERROR_MAX_LENGTH = 2000
DAY_MINUTES = 24 * 60
STUCK_MESSAGE = gettext_noop("The job stopped without finishing; it was given up after a while.")
CLEANUP_LABEL = gettext_noop("Daily clean-up of finished jobs")


def enqueue(
    task: str,
    *,
    key: str,
    label: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    by: User | None = None,
    community: Community | None = None,
) -> JobRun:
    """Create the JobRun (or return the existing one with this key: idempotent) and hand it
    to the worker with transaction.on_commit, so the job starts only if the caller commits.

    Arguments must be JSON-able (ids, strings, numbers, dates): they are stored on the run.
    """
    _check_callable(task)
    if not key or len(key) > 200 or len(str(label)) > 200:
        raise ValueError("a job needs a key and a label of at most 200 characters")
    stored_args, stored_kwargs = _jsonable(list(args)), _jsonable(dict(kwargs or {}))
    with transaction.atomic():
        run, created = JobRun.objects.get_or_create(
            key=key,
            defaults={
                "task": task,
                "label": str(label),
                "args": stored_args,
                "kwargs": stored_kwargs,
                "created_by": by,
                "community": community,
                "language": translation.get_language() or "",
            },
        )
        if created:
            transaction.on_commit(partial(_dispatch, run.pk))
    return run


def _check_callable(task: str) -> None:
    try:
        func = import_string(task)
    except ImportError as exc:
        raise ValueError(f"job task {task!r} cannot be imported") from exc
    if not callable(func):
        raise ValueError(f"job task {task!r} is not callable")


def _jsonable(value: Any) -> Any:
    """The value as it will come back from the database; TypeError if it is not JSON-able."""
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"job arguments and results must be JSON-able: {exc}") from exc


def _dispatch(run_pk: int) -> None:
    """Hand a committed run to django-q; a broker that fails marks the run failed."""
    from django_q.tasks import async_task

    try:
        async_task("guanjia.core.jobs.services.execute_run", run_pk, group="guanjia.jobs")
    except Exception as exc:  # the broker's client raises its own errors (Redis, database)
        logger.exception("job run %s could not be queued", run_pk)
        _finish(run_pk, status=JobStatus.FAILED, error=_error_text(exc))


def execute_run(run_pk: int) -> str:
    """The worker's entry point: claim the queued run, call its task, record the outcome.

    A run that is not queued any more (done, or taken by another worker) is skipped, so a
    redelivered message does the work once. Exceptions mark the run failed with their text.
    """
    now = timezone.now()
    claimed = JobRun.objects.filter(pk=run_pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        logger.info("job run %s is not queued any more: skipped", run_pk)
        return "skipped"
    run = JobRun.objects.select_related("community", "created_by").get(pk=run_pk)
    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            result = _jsonable(import_string(run.task)(run, *run.args, **run.kwargs))
    except Exception as exc:  # any failure of the task belongs to the run, not the worker
        logger.exception("job run %s (%s) failed", run.pk, run.task)
        _finish(run.pk, status=JobStatus.FAILED, error=_error_text(exc))
        return JobStatus.FAILED.value
    _finish(run.pk, status=JobStatus.SUCCEEDED, result=result)
    return JobStatus.SUCCEEDED.value


def _finish(run_pk: int, *, status: JobStatus, result: Any = None, error: str = "") -> None:
    now = timezone.now()
    JobRun.objects.filter(pk=run_pk).update(
        status=status, result=result, error=error, finished_at=now, updated_at=now
    )


def _error_text(exc: BaseException) -> str:
    """What the user sees: the error's message, never a traceback."""
    if isinstance(exc, ValidationError):
        text = " ".join(str(message) for message in exc.messages)
    else:
        text = str(exc)
    return (text or exc.__class__.__name__)[:ERROR_MAX_LENGTH]


def report_progress(run: JobRun, *, done: int, total: int, message: str = "") -> None:
    """Save progress in its own short UPDATE so the page sees it while the job runs.

    Writes at most every PROGRESS_INTERVAL seconds, and always when done reaches total; call
    it freely in a loop. Call it outside your own transaction.atomic(), or the page sees the
    progress only when that transaction commits.
    """
    if done < 0 or total < 0:
        raise ValueError("progress cannot be negative")
    run.progress_done, run.progress_total, run.message = done, total, str(message)[:500]
    last_write = getattr(run, "_progress_written_at", None)
    now = time.monotonic()
    if last_write is not None and now - last_write < PROGRESS_INTERVAL and done < total:
        return
    JobRun.objects.filter(pk=run.pk).update(
        progress_done=done,
        progress_total=total,
        message=run.message,
        updated_at=timezone.now(),
    )
    run._progress_written_at = now  # type: ignore[attr-defined]  # throttle state, per object


def run_once(key: str, func: Callable[[], T], *, label: str = "") -> T | None:
    """For scheduled jobs: do the work only if no SUCCEEDED JobRun with this key exists.

    The work and the SUCCEEDED row commit in one transaction, and the key is unique, so two
    workers firing together or a repeated schedule do it once. Returns None when skipped. A
    failure is recorded as a FAILED run (tried again next time) and raised.
    """
    task = f"{func.__module__}.{func.__qualname__}"
    try:
        with transaction.atomic():
            run = _claim_once(key, task=task, label=label or task)
            if run is None:
                return None
            result = func()
            _finish(run.pk, status=JobStatus.SUCCEEDED, result=_jsonable_or_none(result))
            return result
    except Exception as exc:
        _record_failure(key, task=task, label=label or task, exc=exc)
        raise


def _claim_once(key: str, *, task: str, label: str) -> JobRun | None:
    """The locked run for `key`, or None if it already succeeded."""
    now = timezone.now()
    run = JobRun.objects.select_for_update().filter(key=key).first()
    if run is None:
        try:
            with transaction.atomic():
                return JobRun.objects.create(
                    key=key,
                    task=task[:200],
                    label=label[:200],
                    status=JobStatus.RUNNING,
                    started_at=now,
                )
        except IntegrityError:  # someone else created it and committed meanwhile
            run = JobRun.objects.select_for_update().get(key=key)
    if run.status == JobStatus.SUCCEEDED:
        return None
    JobRun.objects.filter(pk=run.pk).update(
        status=JobStatus.RUNNING, started_at=now, error="", updated_at=now
    )
    return run


def _jsonable_or_none(value: Any) -> Any:
    try:
        return _jsonable(value)
    except TypeError:
        return None


def _record_failure(key: str, *, task: str, label: str, exc: BaseException) -> None:
    now = timezone.now()
    JobRun.objects.update_or_create(
        key=key,
        defaults={"status": JobStatus.FAILED, "error": _error_text(exc), "finished_at": now},
        create_defaults={
            "task": task[:200],
            "label": label[:200],
            "status": JobStatus.FAILED,
            "error": _error_text(exc),
            "started_at": now,
            "finished_at": now,
        },
    )


def cleanup(*, task_days: int = 30, stuck_hours: int = 6) -> dict[str, int]:
    """Delete django-q's successful task records older than `task_days`, and mark runs still
    RUNNING after `stuck_hours` as FAILED (their worker died). Both numbers are keyword
    defaults for now; they move to policies when an operator needs to change them."""
    from django_q.models import Task

    now = timezone.now()
    deleted, _counts = Task.objects.filter(
        success=True, stopped__lt=now - dt.timedelta(days=task_days)
    ).delete()
    given_up = JobRun.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - dt.timedelta(hours=stuck_hours)
    ).update(status=JobStatus.FAILED, error=STUCK_MESSAGE, finished_at=now, updated_at=now)
    return {"tasks_deleted": deleted, "runs_given_up": given_up}


def cleanup_daily() -> dict[str, int] | None:
    """The `jobs.cleanup` schedule: at most one clean-up per local day."""
    return run_once(
        f"jobs.cleanup:{timezone.localdate().isoformat()}", cleanup, label=CLEANUP_LABEL
    )


@transaction.atomic
def sync_schedules(*, prune: bool = True) -> dict[str, list[str]]:
    """Create or update django-q Schedule rows for every declared schedule; with `prune`,
    delete rows for Guanjia functions that no longer have a declaration."""
    from django_q.models import Schedule

    report: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": [], "deleted": []}
    declared = {spec.name: spec for spec in declared_schedules()}
    existing = {row.name: row for row in Schedule.objects.filter(name__in=declared)}
    for spec in declared.values():
        row = existing.get(spec.name)
        if row is None:
            row = Schedule(name=spec.name, next_run=_first_run(spec))
            _apply(row, spec)
            row.save()
            report["created"].append(spec.name)
        elif _differs(row, spec):
            _apply(row, spec)
            row.next_run = row.calculate_next_run() if spec.cron else _first_run(spec)
            row.save()
            report["updated"].append(spec.name)
        else:
            report["unchanged"].append(spec.name)
    if prune:
        stale = Schedule.objects.filter(func__startswith="guanjia.").exclude(name__in=declared)
        report["deleted"] = sorted(name for name in stale.values_list("name", flat=True) if name)
        stale.delete()
    return report


def _apply(row: Any, spec: ScheduleSpec) -> None:
    row.func = spec.func
    row.schedule_type = row.CRON if spec.cron else row.MINUTES
    row.cron = spec.cron
    row.minutes = spec.minutes
    row.repeats = -1


def _differs(row: Any, spec: ScheduleSpec) -> bool:
    wanted_type = row.CRON if spec.cron else row.MINUTES
    if (row.func, row.schedule_type, row.cron, row.minutes, row.repeats) != (
        spec.func,
        wanted_type,
        spec.cron,
        spec.minutes,
        -1,
    ):
        return True
    if spec.at is None or row.next_run is None or not spec.minutes:
        return False
    period = min(spec.minutes, DAY_MINUTES)
    if DAY_MINUTES % period:  # the time of day drifts from day to day: nothing to compare
        return False
    local = timezone.localtime(row.next_run)
    phase = local.hour * 60 + local.minute - (spec.at.hour * 60 + spec.at.minute)
    return phase % period != 0


def _first_run(spec: ScheduleSpec) -> dt.datetime:
    """The next local time of day `spec.at` (now when the schedule has no time of day)."""
    now = timezone.localtime()
    if spec.at is None:
        return now
    first = now.replace(hour=spec.at.hour, minute=spec.at.minute, second=0, microsecond=0)
    return first if first > now else first + dt.timedelta(days=1)
