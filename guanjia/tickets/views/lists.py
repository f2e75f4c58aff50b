"""The ticket lists, the technician's jobs, the supervisor's dashboard and saved views."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import request_user
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.imports.services import ExportFile, export_or_enqueue
from guanjia.core.pages import CommunityListView, current_community, paginate, query_without_page

from .. import selectors
from ..exports import RegisterExporter
from ..filters import ComplaintFilter, DeskFilterSet, RepairFilter, RequestFilter
from ..forms import SavedViewForm
from ..models import Complaint, RepairOrder, SavedView, ServiceRequest


class TicketListView(CommunityListView):
    """A ticket list of the current community (guanjia.core.pages.CommunityListView:
    its FilterSet, 25 rows a page), with the user's saved views of the list. The FilterSet
    is the one the API's list uses too."""

    list_name: ClassVar[str]  # the saved views' key
    list_filter: ClassVar[type[DeskFilterSet]]

    @property
    def filterset_class(self) -> Any:
        """The list's FilterSet, given the request (its "mine" filter needs the user)."""
        return partial(self.list_filter, request=self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            list_name=self.list_name,
            community=self.community,
            saved_views=SavedView.objects.filter(
                user=request_user(self.request), list_name=self.list_name
            ),
        )
        return context


class RequestListView(TicketListView):
    model = ServiceRequest
    perm = "tickets.view_servicerequest"
    list_filter = RequestFilter
    related = ("unit", "person", "received_by")
    template_name = "tickets/servicerequest_list.html"
    list_name = "requests"


class ComplaintListView(TicketListView):
    model = Complaint
    perm = "tickets.view_complaint"
    list_filter = ComplaintFilter
    related = ("request", "request__unit", "handler")
    template_name = "tickets/complaint_list.html"
    list_name = "complaints"


class RepairListView(TicketListView):
    model = RepairOrder
    perm = "tickets.view_repairorder"
    list_filter = RepairFilter
    related = ("unit", "technician")
    template_name = "tickets/repairorder_list.html"
    list_name = "repairs"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_export(request: HttpRequest, kind: str, list_url: str) -> HttpResponse:
    """A list as an Excel file filtered as its page (guanjia/tickets/exports.py); a long list
    is exported by a job whose progress page the user is sent to. A wrong filter goes back to
    the list with the message."""
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
def request_export(request: HttpRequest) -> HttpResponse:
    return list_export(request, "service-register", "tickets:request-list")


@require_GET
def complaint_export(request: HttpRequest) -> HttpResponse:
    return list_export(request, "complaints", "tickets:complaint-list")


@require_GET
def repair_export(request: HttpRequest) -> HttpResponse:
    return list_export(request, "repairs", "tickets:repair-list")


request_list = require_GET(RequestListView.as_view())
complaint_list = require_GET(ComplaintListView.as_view())
repair_list = require_GET(RepairListView.as_view())


@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    """The technician's phone page: my open jobs, most urgent first, a page at a time."""
    community = current_community(request, "tickets.work_repairorder")
    jobs = (
        RepairOrder.objects.open()
        .filter(community=community)
        .filter(technician=request.user)
        .select_related("unit")
        .order_by("arrive_due", "pk")
    )
    context = {"page_obj": paginate(request, jobs), "query": query_without_page(request)}
    return render(request, "tickets/repairorder_my_jobs.html", context)


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
        user=request_user(request),
        list_name=d["list_name"],
        name=d["name"],
        defaults={"querystring": d["querystring"]},
    )
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


PRINT_ROWS = 500


@require_GET
def request_print(request: HttpRequest) -> HttpResponse:
    """The register (服务信息登记表 / 来访来电记录, spec §04) for print or as PDF: the rows the
    list's filters keep, as the Excel export writes them (phones masked), at most 500."""
    community = current_community(request, "tickets.view_servicerequest")
    params = {
        key: str(value) for key, value in request.GET.items() if key not in ("page", "format")
    }
    exporter = RegisterExporter(by=request_user(request), community=community, params=params)
    try:
        queryset = exporter.queryset()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('tickets:request-list')}?{query_without_page(request)}")
    total = queryset.count()
    rows = [exporter.row(entry) for entry in queryset[:PRINT_ROWS]]
    context = {
        "rows": rows,
        "total": total,
        "shown": len(rows),
        "query": query_without_page(request),
    }
    return print_or_pdf(
        request,
        "tickets/servicerequest_print.html",
        context,
        filename=f"{community.code}-register-{timezone.localdate():%Y%m%d}.pdf",
        community=community,
    )
