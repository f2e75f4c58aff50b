"""Billing runs: list, preview, post, a run's page, its reversal, and month close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.models import Community
from guanjia.core.pages import current_community

from .. import services
from ..forms import MonthCloseForm, ReasonForm, RunForm, RunPostForm
from ..models import BillingRun, MonthClose
from .common import error_list


@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.view_billingrun")
    runs = BillingRun.objects.in_community(community).select_related("fee_item", "posted_by")
    closes = MonthClose.objects.in_community(community)[:12]
    return render(
        request,
        "billing/billingrun_list.html",
        {
            "runs": runs[:50],
            "closes": closes,
            "close_form": MonthCloseForm(),
            "can_close": has_perm_in(request.user, "billing.add_monthclose", community),
        },
    )


def _preview_page(
    request: HttpRequest,
    community: Community,
    form: RunForm,
    errors: list[str] | None = None,
    post_form: RunPostForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The preview of the form's month and fee item (when the form is valid), with the
    confirmation form that posts exactly it."""
    preview, errors = None, list(errors or [])
    if form.is_valid():
        try:
            preview = services.preview_run(community=community, **form.cleaned_data)
        except ValidationError as exc:
            errors += error_list(exc)
    if preview is not None and post_form is None:
        post_form = RunPostForm(
            community=community,
            initial={
                "period": f"{preview.period:%Y-%m}",
                "fee_item": preview.fee_item.pk,
                "fingerprint": preview.fingerprint,
            },
        )
    return render(
        request,
        "billing/billingrun_preview.html",
        {"form": form, "preview": preview, "errors": errors, "post_form": post_form},
        status=status,
    )


@require_GET
def run_preview(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.add_billingrun")
    return _preview_page(request, community, RunForm(request.GET or None, community=community))


@require_POST
def run_post(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.add_billingrun")
    form = RunPostForm(request.POST, community=community)
    chosen = RunForm(request.POST, community=community)
    if not form.is_valid():
        if not chosen.is_valid():
            return render(request, "billing/billingrun_preview.html", {"form": chosen}, status=400)
        return _preview_page(request, community, chosen, post_form=form, status=400)
    data = {
        "community": community,
        "by": request_user(request),
        "period": form.cleaned_data["period"],
        "fee_item": form.cleaned_data["fee_item"],
        "fingerprint": form.cleaned_data["fingerprint"],
    }
    try:
        if services.is_large_run(community):
            job = services.start_run(**data)
            return redirect("jobs:jobrun-detail", pk=job.pk)
        result = services.post_run(**data)
    except ValidationError as exc:
        # Show the preview as it is now, so the cashier sees what changed.
        return _preview_page(request, community, chosen, errors=error_list(exc), status=400)
    messages.success(request, result.message)
    return redirect("billing:run-detail", pk=result.run.pk)


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(BillingRun.objects.select_related("fee_item"), request.user, pk=pk)
    require_perm(request.user, "billing.view_billingrun", run.community)
    entries = run.entries.select_related("unit", "fee_item").order_by("unit__sort_key", "pk")
    return render(
        request,
        "billing/billingrun_detail.html",
        {
            "run": run,
            "entries": entries[:200],
            "reason_form": ReasonForm(),
            "can_request": has_perm_in(request.user, "billing.add_billingrun", run.community),
            "can_approve": has_perm_in(request.user, "billing.approve_run_reversal", run.community),
        },
    )


def _run_action(request: HttpRequest, pk: int, perm: str) -> BillingRun:
    run = get_visible_or_404(BillingRun, request.user, pk=pk)
    require_perm(request.user, perm, run.community)
    return run  # type: ignore[no-any-return]


@require_POST
def run_request_reversal(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_action(request, pk, "billing.add_billingrun")
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a reason for the reversal."))
        services.request_run_reversal(run=run, by=request_user(request), **form.cleaned_data)
    except ValidationError as exc:
        for message in error_list(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Reversal requested: the director approves it."))
    return redirect("billing:run-detail", pk=run.pk)


@require_POST
def run_approve_reversal(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_action(request, pk, "billing.approve_run_reversal")
    try:
        services.approve_run_reversal(run=run, by=request_user(request))
    except ValidationError as exc:
        for message in error_list(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The run is reversed."))
    return redirect("billing:run-detail", pk=run.pk)


@require_POST
def month_close(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.add_monthclose")
    form = MonthCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["period"]))
        services.close_month(community=community, by=request_user(request), **form.cleaned_data)
    except ValidationError as exc:
        for message in error_list(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Month closed."))
    return redirect("billing:run-list")
