"""The supervisor's planning pages (spec §14, §02): the yearly routine plans per zone with
their progress, and a visit planned by hand (a special service's, the supervisor's own)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanjia.core.access import has_perm_in, request_user
from guanjia.core.pages import current_community, submit

from . import forms, services
from .models import RoutinePlan
from .services.planning import supervisor_quota

VIEW = "visits.view_visit"
PLAN = "visits.add_visit"


@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """This year's and next year's routine plans with their progress; a new plan (POST)."""
    community = current_community(request, VIEW)
    user = request_user(request)
    today = timezone.localdate()
    form = forms.RoutinePlanForm(
        request.POST or None, community=community, initial={"year": today.year}
    )
    if request.method == "POST":
        current_community(request, PLAN)

        def act() -> None:
            services.create_routine_plan(community=community, by=user, **form.cleaned_data)

        if submit(request, form, act, _("Plan saved.")):
            return redirect("visits:plans")
    plans = RoutinePlan.objects.filter(community=community, year__gte=today.year - 1)
    progress = [services.plan_progress(p, today) for p in plans.select_related("zone", "community")]
    made, quota = supervisor_quota(user, community, today)
    context = {
        "form": form,
        "progress": progress,
        "made": made,
        "quota": quota,
        "may_plan": has_perm_in(user, PLAN, community),
    }
    return render(request, "visits/plans.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def plan_visit(request: HttpRequest) -> HttpResponse:
    """A visit planned by hand."""
    community = current_community(request, PLAN)
    user = request_user(request)
    form = forms.PlanVisitForm(request.POST or None, community=community)
    created: list[int] = []

    def act() -> None:
        data = form.cleaned_data
        planned = services.Planned(
            kind=data["kind"],
            unit=data["unit"],
            due_on=data["due_on"],
            purpose=data["purpose"],
            assignee=data["assignee"],
        )
        created.append(services.plan_visit(community=community, planned=planned, by=user).pk)

    if request.method == "POST" and submit(request, form, act, _("Visit planned.")):
        return redirect("visits:visit-detail", pk=created[0])
    return render(
        request, "visits/plan_visit.html", {"form": form}, status=400 if form.errors else 200
    )
