"""Scheduled care of vacant units (spec §13 steps 3-6): inspect, ventilate and clean every
`vacant.*_days` from the day the unit became vacant, planned `vacant.plan_days` ahead; a storm
alert adds a check of every vacant unit within `vacant.storm_check_hours`.

A task is unique per unit, kind and day, so generation is idempotent: a second run adds
nothing. On PostgreSQL one INSERT … SELECT over generate_series plans a whole community
(100,000 units in seconds, bench `vacant.schedule_100k`); elsewhere the same rows are built
in Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm, staff_holding
from guanjia.core.db import advisory_lock
from guanjia.core.models import Community
from guanjia.core.notifications.services import notify
from guanjia.core.policies.selectors import policy

from ..models import CareTask, StormAlert, TaskKind, VacancyStatus, VacantUnit
from ._common import field_error, required

BATCH = 5000
SCHEDULED = (TaskKind.INSPECT, TaskKind.VENTILATE, TaskKind.CLEAN)


@dataclass(frozen=True)
class Plan:
    """A community's intervals (days per kind) and the window planned: [start, end)."""

    every: dict[str, int]
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, community: Community, start: dt.date, days: int | None = None) -> Plan:
        every: dict[str, int] = {
            TaskKind.INSPECT.value: int(policy(community, "vacant.inspect_days")),
            TaskKind.VENTILATE.value: int(policy(community, "vacant.ventilate_days")),
            TaskKind.CLEAN.value: int(policy(community, "vacant.clean_days")),
        }
        days = days or int(policy(community, "vacant.plan_days"))
        return cls(every=every, start=start, end=start + dt.timedelta(days=days))

    def due_days(
        self, since: dt.date, every: int, planned_to: dt.date | None = None
    ) -> Iterator[dt.date]:
        """since + n × every (n ≥ 1) within the window, from where the last plan ended."""
        start = max(self.start, planned_to or self.start)
        first = max(1, -(-(start - since).days // every))
        due = since + dt.timedelta(days=first * every)
        while due < self.end:
            yield due
            due += dt.timedelta(days=every)


def _count(community: Community) -> int:
    return CareTask.objects.filter(community=community).count()


@transaction.atomic
def generate_tasks(
    *, community: Community, by: User | None, start: dt.date | None = None, days: int | None = None
) -> int:
    """Plan the care tasks of every vacant unit of `community` from `start` (today) for
    `days` (the policy); returns how many were added (0 on a second run)."""
    if by is not None:
        require_perm(by, "vacant.schedule_vacant_care", community)
    advisory_lock(f"vacant.schedule:{community.pk}")
    plan = Plan.of(community, start or timezone.localdate(), days)
    before = _count(community)
    if connection.vendor == "postgresql":
        _generate_sql(community, plan)
    else:
        _generate_python(community, plan)
    # The watermark: the next run starts where this one ended (a second run reads no unit).
    _to_plan(community, plan).update(planned_to=plan.end)
    return _count(community) - before


def _to_plan(community: Community, plan: Plan) -> QuerySet[VacantUnit]:
    """The open register lines whose plan does not reach the window's end yet."""
    return VacantUnit.objects.filter(
        Q(planned_to__isnull=True) | Q(planned_to__lt=plan.end),
        community=community,
        status=VacancyStatus.VACANT,
        since__lt=plan.end,
    )


def _generate_python(community: Community, plan: Plan) -> None:
    rows = _to_plan(community, plan).values_list("pk", "unit_id", "since", "planned_to")
    batch: list[CareTask] = []
    for pk, unit_id, since, planned_to in rows.iterator(chunk_size=BATCH):
        for kind, every in plan.every.items():
            for due in plan.due_days(since, every, planned_to):
                batch.append(
                    CareTask(
                        community=community,
                        vacant_unit_id=pk,
                        unit_id=unit_id,
                        kind=kind,
                        due_on=due,
                    )
                )
        if len(batch) >= BATCH:
            CareTask.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    CareTask.objects.bulk_create(batch, ignore_conflicts=True)


_SQL = """
INSERT INTO {task} (created_at, updated_at, community_id, vacant_unit_id, unit_id, kind, due_on)
SELECT now(), now(), v.community_id, v.id, v.unit_id, k.kind, v.since + n * k.every
FROM {vacant} v
CROSS JOIN (VALUES (%(inspect)s, %(inspect_days)s), (%(ventilate)s, %(ventilate_days)s),
                   (%(clean)s, %(clean_days)s)) AS k(kind, every)
CROSS JOIN LATERAL generate_series(
    GREATEST(1, CEIL((GREATEST(%(start)s::date, COALESCE(v.planned_to, %(start)s::date))
                      - v.since)::numeric / k.every)::int),
    FLOOR(((%(end)s::date - 1) - v.since)::numeric / k.every)::int
) AS n
WHERE v.community_id = %(community)s AND v.status = %(vacant)s AND v.since < %(end)s::date
  AND (v.planned_to IS NULL OR v.planned_to < %(end)s::date)
ON CONFLICT DO NOTHING
"""


def _generate_sql(community: Community, plan: Plan) -> None:
    sql = _SQL.format(task=CareTask._meta.db_table, vacant=VacantUnit._meta.db_table)
    params: dict[str, Any] = {
        "inspect": TaskKind.INSPECT.value,
        "ventilate": TaskKind.VENTILATE.value,
        "clean": TaskKind.CLEAN.value,
        "inspect_days": plan.every[TaskKind.INSPECT],
        "ventilate_days": plan.every[TaskKind.VENTILATE],
        "clean_days": plan.every[TaskKind.CLEAN],
        "start": plan.start,
        "end": plan.end,
        "community": community.pk,
        "vacant": VacancyStatus.VACANT.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def generate_nightly() -> None:
    """The scheduled job: every community's plan, as the system (no actor)."""
    for community in Community.objects.all():
        generate_tasks(community=community, by=None)


@transaction.atomic
def enter_storm(
    *, community: Community, description: str, ended_at: dt.datetime, by: User
) -> tuple[StormAlert, int]:
    """A typhoon or rainstorm is over: every vacant unit gets a check by `ended_at` plus
    `vacant.storm_check_hours` (one task a unit and day: entering it twice adds nothing)."""
    require_perm(by, "vacant.add_stormalert", community)
    text = required(description, "description", _("Say which storm it was."))[:200]
    now = timezone.now()
    if ended_at > now:
        raise field_error("ended_at", _("Enter the alert once the storm is over."), "future")
    if ended_at < now - dt.timedelta(days=7):
        raise field_error("ended_at", _("The storm ended more than 7 days ago."), "too_old")
    hours = int(policy(community, "vacant.storm_check_hours"))
    check_by = ended_at + dt.timedelta(hours=hours)
    alert = StormAlert.objects.create(
        community=community, description=text, ended_at=ended_at, check_by=check_by, entered_by=by
    )
    due = timezone.localdate(check_by)
    rows = VacantUnit.objects.filter(community=community, status=VacancyStatus.VACANT)
    before = _count(community)
    CareTask.objects.bulk_create(
        [
            CareTask(
                community=community,
                vacant_unit_id=pk,
                unit_id=unit_id,
                kind=TaskKind.STORM,
                due_on=due,
                storm=alert,
            )
            for pk, unit_id in rows.values_list("pk", "unit_id").iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    added = _count(community) - before
    if added:
        _tell_inspectors(alert, by)
    return alert, added


def _tell_inspectors(alert: StormAlert, by: User) -> None:
    """The people who do the checks (area managers of the community) are told in their inbox."""
    community = alert.community
    link = reverse("vacant:task-list") + "?kind=storm&timing=open"
    context = {
        "storm": alert.description,
        "check_by": timezone.localtime(alert.check_by).strftime("%Y-%m-%d %H:%M"),
        "community": community.name,
    }
    staff = staff_holding(
        ["vacant.add_inspection"], company_id=community.company_id, community_id=community.pk
    )
    for user in staff.exclude(pk=by.pk):
        notify(user, "vacant.storm_checks", context, community=community, link=link)


@transaction.atomic
def complete_task(*, task: CareTask, by: User, now: dt.datetime | None = None) -> CareTask:
    """A ventilation or a cleaning done (an inspection completes its own tasks)."""
    require_perm(by, "vacant.change_caretask", task.community_id)
    locked = CareTask.objects.select_for_update().get(pk=task.pk)
    if not locked.is_open:
        raise field_error("task", _("This task is no longer open."), "not_open")
    if locked.kind not in (TaskKind.VENTILATE, TaskKind.CLEAN):
        raise field_error(
            "task", _("An inspection is done by recording it on the checklist."), "inspect"
        )
    now = now or timezone.now()
    if locked.due_on > timezone.localdate(now):
        raise field_error("task", _("This task is not due yet."), "not_due")
    locked.done_at, locked.done_by = now, by
    locked.save(update_fields=["done_at", "done_by", "updated_at"])
    return locked
