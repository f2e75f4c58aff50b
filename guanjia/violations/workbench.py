"""The violations' tasks on the workbench (docs/workbench.md): re-checks due (the area
manager's, own zones), violations not corrected to escalate (the supervisor), appeals to
decide (the director). Each count links to the list filtered the same way."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import Violation, ViolationStatus
from .selectors import recheck_rows


def _url(name: str, **params: str) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _rows(q: TaskQuery) -> QuerySet[Violation]:
    return Violation.objects.in_community(q.community).select_related("unit", "kind")


def _title(v: Violation) -> str:
    return f"{v.number} {v.unit.room_code} {v.kind.name}"


def _link(v: Violation) -> str:
    return reverse("violations:violation-detail", args=[v.pk])


def _rechecks(q: TaskQuery) -> QuerySet[Violation]:
    rows = recheck_rows(q.community, q.user).select_related("unit", "kind")
    return rows.filter(deadline__lte=timezone.localdate(q.now))


TASKS = [
    TaskKind(
        code="violation.recheck",
        label=_("Violations to re-check"),
        perm="violations.change_violation",
        items=_rechecks,
        deadline="deadline",
        title=_title,
        link=_link,
        list_url=lambda q: _url("violations:recheck-list", due="true"),
        order=40,
    ),
    TaskKind(
        code="violation.escalate",
        label=_("Violations not corrected: escalate or report"),
        perm="violations.escalate_violation",
        items=lambda q: _rows(q).filter(status=ViolationStatus.NOT_CORRECTED),
        title=_title,
        link=_link,
        list_url=lambda q: _url("violations:violation-list", status="not_corrected"),
        order=41,
    ),
    TaskKind(
        code="violation.appeal",
        label=_("Violation appeals to decide"),
        perm="violations.decide_violation_appeal",
        items=lambda q: _rows(q).filter(appeal_on__isnull=False, appeal_decision=""),
        title=_title,
        link=_link,
        list_url=lambda q: _url("violations:violation-list", appeal_pending="true"),
        order=42,
    ),
]


def register() -> None:
    for kind in TASKS:
        register_task(kind)
