"""The move-in app's tasks on the workbench: defects past their deadline (整改逾期), for
whoever follows defects up; the list is the defect list filtered to overdue ones."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import Defect, DefectStatus


def _overdue(q: TaskQuery) -> QuerySet[Defect]:
    today = timezone.localdate(q.now)
    rows = Defect.objects.filter(
        community=q.community, status=DefectStatus.OPEN, deadline__lt=today
    )
    return rows.select_related("delivery__unit")


def _title(d: Defect) -> str:
    return f"{d.delivery.unit.room_code} {d.room} {d.item}: {d.description[:30]}"


def _link(d: Defect) -> str:
    return reverse("movein:defect-detail", args=[d.pk])


def _list(q: TaskQuery) -> str:
    return reverse("movein:defect-list") + "?overdue=true"


def register() -> None:
    register_task(
        TaskKind(
            code="movein.defects_overdue",
            label=_("Defects past their deadline"),
            perm="movein.change_defect",
            items=_overdue,
            title=_title,
            link=_link,
            list_url=_list,
            deadline="deadline",
            order=60,
        )
    )
