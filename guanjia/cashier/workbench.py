"""The cashier's tasks on the workbench: reversals (冲红) and deposit settlements to decide,
deposit refunds to pay out."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import (
    CLOSED_STAGES,
    ArrearsCase,
    Deposit,
    DepositStatus,
    PaymentPromise,
    PaymentReversal,
    ReversalStatus,
)
from .selectors.dunning import cases_for, missed_promises


def _to_decide(q: TaskQuery) -> QuerySet[Deposit]:
    # The requester never decides (the workflow refuses it): not their task.
    return (
        Deposit.objects.in_community(q.community)
        .filter(status=DepositStatus.REQUESTED)
        .exclude(requested_by=q.user)
        .select_related("unit")
    )


def _to_pay(q: TaskQuery) -> QuerySet[Deposit]:
    return (
        Deposit.objects.in_community(q.community)
        .filter(status=DepositStatus.APPROVED)
        .select_related("unit")
    )


def _reversals(q: TaskQuery) -> QuerySet[PaymentReversal]:
    # Neither the requester nor the cashier who took the payment decides.
    return (
        PaymentReversal.objects.in_community(q.community)
        .filter(status=ReversalStatus.REQUESTED)
        .exclude(requested_by=q.user)
        .exclude(payment__created_by=q.user)
        .select_related("payment__unit", "payment__receipt")
    )


def _title(deposit: Deposit) -> str:
    return f"{deposit.unit.room_code} {deposit.get_kind_display()} {deposit.payer_name}"


def _list(status: str) -> Any:
    return lambda q: f"{reverse('cashier:deposit-list')}?status={status}"


def _cases_due(q: TaskQuery) -> QuerySet[ArrearsCase]:
    """Open cases whose step's deadline passed, not paused by a dispute (an area manager:
    their zones)."""
    return (
        cases_for(q.user, q.community)
        .filter(deadline__lt=timezone.localdate(), disputed=False)
        .exclude(status__in=CLOSED_STAGES)
        .select_related("unit")
        .order_by("deadline", "pk")
    )


def _promises_missed(q: TaskQuery) -> QuerySet[ArrearsCase]:
    missed = missed_promises(PaymentPromise.objects.all(), timezone.localdate()).values("case_id")
    return (
        cases_for(q.user, q.community)
        .filter(pk__in=missed)
        .exclude(status__in=CLOSED_STAGES)
        .select_related("unit")
        .order_by("pk")
    )


def _case_title(case: ArrearsCase) -> str:
    return f"{case.unit.room_code} {case.get_status_display()}"


def register() -> None:
    register_task(
        TaskKind(
            code="cashier.dunning_due",
            label=_("Arrears reminders due"),
            perm="cashier.change_arrearscase",
            items=_cases_due,
            title=_case_title,
            link=lambda c: reverse("cashier:case-detail", args=[c.pk]),
            list_url=lambda q: f"{reverse('cashier:case-list')}?due=true",
            deadline="deadline",
            order=54,
        )
    )
    register_task(
        TaskKind(
            code="cashier.promise_missed",
            label=_("Promises to pay missed"),
            perm="cashier.change_arrearscase",
            items=_promises_missed,
            title=_case_title,
            link=lambda c: reverse("cashier:case-detail", args=[c.pk]),
            list_url=lambda q: f"{reverse('cashier:case-list')}?missed=true",
            order=55,
        )
    )
    register_task(
        TaskKind(
            code="cashier.reversal_decision",
            label=_("Payment reversals (冲红) to decide"),
            perm="cashier.approve_payment_reversal",
            items=_reversals,
            title=lambda r: (
                f"{r.payment.receipt.number} {r.payment.unit.room_code} {r.payment.amount}"
            ),
            link=lambda r: reverse("cashier:receipt-detail", args=[r.payment.receipt.pk]),
            list_url=lambda q: f"{reverse('cashier:receipt-list')}?status=valid",
            order=51,
        )
    )
    register_task(
        TaskKind(
            code="cashier.deposit_decision",
            label=_("Deposit settlements to decide"),
            perm="cashier.approve_deposit_settlement",
            items=_to_decide,
            title=_title,
            link=lambda d: reverse("cashier:deposit-detail", args=[d.pk]),
            list_url=_list(DepositStatus.REQUESTED),
            order=52,
        )
    )
    register_task(
        TaskKind(
            code="cashier.deposit_refund",
            label=_("Deposit refunds to pay out"),
            perm="cashier.add_deposit",
            items=_to_pay,
            title=_title,
            link=lambda d: reverse("cashier:deposit-detail", args=[d.pk]),
            list_url=_list(DepositStatus.APPROVED),
            order=53,
        )
    )
