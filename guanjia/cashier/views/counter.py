"""The counter: find a unit, see what it owes, see where a payment goes, take it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.pages import apply_errors, current_community
from guanjia.estates.models import Unit

from .. import services
from ..forms import OpenSessionForm, PaymentForm
from ..selectors import find_units, unit_account

TAKE = "cashier.add_payment"


@require_GET
def counter(request: HttpRequest) -> HttpResponse:
    community = current_community(request, TAKE)
    q = str(request.GET.get("q", ""))[:50]
    return render(
        request,
        "cashier/counter.html",
        {
            "q": q,
            "hits": find_units(request_user(request), community, q) if q.strip() else None,
            "session": services.open_session_of(community, request_user(request)),
            "open_form": OpenSessionForm(),
        },
    )


def _unit(request: HttpRequest, pk: int) -> Unit:
    unit: Unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, TAKE, unit.community)
    return unit


def _page(request: HttpRequest, unit: Unit, form: PaymentForm, status: int = 200) -> HttpResponse:
    account = unit_account(unit, day=timezone.localdate())
    if form.is_bound:  # a refused form shows what is owed now, and confirms against it
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["expected_owed"] = account.fingerprint
        form.data = data
    else:
        form.initial["expected_owed"] = account.fingerprint
    session = services.open_session_of(unit.community, request_user(request))
    context = {"unit": unit, "account": account, "form": form, "session": session}
    return render(request, "cashier/unit_account.html", context, status=status)


def _payment_request(unit: Unit, form: PaymentForm) -> services.PaymentRequest:
    data: dict[str, Any] = form.cleaned_data
    return services.PaymentRequest(
        unit=unit,
        amount=data["amount"],
        method=data["method"],
        idempotency_key=data["idempotency_key"],
        reference=data["reference"],
        tendered=data["tendered"] if data["method"] == "cash" else None,
        payer_name=data["payer_name"],
        prepay_item=data["prepay_item"],
        expected_owed=data["expected_owed"],
    )


@require_GET
def unit_account_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    return _page(request, unit, PaymentForm(community=unit.community))


@require_POST
def payment_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Where every fen of the payment goes, to confirm (nothing is saved)."""
    unit = _unit(request, pk)
    form = PaymentForm(request.POST, community=unit.community)
    if form.is_valid():
        try:
            preview = services.preview_payment(
                request=_payment_request(unit, form), by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(
                request,
                "cashier/payment_confirm.html",
                {"unit": unit, "form": form, "preview": preview},
            )
    return _page(request, unit, form, status=400)


@require_POST
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = PaymentForm(request.POST, community=unit.community)
    if form.is_valid():
        try:
            payment = services.take_payment(
                request=_payment_request(unit, form), by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not getattr(payment, "replayed", False):
                messages.success(request, _("Payment taken: receipt %s.") % payment.receipt.number)
            return redirect("cashier:receipt-detail", pk=payment.receipt.pk)
    return _page(request, unit, form, status=400)
