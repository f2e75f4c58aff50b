"""The ticket lists, the technician's jobs, the supervisor's dashboard and saved views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import request_user
from guanjia.core.pages import current_community, paginate, query_without_page

from .. import selectors
from ..filters import ComplaintFilter, RepairFilter, RequestFilter
from ..forms import SavedViewForm
from ..models import Complaint, RepairOrder, SavedView, ServiceRequest

LIST_TEMPLATES = {"requests": "servicerequest", "complaints": "complaint", "repairs": "repairorder"}


def _list(request: HttpRequest, kind: str, perm: str, filter_class: Any, qs: Any) -> HttpResponse:
    community = current_community(request, perm)
    flt = filter_class(
        request.GET or None,
        queryset=qs.in_community(community),
        community=community,
        request=request,
    )
    # No filter: the whole list (an unbound FilterSet is not "valid"); a bad filter: nothing.
    rows = flt.qs if not flt.is_bound or flt.is_valid() else qs.none()
    context = {
        "filter": flt, "page_obj": paginate(request, rows), "query": query_without_page(request),
        "list_name": kind, "community": community,
        "saved_views": SavedView.objects.filter(user=request_user(request), list_name=kind),
    }  # fmt: skip
    return render(request, f"tickets/{LIST_TEMPLATES[kind]}_list.html", context)


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    qs = ServiceRequest.objects.select_related("unit", "person", "received_by")
    return _list(request, "requests", "tickets.view_servicerequest", RequestFilter, qs)


@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    qs = Complaint.objects.select_related("request", "request__unit", "handler")
    return _list(request, "complaints", "tickets.view_complaint", ComplaintFilter, qs)


@require_GET
def repair_list(request: HttpRequest) -> HttpResponse:
    qs = RepairOrder.objects.select_related("unit", "technician")
    return _list(request, "repairs", "tickets.view_repairorder", RepairFilter, qs)


@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    """The technician's phone page: my open jobs, most urgent first."""
    community = current_community(request, "tickets.work_repairorder")
    jobs = (
        RepairOrder.objects.open().filter(community=community).filter(technician=request.user)
        .select_related("unit").order_by("arrive_due")[:50]
    )  # fmt: skip
    return render(request, "tickets/repairorder_my_jobs.html", {"jobs": jobs})


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's dashboard: today's intake, open by status, overdue, due soon."""
    community = current_community(request, "tickets.change_complaint")
    return render(request, "tickets/dashboard.html", {"d": selectors.dashboard(community)})


@require_POST
def savedview_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "tickets.view_servicerequest")
    form = SavedViewForm(request.POST, community=community)
    if not form.is_valid():
        messages.error(request, _("Give the view a name."))
        return redirect("tickets:request-list")
    d = form.cleaned_data
    SavedView.objects.update_or_create(
        user=request_user(request), list_name=d["list_name"], name=d["name"],
        defaults={"querystring": d["querystring"]},
    )  # fmt: skip
    messages.success(request, _("View saved."))
    target = {"complaints": "complaint-list", "repairs": "repair-list"}.get(
        d["list_name"], "request-list"
    )
    return redirect(f"tickets:{target}")


@require_POST
def savedview_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = SavedView.objects.filter(user=request_user(request), pk=pk).first()
    if view is None:
        raise Http404
    view.delete()
    messages.success(request, _("View removed."))
    return redirect("tickets:request-list")
