"""Excel exports of the estates lists, filtered as the list page is (one URL per list)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guanjia.core.access import request_user
from guanjia.core.imports.services import ExportFile, export_or_enqueue
from guanjia.core.pages import current_community, query_without_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(request: HttpRequest, kind: str, list_url: str) -> HttpResponse:
    """The file now, or the progress page of an export job for a long list."""
    community = current_community(request)
    params = {key: str(value) for key, value in request.GET.items() if key != "page"}
    try:
        result = export_or_enqueue(
            kind=kind, params=params, by=request_user(request), community=community
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse(list_url)}?{query_without_page(request)}")
    if isinstance(result, ExportFile):
        response = HttpResponse(result.content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{result.name}"'
        return response
    messages.info(request, _("The export is large: it is being prepared in the background."))
    return redirect("jobs:jobrun-detail", pk=result.pk)


@require_GET
def unit_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "units", "estates:unit-list")


@require_GET
def building_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "buildings", "estates:building-list")


@require_GET
def zone_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "zones", "estates:zone-list")


@require_GET
def entrance_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "entrances", "estates:entrance-list")


@require_GET
def person_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "people", "estates:person-list")


@require_GET
def vehicle_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "vehicles", "estates:vehicle-list")


@require_GET
def parking_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "parking", "estates:parking-list")


@require_GET
def access_log_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "access-log", "estates:access-log")
