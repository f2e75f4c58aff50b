"""Job pages: my recent runs, and one run's progress (polled by htmx while it runs)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from guanjia.core.access import get_visible_or_404, request_user

from ..pages import paginate
from .models import JobRun
from .selectors import may_view_all_runs, recent_runs


@require_GET
def jobrun_list(request: HttpRequest) -> HttpResponse:
    everyone = request.GET.get("all") == "1"
    if everyone and not may_view_all_runs(request_user(request)):
        raise PermissionDenied
    page = paginate(request, recent_runs(request_user(request), everyone=everyone))
    return render(
        request,
        "jobs/jobrun_list.html",
        {
            "page_obj": page,
            "everyone": everyone,
            "may_view_all": may_view_all_runs(request_user(request)),
            "query": "all=1" if everyone else "",
        },
    )


@require_GET
@never_cache
@vary_on_headers("HX-Request")
def jobrun_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(
        JobRun.objects.select_related("created_by", "community"), request.user, pk=pk
    )
    template = "jobs/_jobrun_progress.html" if request.htmx else "jobs/jobrun_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"run": run})
