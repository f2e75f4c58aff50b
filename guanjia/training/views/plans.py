"""Training plan pages: the list, a new plan, its page with submit / approve / return."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core import workflows
from guanjia.core.access import has_perm_in, request_user, require_perm
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, services
from ..filters import PlanFilter
from ..models import PlanStatus, TrainingPlan
from ._common import VIEW_PLANS, WRITE_PLANS, history, plan_of


class PlanList(CommunityListView):
    model = TrainingPlan
    perm = VIEW_PLANS
    filterset_class = PlanFilter
    related = ("author",)
    add_perm = WRITE_PLANS
    template_name = "training/plan_list.html"


def _content(data: dict[str, Any]) -> services.PlanContent:
    return services.PlanContent(
        title=data["title"],
        topics=data["topics"],
        target_staff=data["target_staff"],
        schedule=data["schedule"],
        trainer=data["trainer"],
        method=data["method"],
        assessment_standard=data["assessment_standard"],
        budget=data["budget"],
    )


def plan_new(request: HttpRequest) -> HttpResponse:
    community = current_community(request, WRITE_PLANS)
    initial = {"year": timezone.localdate().year + 1, "kind": "annual", "budget": 0}
    form = forms.PlanForm(
        request.POST if request.method == "POST" else None, community=community, initial=initial
    )
    if request.method == "POST":
        created: list[TrainingPlan] = []

        def act() -> Any:
            data = form.cleaned_data
            created.append(
                services.create_plan(
                    community=community,
                    kind=data["kind"],
                    year=data["year"],
                    month=data["month"] or 0,
                    content=_content(data),
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("The plan was saved as a draft.")):
            return redirect("training:plan-detail", pk=created[0].pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("New training plan")}
    return render(request, "training/form.html", context, status=status)


def _plan_page(
    request: HttpRequest, plan: TrainingPlan, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request_user(request)
    context = {
        "plan": plan,
        "events": history(plan.events.select_related("actor").order_by("at", "pk")),
        "sessions": plan.sessions.select_related("trainer").order_by("starts_at"),
        "may_edit": plan.status == PlanStatus.DRAFT
        and has_perm_in(user, WRITE_PLANS, plan.community),
        "may_submit": workflows.can_transition(plan, PlanStatus.SUBMITTED, by=user),
        "may_decide": plan.status == PlanStatus.SUBMITTED
        and has_perm_in(user, "training.approve_trainingplan", plan.community)
        and user.pk not in (plan.author_id, plan.requested_by_id),
        "decision_form": extra.pop("decision_form", None) or forms.DecisionForm(),
        "submit_form": extra.pop("submit_form", None) or forms.NoteForm(),
        **extra,
    }
    return render(request, "training/plan_detail.html", context, status=status)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, plan_of(request, pk))


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    require_perm(request.user, WRITE_PLANS, plan.community)
    initial = {name: getattr(plan, name) for name in forms.PlanContentForm.base_fields}
    form = forms.PlanContentForm(
        request.POST if request.method == "POST" else None,
        community=plan.community,
        initial=initial,
    )
    if request.method == "POST":

        def act() -> Any:
            return services.update_plan(
                plan=plan, content=_content(form.cleaned_data), by=request_user(request)
            )

        if submit(request, form, act, _("Saved.")):
            return redirect("training:plan-detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Edit the training plan")}
    return render(request, "training/form.html", context, status=status)


@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    form = forms.NoteForm(request.POST)

    def act() -> Any:
        return services.submit_plan(
            plan=plan, by=request_user(request), note=form.cleaned_data["note"]
        )

    if submit(request, form, act, _("Submitted: the director approves it.")):
        return redirect("training:plan-detail", pk=plan.pk)
    plan.refresh_from_db()
    return _plan_page(request, plan, status=400, submit_form=form)


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    plan = plan_of(request, pk)
    form = forms.DecisionForm(request.POST)

    def act() -> Any:
        return services.decide_plan(
            plan=plan, approve=approve, by=request_user(request), reason=form.cleaned_data["reason"]
        )

    done = _("Approved.") if approve else _("Returned to the author with your comments.")
    if submit(request, form, act, done):
        return redirect("training:plan-detail", pk=plan.pk)
    plan.refresh_from_db()
    return _plan_page(request, plan, status=400, decision_form=form)


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, True)


@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, False)
