"""Billing's approvals waiting on the workbench: fee standards and rates, run reversals."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import BillingRun, FeeStandard, RunStatus
from .selectors.standards import standards_awaiting_approval


def _standards(q: TaskQuery) -> QuerySet[FeeStandard]:
    # The proposer never decides (the service refuses it), so their own are not their task.
    return standards_awaiting_approval(q.community).exclude(proposed_by=q.user)


def _reversals(q: TaskQuery) -> QuerySet[BillingRun]:
    # Neither the requester nor the poster of the run may approve its reversal.
    return (
        BillingRun.objects.in_community(q.community)
        .filter(status=RunStatus.REVERSAL_REQUESTED)
        .exclude(reversal_requested_by=q.user)
        .exclude(posted_by=q.user)
        .select_related("fee_item")
    )


def register() -> None:
    register_task(
        TaskKind(
            code="billing.standard_approval",
            label=_("Fee standards and rates to approve"),
            perm="billing.approve_standard",
            items=_standards,
            title=lambda s: str(s),
            link=lambda s: reverse("billing:standard-detail", args=[s.pk]),
            list_url=lambda q: reverse("billing:standard-waiting"),
            order=50,
        )
    )
    register_task(
        TaskKind(
            code="billing.run_reversal",
            label=_("Billing run reversals to approve"),
            perm="billing.approve_run_reversal",
            items=_reversals,
            title=lambda r: f"{r.fee_item} {r.period:%Y-%m}",
            link=lambda r: reverse("billing:run-detail", args=[r.pk]),
            list_url=lambda q: reverse("billing:run-list"),
            order=51,
        )
    )


__all__: list[Any] = ["register"]
