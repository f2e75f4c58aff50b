"""The appraisal tasks on the workbench: self-assessments due (the employee), ratings to do
(the supervisor, or the director when the supervisor is in dispute), reviews (the next level),
HR confirmations and publications, appeals to decide."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import Appraisal, Kind, Status
from .models.appraisals import CONFIRM, RATE, REVIEW, SELF_ASSESSED_KINDS

OWN = "appraisal.view_own_appraisal"


def _rows(q: TaskQuery) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(community=q.community).select_related("employee")


def _self_assessments(q: TaskQuery) -> QuerySet[Appraisal]:
    return _rows(q).filter(status=Status.OPEN, employee=q.user, kind__in=SELF_ASSESSED_KINDS)


def _to_rate(q: TaskQuery) -> QuerySet[Appraisal]:
    ready = Q(status=Status.SELF_ASSESSED) | Q(status=Status.OPEN, kind=Kind.QUARTER)
    return _rows(q).filter(ready).exclude(employee=q.user).exclude(disputed_with=q.user)


def _to_review(q: TaskQuery) -> QuerySet[Appraisal]:
    return _rows(q).filter(status=Status.RATED).exclude(employee=q.user).exclude(rater=q.user)


def _status(status: str) -> Any:
    def rows(q: TaskQuery) -> QuerySet[Appraisal]:
        return _rows(q).filter(status=status).exclude(employee=q.user)

    return rows


def _title(appraisal: Appraisal) -> str:
    return f"{appraisal.employee} · {appraisal.get_kind_display()} {appraisal.period_start:%Y-%m}"


def _list(status: str) -> Any:
    return lambda q: reverse("appraisal:appraisal-list") + f"?status={status}"


def _link(appraisal: Appraisal) -> str:
    return reverse("appraisal:appraisal-detail", args=[appraisal.pk])


def register() -> None:
    kinds = [
        (
            "appraisal.self_assess",
            _("Self-assessments due"),
            OWN,
            _self_assessments,
            lambda q: reverse("appraisal:mine"),
            70,
        ),
        ("appraisal.to_rate", _("Appraisals to rate"), RATE, _to_rate, None, 71),
        (
            "appraisal.to_review",
            _("Appraisals to review"),
            REVIEW,
            _to_review,
            _list(Status.RATED),
            72,
        ),
        (
            "appraisal.to_confirm",
            _("Appraisals for HR to confirm"),
            CONFIRM,
            _status(Status.REVIEWED),
            _list(Status.REVIEWED),
            73,
        ),
        (
            "appraisal.to_publish",
            _("Appraisals to publish"),
            CONFIRM,
            _status(Status.CONFIRMED),
            _list(Status.CONFIRMED),
            74,
        ),
        (
            "appraisal.appeals",
            _("Appraisal appeals to decide"),
            CONFIRM,
            _status(Status.APPEALED),
            _list(Status.APPEALED),
            75,
        ),
    ]
    for code, label, perm, items, list_url, order in kinds:
        register_task(
            TaskKind(
                code=code,
                label=label,
                perm=perm,
                items=items,
                title=_title,
                link=_link,
                list_url=list_url,
                order=order,
                hide_when_empty=code == "appraisal.self_assess",
                deadline="self_assessment_due" if code == "appraisal.self_assess" else None,
            )
        )
