"""The non-resident violations' tasks on the workbench (docs/workbench.md): records to verify
(security, area managers), sanctions to decide (the supervisor; the director sees them too),
parties to notify, sanctions to execute, appeals to decide (the director), records to close
once the appeal period is over. Each count links to the list filtered the same way."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import Breach, BreachStatus

S = BreachStatus


def _rows(q: TaskQuery, status: str) -> QuerySet[Breach]:
    return (
        Breach.objects.in_community(q.community)
        .filter(status=status)
        .select_related("kind")
        .order_by("occurred_at", "pk")
    )


def _title(b: Breach) -> str:
    who = b.person_name or str(b.get_person_kind_display())
    return f"{b.number} {who} {b.kind.name}"


def _link(b: Breach) -> str:
    return reverse("sanctions:breach-detail", args=[b.pk])


def _list(status: str) -> str:
    return reverse("sanctions:breach-list") + "?" + urlencode({"status": status})


def _kind(code: str, label: object, perm: str, status: str, order: int) -> TaskKind:
    return TaskKind(
        code=code,
        label=label,  # type: ignore[arg-type]
        perm=perm,
        items=lambda q: _rows(q, status),
        deadline="occurred_at",
        title=_title,
        link=_link,
        list_url=lambda q: _list(status),
        order=order,
    )


TASKS = [
    _kind(
        "sanction.verify",
        _("Non-resident violations to verify"),
        "sanctions.change_breach",
        S.REPORTED,
        50,
    ),
    _kind("sanction.decide", _("Sanctions to decide"), "sanctions.decide_breach", S.VERIFIED, 51),
    _kind(
        "sanction.notify",
        _("Sanctions to notify to the contractor and owner"),
        "sanctions.change_breach",
        S.DECIDED,
        52,
    ),
    _kind(
        "sanction.execute", _("Sanctions to execute"), "sanctions.execute_breach", S.NOTIFIED, 53
    ),
    _kind(
        "sanction.appeal",
        _("Sanction appeals to decide"),
        "sanctions.decide_breach_appeal",
        S.APPEALED,
        54,
    ),
    _kind(
        "sanction.close",
        _("Executed sanctions to close"),
        "sanctions.decide_breach",
        S.EXECUTED,
        55,
    ),
]


def register() -> None:
    for kind in TASKS:
        register_task(kind)
