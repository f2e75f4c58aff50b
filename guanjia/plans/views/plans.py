"""Work plans: the list, a new plan, one plan with its items and each step of its workflow
as a POST of its own, and the printable plan (PDF)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, services
from ..filters import PlanFilter
from ..models import PROGRESS_STATUSES, PlanItem, PlanStatus, WorkPlan
from ..selectors import plan_progress
from ._common import Step, blank_forms

VIEW = "plans.view_workplan"
ADD = "plans.add_workplan"
WRITE = "plans.change_workplan"
P = PlanStatus

FORMS: dict[str, type[BaseForm]] = {
    "edit_form": forms.PlanEditForm,
    "item_form": forms.ItemForm,
    "submit_form": forms.NoteForm,
    "approve_form": forms.NoteForm,
    "return_form": forms.CommentsForm,
    "start_form": forms.NoteForm,
    "summarise_form": forms.SummariseForm,
    "archive_form": forms.NoteForm,
}


class PlanList(CommunityListView):
    model = WorkPlan
    perm = VIEW
    filterset_class = PlanFilter
    related = ("author",)
    add_perm = ADD
    template_name = "plans/plan_list.html"


def plan_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD)
    form = forms.PlanForm(request.POST or None, community=community)
    if request.method == "POST":
        made: list[WorkPlan] = []

        def act() -> None:
            data = form.cleaned_data
            made.append(
                services.create_plan(
                    community=community,
                    kind=data["kind"],
                    period=data["period"],
                    title=data["title"],
                    goals=data["goals"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Plan created: add its items, then submit it.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return render(request, "plans/plan_form.html", {"form": form}, status=400)
    return render(request, "plans/plan_form.html", {"form": form})


def _may(plan: WorkPlan, user: Any) -> dict[str, bool]:
    def can(to: str) -> bool:
        return workflows.can_transition(plan, to, by=user)

    writer = has_perm_in(user, WRITE, plan.community_id)
    deciding = plan.status == P.SUBMITTED and plan.author_id != user.pk
    return {
        "edit": plan.status == P.DRAFT and writer,
        "submit": can(P.SUBMITTED),
        "approve": deciding and can(P.APPROVED) and plan.requested_by_id != user.pk,
        "return": deciding and can(P.DRAFT) and plan.requested_by_id != user.pk,
        "start": can(P.IN_PROGRESS),
        "summarise": can(P.SUMMARISED),
        "archive": can(P.ARCHIVED),
        "progress": plan.status in PROGRESS_STATUSES,
        "writer": writer,
    }


def plan_context(plan: WorkPlan, user: Any, **bound: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "plan": plan,
        "object": plan,
        "items": plan.items.select_related("owner"),
        "events": plan.events.select_related("actor"),
        "progress": plan_progress(plan),
        "may": _may(plan, user),
        "user_id": user.pk,
        **blank_forms(FORMS, plan.community),
    }
    context["edit_form"] = forms.PlanEditForm(
        prefix="edit", community=plan.community, initial={"title": plan.title, "goals": plan.goals}
    )
    context.update(bound)
    return context


def _plan(request: HttpRequest, pk: int) -> WorkPlan:
    base = WorkPlan.objects.select_related("community", "author", "requested_by", "decided_by")
    plan: WorkPlan = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, plan.community)
    return plan


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(request, "plans/plan_detail.html", plan_context(plan, request_user(request)))


@require_GET
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    context = {
        "plan": plan,
        "items": plan.items.select_related("owner"),
        "progress": plan_progress(plan),
    }
    name = f"{plan.period_label}-{plan.pk}.pdf"
    return print_or_pdf(
        request, "plans/plan_print.html", context, filename=name, community=plan.community
    )


class PlanStep(Step):
    model = WorkPlan
    perm = VIEW  # the service checks the step's own authority
    related = ("community", "author", "requested_by", "decided_by")
    template_name = "plans/plan_detail.html"
    forms: ClassVar[dict[str, type[BaseForm]]] = FORMS

    def page_context(self, obj: Any, user: Any, **bound: Any) -> dict[str, Any]:
        return plan_context(obj, user, **bound)


class EditPlan(PlanStep):
    form_context_name = "edit_form"
    success_message = _("Plan saved.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.update_plan(plan=plan, title=data["title"], goals=data["goals"], by=by)


class AddItem(PlanStep):
    form_context_name = "item_form"
    success_message = _("Item added.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.add_item(
            plan=plan,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            note=data["note"],
            by=by,
        )


class SubmitPlan(PlanStep):
    form_context_name = "submit_form"
    success_message = _("Plan submitted: the director is told.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.submit_plan(plan=plan, note=data["note"], by=by)


class ApprovePlan(PlanStep):
    form_context_name = "approve_form"
    success_message = _("Plan approved.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.approve_plan(plan=plan, note=data["note"], by=by)


class ReturnPlan(PlanStep):
    form_context_name = "return_form"
    success_message = _("Plan returned to its author with your comments.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.return_plan(plan=plan, comments=data["comments"], by=by)


class StartPlan(PlanStep):
    form_context_name = "start_form"
    success_message = _("The plan is being carried out.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.start_plan(plan=plan, by=by)


class SummarisePlan(PlanStep):
    form_context_name = "summarise_form"
    success_message = _("Plan summarised.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.summarise_plan(plan=plan, summary=data["summary"], by=by)


class ArchivePlan(PlanStep):
    form_context_name = "archive_form"
    success_message = _("Plan archived.")

    def act(self, plan: WorkPlan, data: dict[str, Any], by: Any) -> Any:
        return services.archive_plan(plan=plan, by=by)


class ItemStep(Step):
    """A step on one item; the page shown is its plan's."""

    model = PlanItem
    perm = VIEW
    related = ("plan__community", "plan__author", "owner")
    template_name = "plans/plan_detail.html"

    def get_form(self) -> BaseForm:
        return forms.ProgressForm(self.request.POST, prefix="progress", community=self.community)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan = self.object.plan
        plan.refresh_from_db()
        refused = kwargs.pop(self.form_context_name, None)
        return plan_context(plan, request_user(self.request), refused_form=refused, **kwargs)


class RecordProgress(ItemStep):
    form_context_name = "progress_form"
    success_message = _("Progress recorded.")

    def act(self, item: PlanItem, data: dict[str, Any], by: Any) -> Any:
        return services.record_progress(
            item=item, done_pct=data["done_pct"], note=data["note"], by=by
        )


class RemoveItem(ItemStep):
    form_context_name = "remove_form"
    success_message = _("Item removed.")

    def get_form(self) -> BaseForm:
        return forms.NoteForm(self.request.POST, prefix="remove", community=self.community)

    def act(self, item: PlanItem, data: dict[str, Any], by: Any) -> Any:
        return services.remove_item(item=item, by=by)
