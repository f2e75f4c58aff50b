"""Receipts and payments: lists, a receipt's page, its print and PDF, void, and the public
verification page its QR code opens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.services import pdf_response, render_pdf
from guanjia.core.pages import CommunityListView, submit

from .. import services
from ..filters import PaymentFilter, ReceiptFilter
from ..forms import DecisionForm, ReasonForm, ReversalForm
from ..models import Payment, PaymentReversal, Receipt, ReceiptStatus, ReversalStatus, SessionStatus

VIEW = "cashier.view_receipt"


class PaymentList(CommunityListView):
    model = Payment
    perm = "cashier.view_payment"
    filterset_class = PaymentFilter
    related = ("unit__building", "unit__entrance", "receipt", "created_by")
    template_name = "cashier/payment_list.html"


class ReceiptList(CommunityListView):
    model = Receipt
    perm = VIEW
    filterset_class = ReceiptFilter
    related = ("payment__unit__building", "payment__unit__entrance", "payment__created_by")
    template_name = "cashier/receipt_list.html"


def _receipt(request: HttpRequest, pk: int) -> Receipt:
    base = Receipt.objects.select_related(
        "community__company",
        "payment__unit__building",
        "payment__unit__entrance",
        "payment__session",
        "payment__created_by",
        "voided_by",
    )
    receipt: Receipt = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, receipt.community)
    return receipt


def receipt_context(receipt: Receipt, request: HttpRequest) -> dict[str, Any]:
    lines = list(receipt.payment.lines.select_related("fee_item").order_by("position"))
    verify = request.build_absolute_uri(
        reverse("cashier:receipt-verify", kwargs={"token": receipt.token})
    )
    return {
        "receipt": receipt,
        "payment": receipt.payment,
        "lines": lines,
        "in_words": services.amount_in_words(receipt.payment.amount),
        "verify_url": verify,
    }


@require_GET
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = _receipt(request, pk)
    context = receipt_context(receipt, request)
    context["events"] = receipt.events.select_related("actor")
    context["can_void"] = workflows.can_transition(
        receipt, ReceiptStatus.VOID, by=request_user(request)
    )
    context["void_form"] = ReasonForm()
    context.update(_reversal_context(receipt, request_user(request)))
    return render(request, "cashier/receipt_detail.html", context)


def _reversal_context(receipt: Receipt, user: Any, **forms: Any) -> dict[str, Any]:
    """The reversal (冲红) part of a receipt's page: the one asked for, and the moves the user
    may make now."""
    reversal = PaymentReversal.objects.filter(payment=receipt.payment_id).first()
    can_ask = receipt.status == ReceiptStatus.VALID and (
        (reversal is None and has_perm_in(user, "cashier.add_payment", receipt.community_id))
        or (
            reversal is not None
            and workflows.can_transition(reversal, ReversalStatus.REQUESTED, by=user)
        )
    )
    can_decide = reversal is not None and workflows.can_transition(
        reversal, ReversalStatus.APPROVED, by=user
    )
    return {
        "reversal": reversal,
        "reversal_events": reversal.events.select_related("actor") if reversal else [],
        "can_ask_reversal": can_ask and receipt.payment.session.status != SessionStatus.OPEN,
        "can_decide_reversal": can_decide,
        "reversal_form": forms.get("reversal_form") or ReversalForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
    }


def _refused(request: HttpRequest, receipt: Receipt, **forms: Any) -> HttpResponse:
    context = receipt_context(receipt, request)
    context.update(
        void_form=ReasonForm(),
        can_void=False,
        events=receipt.events.select_related("actor"),
        **_reversal_context(receipt, request_user(request), **forms),
    )
    return render(request, "cashier/receipt_detail.html", context, status=400)


@require_POST
def receipt_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the receipt's payment to be reversed (冲红): a different person decides."""
    receipt = _receipt(request, pk)
    form = ReversalForm(request.POST)

    def act() -> None:
        services.request_reversal(
            payment=receipt.payment,
            cause=form.cleaned_data["cause"],
            reason=form.cleaned_data["reason"],
            by=request_user(request),
        )

    done = _("Reversal asked for: a different person decides it.")
    if form.is_valid() and submit(request, form, act, done):
        return redirect("cashier:receipt-detail", pk=receipt.pk)
    return _refused(request, receipt, reversal_form=form)


@require_POST
def receipt_reversal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the reversal asked for (the entries are reversed) or reject it."""
    receipt = _receipt(request, pk)
    reversal = PaymentReversal.objects.filter(payment=receipt.payment_id).first()
    if reversal is None:
        raise Http404
    form = DecisionForm(request.POST)

    def act() -> None:
        services.decide_reversal(
            reversal=reversal,
            approve=form.cleaned_data["approve"],
            reason=form.cleaned_data["reason"],
            by=request_user(request),
        )

    if form.is_valid() and submit(request, form, act, _("Decision recorded.")):
        return redirect("cashier:receipt-detail", pk=receipt.pk)
    return _refused(request, receipt, decision_form=form)


@require_GET
def receipt_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The A5 receipt; the first print is the original, every later one says 副本 (copy).
    `?format=pdf` is the same page as a PDF (and counts as a print)."""
    receipt = _receipt(request, pk)
    context = receipt_context(receipt, request)
    context["is_copy"] = services.record_print(receipt=receipt, by=request_user(request))
    if request.GET.get("format") == "pdf":
        pdf = render_pdf(
            "cashier/receipt_print.html", context, community=receipt.community, request=request
        )
        return pdf_response(pdf, f"{receipt.number}.pdf")
    return render(request, "cashier/receipt_print.html", context)


@require_POST
def receipt_void(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = _receipt(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.void_receipt(
                receipt=receipt, reason=form.cleaned_data["reason"], by=request_user(request)
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("cashier:receipt-detail", pk=receipt.pk)
        messages.success(request, _("Receipt %s is void.") % receipt.number)
        return redirect("cashier:receipt-detail", pk=receipt.pk)
    context = receipt_context(receipt, request)
    context.update(void_form=form, can_void=True, events=receipt.events.select_related("actor"))
    return render(request, "cashier/receipt_detail.html", context, status=400)


@login_not_required
@require_GET
def receipt_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the printed QR code: the receipt's number, date, amount and status,
    nothing personal. The token is unguessable; an unknown one is a 404."""
    if len(token) > 40:
        raise Http404
    receipt = (
        Receipt.objects.filter(token=token)
        .select_related("community", "payment")
        .only(
            "number",
            "status",
            "created_at",
            "community__name",
            "payment__amount",
        )
        .first()
    )
    if receipt is None:
        raise Http404
    return render(request, "cashier/receipt_verify.html", {"receipt": receipt})
