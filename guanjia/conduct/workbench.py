"""The conduct tasks on the workbench: checks and records for the employee to sign, records
whose facts wait for confirmation, records to approve, appeals to decide."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import CheckStatus, ConductRecord, RecordStatus, SpotCheck
from .models.records import AUTHORITY_PERMS, CONFIRM, REVIEW_APPEALS

OWN = "conduct.view_own_records"


def _checks_to_sign(q: TaskQuery) -> QuerySet[SpotCheck]:
    return SpotCheck.objects.in_community(q.community).filter(
        status=CheckStatus.SUBMITTED, employee=q.user
    )


def _records_to_sign(q: TaskQuery) -> QuerySet[ConductRecord]:
    return (
        ConductRecord.objects.in_community(q.community)
        .filter(status=RecordStatus.CONFIRMED, employee=q.user)
        .select_related("level")
    )


def _to_confirm(q: TaskQuery) -> QuerySet[ConductRecord]:
    return (
        ConductRecord.objects.in_community(q.community)
        .filter(status=RecordStatus.PROPOSED)
        .exclude(employee=q.user)
        .select_related("level", "employee")
    )


def _to_approve(q: TaskQuery) -> QuerySet[ConductRecord]:
    # Nobody approves their own record, their own proposal or what they signed for.
    return (
        ConductRecord.objects.in_community(q.community)
        .filter(status=RecordStatus.ACKNOWLEDGED)
        .exclude(employee=q.user)
        .exclude(proposed_by=q.user)
        .exclude(requested_by=q.user)
        .select_related("level", "employee")
    )


def _appeals(q: TaskQuery) -> QuerySet[ConductRecord]:
    return (
        ConductRecord.objects.in_community(q.community)
        .filter(status=RecordStatus.APPEALED)
        .exclude(employee=q.user)
        .exclude(decided_by=q.user)
        .select_related("level", "employee")
    )


def _title(record: ConductRecord) -> str:
    return f"{record.number} {record.level.name} {record.employee}"


def _records(status: str) -> Any:
    return lambda q: reverse("conduct:record-list") + f"?status={status}"


def register() -> None:
    register_task(
        TaskKind(
            code="conduct.check_to_sign",
            label=_("Spot checks to sign"),
            perm=OWN,
            items=_checks_to_sign,
            title=lambda c: c.number,
            link=lambda c: reverse("conduct:check-detail", args=[c.pk]),
            list_url=lambda q: reverse("conduct:mine"),
            order=60,
            hide_when_empty=True,
        )
    )
    register_task(
        TaskKind(
            code="conduct.record_to_sign",
            label=_("Rewards and penalties to sign"),
            perm=OWN,
            items=_records_to_sign,
            title=lambda r: f"{r.number} {r.level.name}",
            link=lambda r: reverse("conduct:record-detail", args=[r.pk]),
            list_url=lambda q: reverse("conduct:mine"),
            order=61,
            hide_when_empty=True,
        )
    )
    register_task(
        TaskKind(
            code="conduct.to_confirm",
            label=_("Rewards and penalties whose facts to confirm"),
            perm=CONFIRM,
            items=_to_confirm,
            title=_title,
            link=lambda r: reverse("conduct:record-detail", args=[r.pk]),
            list_url=_records(RecordStatus.PROPOSED),
            order=62,
        )
    )
    register_task(
        TaskKind(
            code="conduct.to_approve",
            label=_("Rewards and penalties to approve"),
            perm=tuple(AUTHORITY_PERMS.values()),
            items=_to_approve,
            title=_title,
            link=lambda r: reverse("conduct:record-detail", args=[r.pk]),
            list_url=_records(RecordStatus.ACKNOWLEDGED),
            order=63,
        )
    )
    register_task(
        TaskKind(
            code="conduct.appeals",
            label=_("Appeals against penalties to decide"),
            perm=REVIEW_APPEALS,
            items=_appeals,
            title=_title,
            link=lambda r: reverse("conduct:record-detail", args=[r.pk]),
            list_url=_records(RecordStatus.APPEALED),
            order=64,
        )
    )
