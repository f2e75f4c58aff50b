"""The patrols' tasks on the workbench (工作台): my patrols to walk, findings to act on.
Each kind is one query; its count links to the list of the same rows (docs/workbench.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import OPEN_PATROL_STATUSES, Finding, FindingStatus, Patrol


def _my_patrols(q: TaskQuery) -> QuerySet[Patrol]:
    today = timezone.localdate(q.now)
    return (
        Patrol.objects.in_community(q.community)
        .filter(patroller=q.user, day=today, status__in=OPEN_PATROL_STATUSES)
        .select_related("zone")
    )


def _open_findings(q: TaskQuery) -> QuerySet[Finding]:
    return Finding.objects.in_community(q.community).filter(status=FindingStatus.OPEN)


KINDS = [
    TaskKind(
        code="patrol.today",
        label=_("My patrols today"),
        perm="patrols.walk_patrol",
        items=_my_patrols,
        deadline="day",
        title=lambda p: str(p),
        link=lambda p: reverse("patrols:patrol-walk", args=[p.pk]),
        list_url=lambda q: reverse("patrols:today"),
        order=40,
    ),
    TaskKind(
        code="patrol.findings",
        label=_("Findings to act on"),
        perm="patrols.change_finding",
        items=_open_findings,
        deadline="found_on",
        title=lambda f: f.description[:40],
        link=lambda f: reverse("patrols:finding-detail", args=[f.pk]),
        list_url=lambda q: reverse("patrols:finding-list") + "?" + urlencode({"status": "open"}),
        order=41,
    ),
]


def register() -> None:
    for kind in KINDS:
        register_task(kind)
