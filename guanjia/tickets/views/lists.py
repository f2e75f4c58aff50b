"""The ticket lists, the technician's jobs, the supervisor's dashboard and saved views."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import request_user
from guanjia.core.pages import CommunityListView, current_community, paginate, query_without_page

from .. import selectors
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
