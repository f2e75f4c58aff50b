"""Billing pages: fee items, standards and rates, runs (preview, post, reverse), month close,
unit statements, a unit's fee exceptions, flagged meter readings. Each view: permission,
scoped object, form, one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.accounts.selectors import (
    get_visible_or_404,
    has_perm_in,
    request_user,
    require_perm,
)
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.models import Community
from guanjia.estates.models import Unit

from . import services
from .forms import (
    FeeItemForm,
    FeeStandardForm,
    MonthCloseForm,
    RateVersionForm,
    ReadingForm,
    ReasonForm,
    RunForm,
    UnitExceptionForm,
)
from .models import (
    BillingRun,
    FeeItem,
    FeeStandard,
    MeterReading,
    MonthClose,
    UnitFeeException,
)
from .selectors import unit_statement
from .services.meters import confirm_reading, record_reading


def _community(request: HttpRequest, perm: str) -> Community:
    community: Community | None = getattr(request, "community", None)
    if community is None:
        raise PermissionDenied
    require_perm(request.user, perm, community)
    return community


def _errors(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


@require_GET
def feeitem_list(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.view_feeitem")
    items = FeeItem.objects.filter(company_id=community.company_id)
    return render(request, "billing/feeitem_list.html", {"items": items})


@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.view_feestandard")
    standards = (
        FeeStandard.objects.in_community(community)
        .select_related("fee_item")
        .prefetch_related("versions")
    )
    return render(request, "billing/feestandard_list.html", {"standards": standards})


@require_GET
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_visible_or_404(FeeStandard, request.user, pk=pk)
    require_perm(request.user, "billing.view_feestandard", standard.community)
    return _standard_page(request, standard, RateVersionForm())


def _standard_page(
    request: HttpRequest, standard: FeeStandard, form: RateVersionForm
) -> HttpResponse:
    can_add = has_perm_in(request.user, "billing.add_feestandardversion", standard.community)
    context = {
        "standard": standard,
        "versions": standard.versions.all(),
        "form": form,
        "can_add": can_add,
    }
    return render(
        request, "billing/feestandard_detail.html", context, status=400 if form.errors else 200
    )


@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_visible_or_404(FeeStandard, request.user, pk=pk)
    require_perm(request.user, "billing.add_feestandardversion", standard.community)
    form = RateVersionForm(request.POST)
    if form.is_valid():
        try:
            services.change_rate(standard=standard, by=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rate saved."))
            return redirect("billing:standard-detail", pk=standard.pk)
    return _standard_page(request, standard, form)


@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.view_billingrun")
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


@require_GET
def run_preview(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.add_billingrun")
    form = RunForm(request.GET or None, community=community)
    preview, errors = None, []
    if form.is_valid():
        try:
            preview = services.preview_run(community=community, **form.cleaned_data)
        except ValidationError as exc:
            errors = _errors(exc)
    return render(
        request,
        "billing/billingrun_preview.html",
        {"form": form, "preview": preview, "errors": errors},
    )


@require_POST
def run_post(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.add_billingrun")
    form = RunForm(request.POST, community=community)
    if not form.is_valid():
        return render(request, "billing/billingrun_preview.html", {"form": form}, status=400)
    try:
        if services.is_large_run(community):
            job = services.start_run(
                community=community, by=request_user(request), **form.cleaned_data
            )
            return redirect("jobs:jobrun-detail", pk=job.pk)
        result = services.post_run(
            community=community, by=request_user(request), **form.cleaned_data
        )
    except ValidationError as exc:
        return render(
            request,
            "billing/billingrun_preview.html",
            {"form": form, "errors": _errors(exc)},
            status=400,
        )
    messages.success(request, result.message)
    return redirect("billing:run-detail", pk=result.run.pk)


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(BillingRun.objects.select_related("fee_item"), request.user, pk=pk)
    require_perm(request.user, "billing.view_billingrun", run.community)
    entries = run.entries.select_related("unit", "fee_item").order_by("unit__room_code", "pk")
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
        for message in _errors(exc):
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
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The run is reversed."))
    return redirect("billing:run-detail", pk=run.pk)


@require_POST
def month_close(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.add_monthclose")
    form = MonthCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["period"]))
        services.close_month(community=community, by=request_user(request), **form.cleaned_data)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Month closed."))
    return redirect("billing:run-list")


@require_GET
def unit_statement_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.view_ledgerentry", unit.community)
    return render(request, "billing/statement_detail.html", {"statement": unit_statement(unit)})


@require_GET
def unit_statement_print(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.view_ledgerentry", unit.community)
    return print_or_pdf(
        request,
        "billing/statement_print.html",
        {"statement": unit_statement(unit)},
        filename=f"statement-{unit.pk}.pdf",
        community=unit.community,
    )


@require_GET
def reading_list(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.view_meterreading")
    readings = (
        MeterReading.objects.in_community(community)
        .select_related("meter__unit", "created_by")
        .order_by("-period", "meter__number")[:100]
    )
    can_add = has_perm_in(request.user, "billing.add_meterreading", community)
    return render(
        request,
        "billing/meterreading_list.html",
        {
            "readings": readings,
            "can_add": can_add,
            "can_confirm": has_perm_in(request.user, "billing.change_meterreading", community),
            "form": ReadingForm(community=community),
        },
    )


@require_POST
def reading_create(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.add_meterreading")
    form = ReadingForm(request.POST, community=community)
    if form.is_valid():
        try:
            record_reading(by=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Reading saved."))
            return redirect("billing:reading-list")
    return render(
        request,
        "billing/meterreading_list.html",
        {"readings": [], "can_add": True, "form": form},
        status=400,
    )


def _form_page(request: HttpRequest, form: Any, title: str, status: int = 200) -> HttpResponse:
    return render(request, "billing/form.html", {"form": form, "title": title}, status=status)


def feeitem_create(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.add_feeitem")
    form = FeeItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_fee_item(
                company=community.company, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("billing:feeitem-list")
    return _form_page(request, form, _("New fee item"), 400 if form.errors else 200)


def standard_create(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.add_feestandard")
    form = FeeStandardForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.create_standard(
                community=community, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved: now add its rate."))
            return redirect("billing:standard-detail", pk=standard.pk)
    return _form_page(request, form, _("New fee standard"), 400 if form.errors else 200)


@require_GET
def reading_flagged(request: HttpRequest) -> HttpResponse:
    community = _community(request, "billing.change_meterreading")
    readings = (
        MeterReading.objects.in_community(community)
        .filter(flagged=True, confirmed_by__isnull=True)
        .select_related("meter__unit", "created_by")
        .order_by("-period", "meter__number")[:100]
    )
    return render(request, "billing/meterreading_flagged.html", {"readings": readings})


@require_POST
def reading_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    reading = get_visible_or_404(MeterReading, request.user, pk=pk)
    require_perm(request.user, "billing.change_meterreading", reading.community)
    try:
        confirm_reading(reading=reading, by=request_user(request))
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Reading confirmed: it will be billed."))
    return redirect("billing:reading-flagged")


def _exceptions_page(
    request: HttpRequest, unit: Unit, form: UnitExceptionForm, status: int = 200
) -> HttpResponse:
    exceptions = (
        UnitFeeException.objects.filter(unit=unit)
        .select_related("standard__fee_item", "created_by")
        .order_by("standard__name", "-starts_on")
    )
    context = {
        "unit": unit,
        "exceptions": exceptions,
        "form": form,
        "can_add": has_perm_in(request.user, "billing.add_unitfeeexception", unit.community),
    }
    return render(request, "billing/unitfeeexception_list.html", context, status=status)


@require_GET
def unit_exception_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.view_unitfeeexception", unit.community)
    return _exceptions_page(request, unit, UnitExceptionForm(community=unit.community))


@require_POST
def unit_exception_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.add_unitfeeexception", unit.community)
    form = UnitExceptionForm(request.POST, community=unit.community)
    if form.is_valid():
        try:
            services.add_unit_exception(unit=unit, by=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Exception saved."))
            return redirect("billing:unit-exceptions", pk=unit.pk)
    return _exceptions_page(request, unit, form, status=400)
