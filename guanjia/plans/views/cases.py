"""Case studies: the list (with the month's count against the policy), writing one, one case,
editing it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, services
from ..filters import CaseFilter
from ..models import CaseStudy
from ..selectors import cases_in_month

VIEW = "plans.view_casestudy"
ADD = "plans.add_casestudy"
WRITE = "plans.change_casestudy"


class CaseList(CommunityListView):
    model = CaseStudy
    perm = VIEW
    filterset_class = CaseFilter
    related = ("author",)
    add_perm = ADD
    template_name = "plans/case_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["month_count"] = cases_in_month(self.community, timezone.localdate())
        return context


def _text(data: dict[str, Any]) -> services.CaseText:
    return services.CaseText(
        title=data["title"],
        facts=data["facts"],
        cause=data["cause"],
        lesson=data["lesson"],
        used_in_training=data["used_in_training"],
        tickets=data["tickets"],
    )


def case_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD)
    form = forms.CaseForm(request.POST or None, community=community)
    if request.method == "POST":
        made: list[CaseStudy] = []

        def act() -> None:
            text = _text(form.cleaned_data)
            made.append(
                services.write_case(community=community, text=text, by=request_user(request))
            )

        if submit(request, form, act, _("Case study saved.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return render(request, "plans/case_form.html", {"form": form}, status=400)
    return render(request, "plans/case_form.html", {"form": form})


def _case(request: HttpRequest, pk: int) -> CaseStudy:
    base = CaseStudy.objects.select_related("community", "author")
    case: CaseStudy = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, case.community)
    return case


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    context = {
        "case": case,
        "tickets": case.tickets.all(),
        "can_edit": has_perm_in(request.user, WRITE, case.community_id),
    }
    return render(request, "plans/case_detail.html", context)


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    require_perm(request.user, WRITE, case.community)
    initial = {
        "title": case.title,
        "facts": case.facts,
        "cause": case.cause,
        "lesson": case.lesson,
        "used_in_training": case.used_in_training,
        "tickets": ", ".join(t.number for t in case.tickets.all()),
    }
    form = forms.CaseForm(request.POST or None, community=case.community, initial=initial)
    if request.method == "POST":

        def act() -> None:
            services.update_case(case=case, text=_text(form.cleaned_data), by=request_user(request))

        if submit(request, form, act, _("Case study saved.")):
            return HttpResponseRedirect(case.get_absolute_url())
        return render(request, "plans/case_form.html", {"form": form, "case": case}, status=400)
    return render(request, "plans/case_form.html", {"form": form, "case": case})
