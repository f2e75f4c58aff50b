"""The supervisor's pages: checkpoints and their labels, the checklist, templates and plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.services import qr_svg
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, services
from ..filters import CheckpointFilter, PlanFilter
from ..models import ChecklistItem, Checkpoint, CheckpointKind, PatrolPlan, PlanTemplate

VIEW_CP = "patrols.view_checkpoint"
ADD_CP = "patrols.add_checkpoint"
VIEW_PLAN = "patrols.view_patrolplan"
ADD_PLAN = "patrols.add_patrolplan"
LABELS_MAX = 200


class CheckpointList(CommunityListView):
    model = Checkpoint
    perm = VIEW_CP
    filterset_class = CheckpointFilter
    related = ("zone", "building")
    add_perm = ADD_CP
    template_name = "patrols/checkpoint_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context["can_add"]:
            context.setdefault("form", forms.CheckpointForm(community=self.community))
        return context


def checkpoint_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD_CP)
    form = forms.CheckpointForm(request.POST or None, community=community)
    if request.method == "POST":

        def act() -> Any:
            data = services.CheckpointData(
                zone=form.cleaned_data["zone"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                building=form.cleaned_data["building"],
            )
            return services.create_checkpoint(
                community=community, data=data, by=request_user(request)
            )

        if submit(request, form, act, _("Checkpoint added.")):
            return redirect("patrols:checkpoint-list")
        return render(request, "patrols/checkpoint_form.html", {"form": form}, status=400)
    return render(request, "patrols/checkpoint_form.html", {"form": form})


def _label(checkpoint: Checkpoint) -> dict[str, Any]:
    return {"checkpoint": checkpoint, "qr": qr_svg(services.label_token(checkpoint), scale=4)}


def checkpoint_labels(request: HttpRequest) -> HttpResponse:
    """The labels of the list's checkpoints (its filter), to print and stick on site."""
    community = current_community(request, VIEW_CP)
    base = Checkpoint.objects.in_community(community).filter(is_active=True)
    found = CheckpointFilter(request.GET or None, queryset=base, community=community)
    valid = not found.is_bound or found.is_valid()
    rows = found.qs.select_related("zone", "building")[:LABELS_MAX] if valid else []
    return print_or_pdf(
        request,
        "patrols/checkpoint_labels.html",
        {"labels": [_label(cp) for cp in rows]},
        filename="patrol-labels.pdf",
        community=community,
    )


def checkpoint_label(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = get_visible_or_404(Checkpoint.objects.select_related("zone"), request.user, pk=pk)
    require_perm(request.user, VIEW_CP, checkpoint.community)
    return print_or_pdf(
        request,
        "patrols/checkpoint_labels.html",
        {"labels": [_label(checkpoint)]},
        filename=f"patrol-label-{checkpoint.code}.pdf",
        community=checkpoint.community,
    )


@require_POST
def checkpoint_replace_label(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = get_visible_or_404(Checkpoint.objects.all(), request.user, pk=pk)
    require_perm(request.user, ADD_CP, checkpoint.community)
    services.replace_label(checkpoint=checkpoint, by=request_user(request))
    messages.success(request, _("A new label is made: print it; the old one is refused."))
    return redirect("patrols:checkpoint-list")


def checklist(request: HttpRequest) -> HttpResponse:
    """The checklist of every checkpoint type in this community; the supervisor edits it."""
    community = current_community(request, VIEW_CP)
    services.seed_checklist(community)
    may_edit = has_perm_in(request.user, ADD_CP, community)
    form = forms.ChecklistItemForm(request.POST or None, community=community)
    status = 200
    if request.method == "POST":
        require_perm(request.user, ADD_CP, community)

        def act() -> Any:
            return services.save_checklist_item(
                community=community,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                by=request_user(request),
            )

        if submit(request, form, act, _("Saved.")):
            return redirect("patrols:checklist")
        status = 400
    items = ChecklistItem.objects.in_community(community)
    groups = [
        (label, [item for item in items if item.kind == kind])
        for kind, label in CheckpointKind.choices
    ]
    return render(
        request,
        "patrols/checklist.html",
        {"groups": groups, "form": form, "may_edit": may_edit},
        status=status,
    )


@require_POST
def checklist_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(ChecklistItem.objects.all(), request.user, pk=pk)
    require_perm(request.user, ADD_CP, item.community)
    services.set_item_active(item=item, active=not item.is_active, by=request_user(request))
    messages.success(request, _("Saved."))
    return redirect("patrols:checklist")


class PlanList(CommunityListView):
    model = PatrolPlan
    perm = VIEW_PLAN
    filterset_class = PlanFilter
    related = ("zone", "written_by")
    add_perm = ADD_PLAN
    template_name = "patrols/plan_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["templates"] = PlanTemplate.objects.in_community(self.community)
        if context["can_add"]:
            c = self.community
            context.setdefault("plan_form", forms.PlanForm(community=c, prefix="plan"))
            context.setdefault("template_form", forms.TemplateForm(community=c, prefix="tpl"))
            context.setdefault("generate_form", forms.MonthForm(community=c, prefix="gen"))
            context.setdefault("storm_form", forms.StormForm(community=c, prefix="storm"))
        return context


def _plan_page(request: HttpRequest, status: int, **forms_: Any) -> HttpResponse:
    view = PlanList()
    view.setup(request)
    view.object_list = view.get_queryset()
    context = view.get_context_data(**forms_)
    return render(request, view.template_name, context, status=status)


@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD_PLAN)
    form = forms.PlanForm(request.POST, community=community, prefix="plan")

    def act() -> Any:
        data = services.PlanData(
            zone=form.cleaned_data["zone"],
            month=form.cleaned_data["month"],
            template=form.cleaned_data["template"],
            focus=form.cleaned_data["focus"] or "",
            per_day=form.cleaned_data["per_day"],
        )
        return services.write_plan(community=community, data=data, by=request_user(request))

    if submit(request, form, act, _("Plan written.")):
        return redirect("patrols:plan-list")
    return _plan_page(request, 400, plan_form=form)


@require_POST
def template_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD_PLAN)
    form = forms.TemplateForm(request.POST, community=community, prefix="tpl")

    def act() -> Any:
        return services.save_template(
            community=community,
            name=form.cleaned_data["name"],
            kinds=form.cleaned_data["kinds"],
            focus=form.cleaned_data["focus"] or "",
            per_day=form.cleaned_data["per_day"],
            by=request_user(request),
        )

    if submit(request, form, act, _("Template saved.")):
        return redirect("patrols:plan-list")
    return _plan_page(request, 400, template_form=form)


@require_POST
def plan_generate(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD_PLAN)
    form = forms.MonthForm(request.POST, community=community, prefix="gen")
    added: list[int] = []

    def act() -> Any:
        added.append(
            services.generate_month(
                community=community, month=form.cleaned_data["month"], by=request_user(request)
            )
        )

    if submit(request, form, act, _("Patrols generated.")):
        messages.info(request, _("%(n)s patrols added.") % {"n": added[0]})
        return redirect("patrols:patrol-list")
    return _plan_page(request, 400, generate_form=form)


@require_POST
def storm(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "patrols.review_patrol")
    form = forms.StormForm(request.POST, community=community, prefix="storm")

    def act() -> Any:
        return services.storm_patrols(
            community=community, reason=form.cleaned_data["reason"], by=request_user(request)
        )

    if submit(request, form, act, _("Special patrols planned for today.")):
        return redirect("patrols:patrol-list")
    return _plan_page(request, 400, storm_form=form)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        PatrolPlan.objects.select_related("zone", "written_by"), request.user, pk=pk
    )
    require_perm(request.user, VIEW_PLAN, plan.community)
    stops = plan.stops.select_related("checkpoint__building")
    counts = {
        row["status"]: row["n"]
        for row in plan.patrols.values("status").order_by().annotate(n=Count("pk"))
    }
    return render(
        request, "patrols/plan_detail.html", {"plan": plan, "stops": stops, "counts": counts}
    )
