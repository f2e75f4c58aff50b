"""The workbench of one user in one community: their tasks, overdue first, and today's figures.

Queries: one per task kind the user may see, one per figure group the user may see, whatever
the number of rows (`guanjia/core/workbench/tests/test_workbench.py` holds the bound)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When, Window
from django.utils import timezone

from guanjia.core.access import has_perm_in

from .registry import (
    Figure,
    FigureGroup,
    StrOrPromise,
    TaskKind,
    TaskQuery,
    figure_groups,
    task_kinds,
)

if TYPE_CHECKING:
    from guanjia.core.access import User

# Rows each task kind shows on the workbench; its count links to the whole filtered list.
ROWS_PER_KIND = 5


@dataclass(frozen=True)
class Task:
    """One row of "my tasks": what, until when, and where to act on it."""

    kind: TaskKind
    title: str
    link: str
    deadline: dt.datetime | None
    overdue: bool

    @property
    def seconds_left(self) -> int | None:
        if self.deadline is None:
            return None
        return int((self.deadline - timezone.now()).total_seconds())


@dataclass(frozen=True)
class TaskCount:
    """How many tasks of one kind wait, how many are overdue, and the list that shows them."""

    kind: TaskKind
    total: int
    overdue: int
    url: str  # empty: the kind has no list of its own


@dataclass(frozen=True)
class FigureBlock:
    label: StrOrPromise
    figures: list[Figure]


@dataclass
class Workbench:
    tasks: list[Task] = field(default_factory=list)
    counts: list[TaskCount] = field(default_factory=list)
    figures: list[FigureBlock] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(count.overdue for count in self.counts)


def workbench(user: User, community: Any, *, now: dt.datetime | None = None) -> Workbench:
    """The tasks and figures `user` may see in `community`: kinds and groups whose permission
    the user holds there. Tasks are sorted by deadline (overdue first, none last)."""
    query = TaskQuery(user=user, community=community, now=now or timezone.now())
    bench = Workbench()
    for kind in visible_task_kinds(user, community):
        _gather(kind, query, bench)
    bench.tasks.sort(key=_urgency)
    for group in visible_figure_groups(user, community):
        bench.figures.append(_figures(group, query))
    return bench


def visible_task_kinds(user: User, community: Any) -> list[TaskKind]:
    """The task kinds the user may see in the community: one query each on the workbench."""
    return [
        kind
        for kind in task_kinds()
        if not kind.perms or any(has_perm_in(user, perm, community) for perm in kind.perms)
    ]


def visible_figure_groups(user: User, community: Any) -> list[FigureGroup]:
    """The figure groups of the user's roles in the community: one query each."""
    return [group for group in figure_groups() if has_perm_in(user, group.perm, community)]


def _urgency(task: Task) -> tuple[int, dt.datetime]:
    if task.deadline is None:
        return (1, dt.datetime.max.replace(tzinfo=dt.UTC))
    return (0, task.deadline)


def _is_date(queryset: models.QuerySet[Any], name: str) -> bool:
    try:
        found = queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        found = queryset.query.annotations[name].output_field
    return isinstance(found, models.DateField) and not isinstance(found, models.DateTimeField)


def _as_moment(value: Any) -> dt.datetime | None:
    """A deadline as the moment it passes: a date's deadline is the end of that day."""
    if value is None or isinstance(value, dt.datetime):
        return value
    next_day = dt.datetime.combine(value + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(next_day)


def _gather(kind: TaskKind, query: TaskQuery, bench: Workbench) -> None:
    rows = kind.items(query)
    total = Window(Count("pk"))
    if kind.deadline is None:
        late = Window(Sum(Value(0), output_field=IntegerField()))
        ordered = rows.order_by("pk")
    else:
        cutoff = timezone.localdate(query.now) if _is_date(rows, kind.deadline) else query.now
        overdue = Case(
            When(Q(**{f"{kind.deadline}__lt": cutoff}), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        late = Window(Sum(overdue))
        ordered = rows.order_by(F(kind.deadline).asc(nulls_last=True), "pk")
    page = list(ordered.annotate(_wb_total=total, _wb_overdue=late)[:ROWS_PER_KIND])
    count = page[0]._wb_total if page else 0
    late_count = (page[0]._wb_overdue or 0) if page else 0
    if kind.hide_when_empty and not count:
        return
    url = kind.list_url(query) if kind.list_url is not None else ""
    bench.counts.append(TaskCount(kind, count, late_count, url))
    for row in page:
        deadline = _as_moment(getattr(row, kind.deadline)) if kind.deadline else None
        bench.tasks.append(
            Task(
                kind=kind,
                title=kind.title(row),
                link=kind.link(row),
                deadline=deadline,
                overdue=deadline is not None and deadline < query.now,
            )
        )


def _figures(group: FigureGroup, query: TaskQuery) -> FigureBlock:
    return FigureBlock(group.label, list(group.figures(query)))
