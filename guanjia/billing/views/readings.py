"""Meter readings: the list, a new reading, flagged readings and their confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import current_community

from ..forms import ReadingForm
from ..models import MeterReading
from ..services.meters import confirm_reading, record_reading
from .common import error_list


@require_GET
def reading_list(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.view_meterreading")
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
    community = current_community(request, "billing.add_meterreading")
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


@require_GET
def reading_flagged(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.change_meterreading")
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
        for message in error_list(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Reading confirmed: it will be billed."))
    return redirect("billing:reading-flagged")
