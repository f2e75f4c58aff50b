"""The vacant units' pages on the core pattern (guanjia.core.pages): the register, its care
tasks, the inspection checklist on a phone, viewings, storm alerts and the KPIs; one service
call per write, refusals shown on the form (400)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guanjia.core.access import has_perm_in, request_user
from guanjia.core.pages import (
    CommunityActionView,
    CommunityCreateView,
    CommunityDetailView,
    CommunityListView,
    current_community,
    submit,
)
from guanjia.desk.models import KeyLoan

from . import filters, forms, services
from .models import CareTask, Inspection, TaskKind, VacantUnit

VIEW = "vacant.view_vacantunit"
CHANGE = "vacant.change_vacantunit"


class FilteredByUser:
    """The list's FilterSet with the request (its `mine` filter reads the user)."""

    def get_queryset(self) -> QuerySet[Any]:
        view: Any = self
        view.community = current_community(view.request, view.perm)
        base = view.base_queryset()
        view.filterset = view.filterset_class(
            view.request.GET or None, queryset=base, community=view.community, request=view.request
        )
        if view.filterset.is_bound and not view.filterset.is_valid():
            return base.none()  # type: ignore[no-any-return]
        return view.filterset.qs  # type: ignore[no-any-return]


# --- The register -----------------------------------------------------------------------------


class VacantUnitList(FilteredByUser, CommunityListView):
    model, perm, filterset_class = VacantUnit, VIEW, filters.VacantUnitFilter
    related = ("unit", "key")
    add_perm = "vacant.add_vacantunit"
    template_name = "vacant/vacantunit_list.html"
    context_object_name = "vacancies"


class VacantUnitCreate(CommunityCreateView):
    model, perm, form_class = VacantUnit, "vacant.add_vacantunit", forms.VacantUnitForm
    template_name = "vacant/form.html"
    title = gettext_lazy("Register a vacant unit")
    success_message = gettext_lazy("Unit entered in the vacant-unit register.")

    def perform(self, obj: VacantUnit, form: BaseForm) -> VacantUnit:
        data = form.cleaned_data
        return services.register_vacancy(
            community=self.community,
            unit=data["unit"],
            category=data["category"],
            since=data["since"],
            key=data["key"],
            water=data["water"],
            power=data["power"],
            notes=data["notes"],
            requested_by=data["requested_by"],
            authorisation=data["authorisation"],
            entry_scope=data["entry_scope"],
            liability_waiver=data["liability_waiver"],
            by=request_user(self.request),
        )


@require_POST
def sync_register(request: HttpRequest) -> HttpResponse:
    """Enter every unit whose status makes it vacant (idempotent)."""
    community = current_community(request, "vacant.add_vacantunit")
    added = services.sync_from_units(community=community, by=request_user(request))
    messages.success(request, _("%(count)s units entered from their status.") % {"count": added})
    return redirect("vacant:unit-list")


def _unit_context(view: Any, vacancy: VacantUnit, **given: Any) -> dict[str, Any]:
    user = request_user(view.request)
    community = vacancy.community
    key_loans = []
    if vacancy.key_id is not None:
        key_loans = list(
            KeyLoan.objects.filter(key_id=vacancy.key_id).select_related("lent_by")[:10]
        )
    return {
        "object": vacancy,
        "vacancy": vacancy,
        "community": community,
        "events": vacancy.events.select_related("actor"),
        "tasks": vacancy.tasks.open().order_by("due_on", "pk")[:20],
        "inspections": vacancy.inspections.select_related("inspector", "repair")[:20],
        "viewings": vacancy.viewings.select_related("accompanied_by")[:20],
        "key_loans": key_loans,
        "today": timezone.localdate(),
        "can_change": vacancy.is_open and has_perm_in(user, CHANGE, community),
        "can_inspect": vacancy.is_open and has_perm_in(user, "vacant.add_inspection", community),
        "can_view_keys": has_perm_in(user, "desk.view_key", community),
        "can_viewing": vacancy.is_open and has_perm_in(user, "vacant.add_viewing", community),
        "update_form": given.get("update_form")
        or forms.VacancyUpdateForm(
            vacancy=vacancy,
            initial={
                "key": vacancy.key_id,
                "water": vacancy.water,
                "power": vacancy.power,
                "notes": vacancy.notes,
            },
        ),
        "leave_form": given.get("leave_form") or forms.LeaveForm(),
        "viewing_form": given.get("viewing_form") or forms.ViewingForm(community=community),
    }


class VacantUnitDetail(CommunityDetailView):
    model, perm, template_name = VacantUnit, VIEW, "vacant/vacantunit_detail.html"
    related = ("unit", "key", "community", "registered_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_unit_context(self, self.object)}


class VacantUnitAction(CommunityActionView):
    model = VacantUnit
    related = ("unit", "key", "community", "registered_by")
    template_name = "vacant/vacantunit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _unit_context(self, self.object, **kwargs)


class VacantUnitUpdate(VacantUnitAction):
    perm, form_class, form_context_name = CHANGE, forms.VacancyUpdateForm, "update_form"
    success_message = gettext_lazy("Register line saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "vacancy": self.object}

    def perform(self, obj: VacantUnit, form: BaseForm) -> Any:
        return services.update_vacancy(
            vacancy=obj, by=request_user(self.request), **form.cleaned_data
        )


class VacantUnitLeave(VacantUnitAction):
    perm, form_class, form_context_name = CHANGE, forms.LeaveForm, "leave_form"
    success_message = gettext_lazy("The unit left the vacant-unit register.")

    def perform(self, obj: VacantUnit, form: BaseForm) -> Any:
        return services.leave_vacancy(
            vacancy=obj, by=request_user(self.request), **form.cleaned_data
        )


class VacantUnitViewing(VacantUnitAction):
    perm, form_class, form_context_name = "vacant.add_viewing", forms.ViewingForm, "viewing_form"
    success_message = gettext_lazy("Viewing recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "community": self.object.community}

    def perform(self, obj: VacantUnit, form: BaseForm) -> Any:
        return services.record_viewing(
            vacancy=obj, by=request_user(self.request), **form.cleaned_data
        )


# --- Inspections ------------------------------------------------------------------------------


class InspectPage(CommunityDetailView):
    """The checklist on a phone (GET: the form; POST: record it, a repair in the same step)."""

    model, perm, template_name = VacantUnit, "vacant.add_inspection", "vacant/inspect.html"
    related = ("unit", "community")
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", forms.InspectionForm())
        context["vacancy"] = self.object
        context["due"] = self.object.tasks.open().filter(due_on__lte=timezone.localdate())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = forms.InspectionForm(request.POST, request.FILES)
        done: list[Inspection] = []

        def act() -> None:
            data = form.cleaned_data
            done.append(
                services.record_inspection(
                    vacancy=self.object,
                    checklist=form.checklist(),
                    problems=data["problems"],
                    photos=data["photos"],
                    open_repair=data["open_repair"],
                    repair_category=data["repair_category"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Inspection recorded.")):
            return HttpResponseRedirect(done[0].get_absolute_url())
        context = self.get_context_data(object=self.object, form=form)
        return render(request, self.template_name, context, status=400)


class InspectionList(CommunityListView):
    model, perm, filterset_class = Inspection, "vacant.view_inspection", filters.InspectionFilter
    related = ("unit", "inspector", "repair")
    template_name = "vacant/inspection_list.html"
    context_object_name = "inspections"


class InspectionDetail(CommunityDetailView):
    model, perm, template_name = (
        Inspection,
        "vacant.view_inspection",
        "vacant/inspection_detail.html",
    )
    related = ("unit", "inspector", "repair", "vacant_unit", "task")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["photos"] = self.object.photos.all()
        context["items"] = [
            (label, getattr(self.object, name)) for name, label in forms.CHECK_ITEMS
        ]
        return context


# --- Care tasks -------------------------------------------------------------------------------


class TaskList(FilteredByUser, CommunityListView):
    model, perm, filterset_class = CareTask, "vacant.view_caretask", filters.CareTaskFilter
    related = ("unit", "vacant_unit", "done_by")
    template_name = "vacant/caretask_list.html"
    context_object_name = "tasks"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = request_user(self.request)
        context["can_schedule"] = has_perm_in(user, "vacant.schedule_vacant_care", self.community)
        context["can_storm"] = has_perm_in(user, "vacant.add_stormalert", self.community)
        context["can_do"] = has_perm_in(user, "vacant.change_caretask", self.community)
        context["inspecting"] = (TaskKind.INSPECT, TaskKind.STORM)
        context["today"] = timezone.localdate()
        return context


class TaskDone(CommunityActionView):
    model, perm = CareTask, "vacant.change_caretask"
    related = ("unit", "vacant_unit")
    template_name = "vacant/task_refused.html"
    success_message = gettext_lazy("Task ticked off.")

    def perform(self, obj: CareTask, form: BaseForm) -> Any:
        return services.complete_task(task=obj, by=request_user(self.request))

    def get_success_url(self) -> str:
        return reverse("vacant:task-list") + "?timing=due"


@require_POST
def generate_now(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "vacant.schedule_vacant_care")
    added = services.generate_tasks(community=community, by=request_user(request))
    messages.success(request, _("%(count)s care tasks planned.") % {"count": added})
    return redirect("vacant:task-list")


def storm_create(request: HttpRequest) -> HttpResponse:
    """The supervisor enters a storm alert: every vacant unit gets a check."""
    community = current_community(request, "vacant.add_stormalert")
    form = forms.StormForm(request.POST or None)
    if request.method == "POST":
        done: list[int] = []

        def act() -> None:
            _alert, added = services.enter_storm(
                community=community, by=request_user(request), **form.cleaned_data
            )
            done.append(added)

        if submit(request, form, act, _("Storm alert entered.")):
            messages.info(request, _("%(count)s checks planned.") % {"count": done[0]})
            return redirect(reverse("vacant:task-list") + "?kind=storm")
        return render(request, "vacant/storm_form.html", {"form": form}, status=400)
    return render(request, "vacant/storm_form.html", {"form": form})
