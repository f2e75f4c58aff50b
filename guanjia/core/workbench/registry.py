"""What the workbench can show, declared by each app in its `AppConfig.ready()`:

    register_task(TaskKind(
        code="complaint.classify",
        label=_("Complaints to classify"),
        perm="tickets.change_complaint",
        items=lambda q: Complaint.objects.in_community(q.community).filter(status="registered"),
        deadline="first_reply_due",
        title=lambda c: f"{c.number} {c.request.content[:40]}",
        link=lambda c: reverse("tickets:complaint-detail", args=[c.pk]),
        list_url=lambda q: reverse("tickets:complaint-list") + "?status=registered",
    ))

A task kind costs the workbench one query (its rows, their total and how many are overdue
come from one SELECT with window functions); a figure group costs one query (one aggregate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from guanjia.core.models import Community

if TYPE_CHECKING:
    from guanjia.core.access import User

StrOrPromise = str | Promise


@dataclass(frozen=True)
class TaskQuery:
    """Whose workbench is being gathered: the user, the community they work in now, the time."""

    user: User
    community: Community
    now: dt.datetime


@dataclass(frozen=True)
class TaskKind:
    """One kind of task: who sees it (a permission held in the community, any of several, or
    `()` for every staff member of the community),
    the user's rows (scoped to the community, with `select_related` for what `title` reads),
    the field that holds each row's deadline (a date or a datetime; None: no deadline), and
    the links: each row's page and the list filtered to the same rows (None: no such list).
    `hide_when_empty` keeps a kind that every user holds (their own imports) off the page
    until there is something to do."""

    code: str
    label: StrOrPromise
    perm: str | tuple[str, ...]
    items: Callable[[TaskQuery], QuerySet[Any]]
    title: Callable[[Any], str]
    link: Callable[[Any], str]
    list_url: Callable[[TaskQuery], str] | None = None
    deadline: str | None = None
    order: int = 100
    hide_when_empty: bool = False

    @property
    def perms(self) -> tuple[str, ...]:
        return (self.perm,) if isinstance(self.perm, str) else self.perm


@dataclass(frozen=True)
class Figure:
    """One of today's figures: a label, a number, and where it leads."""

    label: StrOrPromise
    value: int
    url: str = ""
    warn: bool = False  # shown as a risk (overdue, due soon)


@dataclass(frozen=True)
class FigureGroup:
    """Today's figures of one role: computed with one aggregate query for the community."""

    code: str
    label: StrOrPromise
    perm: str
    figures: Callable[[TaskQuery], Sequence[Figure]]
    order: int = 100


_TASKS: dict[str, TaskKind] = {}
_FIGURES: dict[str, FigureGroup] = {}


def register_task(kind: TaskKind) -> TaskKind:
    """Declare a task kind; a code declared twice is a programming error."""
    if kind.code in _TASKS:
        raise ValueError(f"workbench task {kind.code!r} is already registered")
    _TASKS[kind.code] = kind
    return kind


def register_figures(group: FigureGroup) -> FigureGroup:
    """Declare a role's figures of the day; a code declared twice is a programming error."""
    if group.code in _FIGURES:
        raise ValueError(f"workbench figures {group.code!r} are already registered")
    _FIGURES[group.code] = group
    return group


def task_kinds() -> list[TaskKind]:
    return sorted(_TASKS.values(), key=lambda kind: (kind.order, kind.code))


def figure_groups() -> list[FigureGroup]:
    return sorted(_FIGURES.values(), key=lambda group: (group.order, group.code))
