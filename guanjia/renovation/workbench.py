"""The renovation tasks on the workbench (docs/workbench.md): applications to review (reply
deadline on the working-day calendar), engineering opinions, due site inspections (an area
manager's own zones), acceptances, refunds to decide and to pay."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import IN_REVIEW, RefundStatus, RenoStatus, Renovation
from .selectors import due_inspections

S = RenoStatus


def _url(name: str, **params: str) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _rows(q: TaskQuery) -> QuerySet[Renovation]:
    return Renovation.objects.in_community(q.community).select_related("unit")


def _title(r: Renovation) -> str:
    return f"{r.number} {r.unit.room_code}"


def _link(r: Renovation) -> str:
    return reverse("renovation:renovation-detail", args=[r.pk])


TASKS = [
    TaskKind(
        code="renovation.review",
        label=_("Renovation applications to review"),
        perm="renovation.review_renovation",
        items=lambda q: _rows(q).filter(status__in=IN_REVIEW),
        deadline="review_due_on",
        title=_title,
        link=_link,
        list_url=lambda q: _url("renovation:renovation-list", status=S.UNDER_REVIEW),
        order=40,
    ),
    TaskKind(
        code="renovation.engineering",
        label=_("Renovation plans awaiting engineering's opinion"),
        perm="renovation.engineering_review",
        items=lambda q: _rows(q).filter(status=S.UNDER_REVIEW, engineering_opinion=""),
        deadline="review_due_on",
        title=_title,
        link=_link,
        list_url=lambda q: _url("renovation:renovation-list", status=S.UNDER_REVIEW),
        order=41,
    ),
    TaskKind(
        code="renovation.inspect",
        label=_("Renovation sites to inspect"),
        perm="renovation.inspect_renovation",
        items=lambda q: due_inspections(q.user, q.community, timezone.localdate(q.now)),
        deadline="next_inspection_on",
        title=_title,
        link=_link,
        list_url=lambda q: _url("renovation:due-inspections"),
        order=42,
    ),
    TaskKind(
        code="renovation.accept",
        label=_("Renovations to accept"),
        perm="renovation.engineering_review",
        items=lambda q: _rows(q).filter(status=S.COMPLETION_REQUESTED),
        deadline="completion_requested_on",
        title=_title,
        link=_link,
        list_url=lambda q: _url("renovation:renovation-list", status=S.COMPLETION_REQUESTED),
        order=43,
    ),
    TaskKind(
        code="renovation.refund_decide",
        label=_("Renovation deposit refunds to approve"),
        perm="renovation.decide_refund",
        items=lambda q: _rows(q).filter(refund__status=RefundStatus.REQUESTED),
        title=_title,
        link=_link,
        list_url=lambda q: _url("renovation:renovation-list", refund=RefundStatus.REQUESTED),
        order=44,
    ),
    TaskKind(
        code="renovation.refund_pay",
        label=_("Renovation deposit refunds to pay"),
        perm="renovation.pay_refund",
        items=lambda q: _rows(q).filter(refund__status=RefundStatus.APPROVED),
        title=_title,
        link=_link,
        list_url=lambda q: _url("renovation:renovation-list", refund=RefundStatus.APPROVED),
        order=45,
    ),
]


def register() -> None:
    for kind in TASKS:
        register_task(kind)


__all__: list[Any] = ["register"]
