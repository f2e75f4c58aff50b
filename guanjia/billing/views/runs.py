"""Billing runs: list, preview, post, a run's page, its reversal, and month close."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import has_perm_in, request_user
from guanjia.core.models import Community
from guanjia.core.pages import (
    CommunityActionView,
    CommunityDetailView,
    CommunityListView,
    current_community,
    paginate,
    query_without_page,
    submit,
)

from .. import filters, services
from ..forms import MonthCloseForm, ReasonForm, RunForm, RunPostForm
from ..models import BillingRun, MonthClose
from .common import error_list


class RunList(CommunityListView):
    """The community's runs, PAGE_SIZE a page, newest month first, filtered by RunFilter;
    below them the month close form."""

    model = BillingRun
    perm = "billing.view_billingrun"
    filterset_class = filters.RunFilter
    related = ("fee_item", "posted_by")
    template_name = "billing/billingrun_list.html"
    context_object_name = "runs"

    def base_queryset(self) -> Any:
        # Ids, not the model's ordering by community and fee item (joins sorting by names).
        return super().base_queryset().order_by("-period", "fee_item_id", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_close_context(self.request, self.community))
        return context


def _close_context(
    request: HttpRequest, community: Community, form: MonthCloseForm | None = None
) -> dict[str, Any]:
    return {
        "closes": MonthClose.objects.in_community(community)[:12],  # the latest twelve
        "close_form": form or MonthCloseForm(),
        "can_close": has_perm_in(request.user, "billing.add_monthclose", community),
    }


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


def _run_context(request: HttpRequest, run: BillingRun) -> dict[str, Any]:
    """A run's page: its lines PAGE_SIZE a page in room order (RunLineFilter), what the
    viewer may do, the reversal forms."""
    entries = run.entries.select_related("unit", "fee_item").order_by("unit__sort_key", "pk")
    lines = filters.RunLineFilter(request.GET or None, queryset=entries)
    rows = lines.qs if not lines.is_bound or lines.is_valid() else entries.none()
    page = paginate(request, rows)
    return {
        "run": run,
        "object": run,
        "entries": page.object_list,
        "page_obj": page,
        "filter": lines,
        "query": query_without_page(request),
        "reason_form": ReasonForm(),
        "approve_form": Form(),
        "can_request": has_perm_in(request.user, "billing.add_billingrun", run.community),
        "can_approve": has_perm_in(request.user, "billing.approve_run_reversal", run.community),
    }


class RunDetail(CommunityDetailView):
    model = BillingRun
    perm = "billing.view_billingrun"
    related = ("fee_item", "community")
    template_name = "billing/billingrun_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _run_context(self.request, self.object)


class RunAction(CommunityActionView):
    """A reversal step on a run; refused, the run's page again with the reason (400)."""

    model = BillingRun
    related = ("fee_item", "community")
    template_name = "billing/billingrun_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**_run_context(self.request, self.object), **kwargs}

    def get_success_url(self) -> str:
        return reverse("billing:run-detail", args=[self.object.pk])


class RunRequestReversal(RunAction):
    perm = "billing.add_billingrun"
    form_class = ReasonForm
    form_context_name = "reason_form"
    success_message = gettext_lazy("Reversal requested: the director approves it.")

    def perform(self, obj: BillingRun, form: Any) -> Any:
        by = request_user(self.request)
        return services.request_run_reversal(run=obj, by=by, **form.cleaned_data)


class RunApproveReversal(RunAction):
    perm = "billing.approve_run_reversal"
    form_context_name = "approve_form"
    success_message = gettext_lazy("The run is reversed.")

    def perform(self, obj: BillingRun, form: Any) -> Any:
        return services.approve_run_reversal(run=obj, by=request_user(self.request))


@require_POST
def month_close(request: HttpRequest) -> HttpResponse:
    """Close a month; refused, the run list again with the form's errors (400)."""
    community = current_community(request, "billing.add_monthclose")
    form = MonthCloseForm(request.POST)
    by = request_user(request)
    close = partial(services.close_month, community=community, by=by)
    if submit(request, form, lambda: close(**form.cleaned_data), _("Month closed.")):
        return redirect("billing:run-list")
    runs = BillingRun.objects.in_community(community).select_related("fee_item", "posted_by")
    runs = runs.order_by("-period", "fee_item_id", "pk")
    filterset = filters.RunFilter(None, queryset=runs, community=community)
    page = paginate(request, filterset.qs)
    context = {
        "runs": page.object_list,
        "page_obj": page,
        "filter": filterset,
        "query": "",
        **_close_context(request, community, form),
    }
    return render(request, "billing/billingrun_list.html", context, status=400)


run_list = RunList.as_view()
run_detail = RunDetail.as_view()
run_request_reversal = RunRequestReversal.as_view()
run_approve_reversal = RunApproveReversal.as_view()
