"""The deposit register (押金台账) and one deposit's page: received at the counter, its
settlement asked for, decided by a different person, paid out to the payer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core import workflows
from guanjia.core.access import request_user
from guanjia.core.pages import (
    CommunityActionView,
    CommunityDetailView,
    CommunityListView,
    current_community,
    submit,
)

from .. import services
from ..filters import DepositFilter
from ..forms import DecisionForm, DepositForm, PayOutForm, SettlementForm
from ..models import Deposit, DepositKind, DepositStatus

VIEW = "cashier.view_deposit"
ADD = "cashier.add_deposit"
TEMPLATE = "cashier/deposit_detail.html"


class DepositList(CommunityListView):
    """The register: every deposit of the community, with the totals held by type."""

    model = Deposit
    perm = VIEW
    add_perm = ADD
    filterset_class = DepositFilter
    related = ("unit__building", "unit__entrance", "payment__receipt")
    template_name = "cashier/deposit_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        held = (
            Deposit.objects.in_community(self.community)
            .filter(
                status__in=(DepositStatus.HELD, DepositStatus.REQUESTED, DepositStatus.APPROVED)
            )
            .values("kind")
            .annotate(count=Count("pk"), total=Sum("amount"))
            .order_by("kind")
        )
        labels = dict(DepositKind.choices)
        rows = [(labels.get(row["kind"], row["kind"]), row["count"], row["total"]) for row in held]
        context["held"] = rows
        context["held_total"] = sum((total for _label, _count, total in rows), Decimal("0.00"))
        return context


def deposit_take(request: HttpRequest) -> HttpResponse:
    """Receive a deposit into the cashier's open day; its receipt follows."""
    community = current_community(request, ADD)
    form = DepositForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        taken: list[Deposit] = []

        def act() -> None:
            taken.append(
                services.take_deposit(
                    unit=data["room"],
                    kind=data["kind"],
                    amount=data["amount"],
                    method=data["method"],
                    reference=data["reference"],
                    payer_name=data["payer_name"],
                    purpose=data["purpose"],
                    idempotency_key=data["idempotency_key"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Deposit received: give the payer the receipt.")):
            return redirect("cashier:receipt-detail", pk=taken[0].payment.receipt.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "cashier/deposit_form.html", {"form": form, "community": community}, status=status
    )


def _deposit_context(deposit: Deposit, user: Any, **forms: BaseForm) -> dict[str, Any]:
    """What the deposit's page shows: the deductions, the history, the moves the user may
    make now, and their forms (bound with errors when one was refused)."""
    return {
        "object": deposit,
        "deposit": deposit,
        "community": deposit.community,
        "deductions": list(deposit.deductions.all()),
        "events": deposit.events.select_related("actor"),
        "can_request": workflows.can_transition(deposit, DepositStatus.REQUESTED, by=user),
        "can_decide": workflows.can_transition(deposit, DepositStatus.APPROVED, by=user)
        or workflows.can_transition(deposit, DepositStatus.HELD, by=user),
        "can_pay": workflows.can_transition(deposit, DepositStatus.SETTLED, by=user),
        "settle_form": forms.get("settle_form") or SettlementForm(),
        "decide_form": forms.get("decide_form") or DecisionForm(),
        "pay_form": forms.get("pay_form") or PayOutForm(),
    }


class DepositDetail(CommunityDetailView):
    model, perm, template_name = Deposit, VIEW, TEMPLATE
    related = ("unit__building", "unit__entrance", "payment__receipt", "requested_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _deposit_context(self.object, request_user(self.request))


class _DepositAction(CommunityActionView):
    model, perm, template_name = Deposit, VIEW, TEMPLATE
    related = ("unit__building", "unit__entrance", "payment__receipt")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _deposit_context(self.object, request_user(self.request), **kwargs)

    def get_success_url(self) -> str:
        return reverse("cashier:deposit-detail", args=[self.object.pk])


class DepositRequestSettlement(_DepositAction):
    form_class, form_context_name = SettlementForm, "settle_form"
    success_message = gettext_lazy("Settlement asked for: a different person decides it.")

    def perform(self, obj: Deposit, form: Any) -> Deposit:
        return services.request_settlement(
            deposit=obj,
            deductions=form.cleaned_data["deductions"],
            note=form.cleaned_data["note"],
            by=request_user(self.request),
        )


class DepositDecide(_DepositAction):
    form_class, form_context_name = DecisionForm, "decide_form"
    success_message = gettext_lazy("Decision recorded.")

    def perform(self, obj: Deposit, form: Any) -> Deposit:
        return services.decide_settlement(
            deposit=obj,
            approve=form.cleaned_data["approve"],
            reason=form.cleaned_data["reason"],
            reference=form.cleaned_data["reference"],
            by=request_user(self.request),
        )


class DepositPayOut(_DepositAction):
    form_class, form_context_name = PayOutForm, "pay_form"
    success_message = gettext_lazy("Deposit settled: the refund is paid to the payer.")

    def perform(self, obj: Deposit, form: Any) -> Deposit:
        return services.pay_out(
            deposit=obj,
            receipt_number=form.cleaned_data["receipt_number"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
            by=request_user(self.request),
        )
