"""The vacant units' tasks on the workbench (工作台), declared in `ready()`: the care tasks
due and overdue of the area manager's zones (everything for whoever works for the whole
community). The count links to the task list filtered the same way."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task
from guanjia.estates.selectors.access import is_zone_bound

from .filters import in_my_zones
from .models import CareTask, CareTaskQuerySet


def _bound(q: TaskQuery) -> bool:
    return is_zone_bound(q.user, q.community)


def _due(q: TaskQuery) -> QuerySet[CareTask]:
    rows = cast(CareTaskQuerySet, CareTask.objects.filter(community=q.community))
    rows = rows.due(timezone.localdate(q.now)).select_related("unit")
    return in_my_zones(rows, q.user, _bound(q))


def _title(task: CareTask) -> str:
    return f"{task.unit.room_code} {task.get_kind_display()}"


def _link(task: CareTask) -> str:
    return reverse("vacant:unit-detail", args=[task.vacant_unit_id])


def _list(q: TaskQuery) -> str:
    params: dict[str, Any] = {"timing": "due"}
    if _bound(q):
        params["mine"] = "true"
    return reverse("vacant:task-list") + "?" + urlencode(params)


TASKS = [
    TaskKind(
        code="vacant.care",
        label=_("Vacant-unit care due"),
        perm="vacant.change_caretask",
        items=_due,
        deadline="due_on",
        title=_title,
        link=_link,
        list_url=_list,
        order=60,
    ),
]


def register() -> None:
    """Declare the vacant units' tasks (called once from `VacantConfig.ready`)."""
    for kind in TASKS:
        register_task(kind)
