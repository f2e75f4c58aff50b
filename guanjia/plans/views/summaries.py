"""Monthly summaries (list, prepare, one summary with its figures and its steps, the PDF) and
the supervisor's daily check."""

from __future__ import annotations

from typing import Any, ClassVar

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import (
    get_visible_or_404,
    has_perm_in,
    request_user,
    require_perm,
    staff_on_duty,
)
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, services
from ..filters import SummaryFilter
from ..models import DailyCheck, MonthlySummary, SummaryStatus
from ..selectors import daily_check, missing_count, summary_due
from ._common import Step, blank_forms

VIEW = "plans.view_monthlysummary"
ADD = "plans.add_monthlysummary"
WRITE = "plans.change_monthlysummary"
S = SummaryStatus

FORMS: dict[str, type[BaseForm]] = {
    "text_form": forms.SummaryTextForm,
    "refresh_form": forms.NoteForm,
    "send_form": forms.NoteForm,
    "read_form": forms.NoteForm,
    "return_form": forms.ReturnForm,
}


class SummaryList(CommunityListView):
    model = MonthlySummary
    perm = VIEW
    filterset_class = SummaryFilter
    related = ("prepared_by",)
    add_perm = ADD
    template_name = "plans/summary_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        month = timezone.localdate().replace(day=1)
        context["due"] = summary_due(self.community, month)
        context["prepare_form"] = forms.SummaryForm(
            community=self.community, initial={"month": f"{month:%Y-%m}"}
        )
        return context


def summary_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD)
    form = forms.SummaryForm(request.POST or None, community=community)
    if request.method == "POST":
        made: list[MonthlySummary] = []

        def act() -> None:
            made.append(
                services.prepare_summary(
                    community=community, month=form.cleaned_data["month"], by=request_user(request)
                )
            )

        if submit(request, form, act, _("Summary prepared with the month's figures.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return render(request, "plans/summary_form.html", {"form": form}, status=400)
    return render(request, "plans/summary_form.html", {"form": form})


def _may(summary: MonthlySummary, user: Any) -> dict[str, bool]:
    def can(to: str) -> bool:
        return workflows.can_transition(summary, to, by=user)

    draft = summary.status == S.DRAFT and has_perm_in(user, WRITE, summary.community_id)
    return {
        "edit": draft,
        "send": draft and can(S.SENT),
        "read": can(S.ACKNOWLEDGED),
        "return": summary.status == S.SENT and can(S.DRAFT),
    }


def summary_context(summary: MonthlySummary, user: Any, **bound: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "summary": summary,
        "object": summary,
        "f": summary.figures,
        "events": summary.events.select_related("actor"),
        "may": _may(summary, user),
        **blank_forms(FORMS, summary.community),
    }
    context["text_form"] = forms.SummaryTextForm(
        prefix="text",
        community=summary.community,
        initial={
            "highlights": summary.highlights,
            "problems": summary.problems,
            "next_steps": summary.next_steps,
        },
    )
    context.update(bound)
    return context


def _summary(request: HttpRequest, pk: int) -> MonthlySummary:
    base = MonthlySummary.objects.select_related("community", "prepared_by")
    summary: MonthlySummary = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, summary.community)
    return summary


@require_GET
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request, pk)
    context = summary_context(summary, request_user(request))
    return render(request, "plans/summary_detail.html", context)


@require_GET
def summary_print(request: HttpRequest, pk: int) -> HttpResponse:
    from guanjia.core.documents.views import print_or_pdf

    summary = _summary(request, pk)
    context = {"summary": summary, "f": summary.figures}
    name = f"summary-{summary.month:%Y-%m}.pdf"
    return print_or_pdf(
        request, "plans/summary_print.html", context, filename=name, community=summary.community
    )


class SummaryStep(Step):
    model = MonthlySummary
    perm = VIEW  # the service checks the step's own authority
    related = ("community", "prepared_by")
    template_name = "plans/summary_detail.html"
    forms: ClassVar[dict[str, type[BaseForm]]] = FORMS

    def page_context(self, obj: Any, user: Any, **bound: Any) -> dict[str, Any]:
        return summary_context(obj, user, **bound)


class EditSummary(SummaryStep):
    form_context_name = "text_form"
    success_message = _("Summary saved.")

    def act(self, summary: MonthlySummary, data: dict[str, Any], by: Any) -> Any:
        return services.edit_summary(
            summary=summary,
            highlights=data["highlights"],
            problems=data["problems"],
            next_steps=data["next_steps"],
            by=by,
        )


class RefreshFigures(SummaryStep):
    form_context_name = "refresh_form"
    success_message = _("Figures computed again.")

    def act(self, summary: MonthlySummary, data: dict[str, Any], by: Any) -> Any:
        return services.refresh_figures(summary=summary, by=by)


class SendSummary(SummaryStep):
    form_context_name = "send_form"
    success_message = _("Summary sent: the director is told.")

    def act(self, summary: MonthlySummary, data: dict[str, Any], by: Any) -> Any:
        return services.send_summary(summary=summary, by=by)


class ReadSummary(SummaryStep):
    form_context_name = "read_form"
    success_message = _("Summary marked as read.")

    def act(self, summary: MonthlySummary, data: dict[str, Any], by: Any) -> Any:
        return services.acknowledge_summary(summary=summary, note=data["note"], by=by)


class ReturnSummary(SummaryStep):
    form_context_name = "return_form"
    success_message = _("Summary returned with your comments.")

    def act(self, summary: MonthlySummary, data: dict[str, Any], by: Any) -> Any:
        return services.return_summary(summary=summary, note=data["note"], by=by)


def _check_context(request: HttpRequest, community: Any, form: BaseForm) -> dict[str, Any]:
    sections = daily_check(community)
    checks = DailyCheck.objects.filter(community=community).select_related("checked_by")
    return {
        "form": form,
        "sections": sections,
        "missing": missing_count(sections),
        "done": checks.filter(day=timezone.localdate()).first(),
        "recent": checks[:7],
        "on_duty": [d for d in staff_on_duty(community) if d.role == "supervisor"],
        "can_sign": has_perm_in(request.user, "plans.add_dailycheck", community),
    }


@require_GET
def daily_check_page(request: HttpRequest) -> HttpResponse:
    """What is missing today, each line linking to its record."""
    community = current_community(request, "plans.view_dailycheck")
    form = forms.CheckForm(community=community)
    return render(request, "plans/daily_check.html", _check_context(request, community, form))


@require_POST
def daily_check_sign(request: HttpRequest) -> HttpResponse:
    """The supervisor signs today's check off (once a day)."""
    community = current_community(request, "plans.add_dailycheck")
    form = forms.CheckForm(request.POST, community=community)

    def act() -> None:
        services.sign_off_check(
            community=community, note=form.cleaned_data["note"], by=request_user(request)
        )

    if submit(request, form, act, _("Today's check is signed off.")):
        return HttpResponseRedirect(reverse("plans:daily-check"))
    context = _check_context(request, community, form)
    return render(request, "plans/daily_check.html", context, status=400)
