"""The appraisal pages: monthly scores (list, detail with the evidence, the rater's
adjustment, the month's computation), appraisals (list, open a period or a probation
review, detail with the allowed steps), my appraisal, the reports and the pay export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user
from guanjia.core.imports.services import ExportFile, export_or_enqueue
from guanjia.core.pages import CommunityListView, apply_errors, current_community, submit

from . import forms, selectors, services
from .filters import AppraisalFilter, ScoreFilter
from .models import Appraisal, Kind, MonthlyScore, Status

OWN = "appraisal.view_own_appraisal"
SCORES = "appraisal.view_monthlyscore"
ADJUST = "appraisal.adjust_monthlyscore"
COMPUTE = "appraisal.compute_monthlyscore"
EXPORT = "appraisal.export_performance_pay"
VIEW = "appraisal.view_appraisal"
OPEN = "appraisal.add_appraisal"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_see(request: HttpRequest, perm: str) -> None:
    """A manager's permission somewhere, or one's own (else 403); the row is then found
    among those the user may see (else 404)."""
    if not (has_perm_in(request.user, perm, None) or has_perm_in(request.user, OWN, None)):
        raise PermissionDenied


# --- Monthly scores ---------------------------------------------------------------------------


class ScoreList(CommunityListView):
    model, perm, filterset_class = MonthlyScore, SCORES, ScoreFilter
    related = ("employee",)
    template_name = "appraisal/score_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_compute"] = has_perm_in(self.request.user, COMPUTE, self.community)
        context["month_form"] = forms.MonthForm(initial={"month": f"{timezone.localdate():%Y-%m}"})
        return context


@require_POST
def score_compute(request: HttpRequest) -> HttpResponse:
    """Compute the month's scores now (a job with progress)."""
    community = current_community(request, COMPUTE)
    form = forms.MonthForm(request.POST)
    run: list[Any] = []

    def act() -> None:
        month = form.cleaned_data["month"]
        run.append(services.start_month(community=community, month=month, by=request_user(request)))

    if submit(request, form, act, _("The computation has started.")):
        return redirect("jobs:jobrun-detail", pk=run[0].pk)
    rows = MonthlyScore.objects.in_community(community).select_related("employee")[:25]
    context = {"object_list": rows, "month_form": form, "may_compute": True}
    return render(request, "appraisal/score_list.html", context, status=400)


def _score(request: HttpRequest, pk: int) -> MonthlyScore:
    _may_see(request, SCORES)
    base = MonthlyScore.objects.select_related("community", "employee")
    return get_visible_or_404(base, request.user, pk=pk)


def _score_page(
    request: HttpRequest, score: MonthlyScore, form: Any = None, status: int = 200
) -> HttpResponse:
    user = request_user(request)
    context = {
        "score": score,
        "lines": score.lines.all(),
        "adjustments": score.adjustments.select_related("by"),
        "may_adjust": has_perm_in(user, ADJUST, score.community_id)
        and user.pk != score.employee_id,
        "form": form or forms.AdjustForm(),
    }
    return render(request, "appraisal/score_detail.html", context, status=status)


def score_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _score_page(request, _score(request, pk))


@require_POST
def score_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    score = _score(request, pk)
    form = forms.AdjustForm(request.POST)

    def act() -> None:
        services.adjust_score(score=score, by=request_user(request), **form.cleaned_data)

    if submit(request, form, act, _("The score was adjusted; the reason is kept.")):
        return redirect(score.get_absolute_url())
    score.refresh_from_db()
    return _score_page(request, score, form, status=400)


# --- Appraisals -------------------------------------------------------------------------------


class AppraisalList(CommunityListView):
    model, perm, filterset_class = Appraisal, VIEW, AppraisalFilter
    related = ("employee",)
    add_perm = OPEN
    template_name = "appraisal/appraisal_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["open_form"] = forms.OpenPeriodForm(initial={"kind": Kind.QUARTER})
        context["probation_form"] = forms.ProbationForm(community=self.community)
        return context


def _list_again(request: HttpRequest, community: Any, **forms_given: Any) -> HttpResponse:
    context = {
        "object_list": Appraisal.objects.in_community(community).select_related("employee")[:25],
        "can_add": True,
        "open_form": forms.OpenPeriodForm(),
        "probation_form": forms.ProbationForm(community=community),
        **forms_given,
    }
    return render(request, "appraisal/appraisal_list.html", context, status=400)


@require_POST
def appraisal_open(request: HttpRequest) -> HttpResponse:
    community = current_community(request, OPEN)
    form = forms.OpenPeriodForm(request.POST)
    opened: list[Any] = []

    def act() -> None:
        data = form.cleaned_data
        opened.extend(
            services.open_period(
                community=community, kind=data["kind"], day=data["day"], by=request_user(request)
            )
        )

    if submit(request, form, act, _("The appraisals are open.")):
        messages.info(request, _("%(n)s appraisal(s) opened.") % {"n": len(opened)})
        return redirect("appraisal:appraisal-list")
    return _list_again(request, community, open_form=form)


@require_POST
def probation_open(request: HttpRequest) -> HttpResponse:
    community = current_community(request, OPEN)
    form = forms.ProbationForm(request.POST, community=community)
    opened: list[Any] = []

    def act() -> None:
        data = form.cleaned_data
        opened.append(
            services.open_probation(
                community=community,
                employee=data["employee"],
                start=data["start"],
                end=data["end"],
                by=request_user(request),
            )
        )

    if submit(request, form, act, _("The probation review is open.")):
        return redirect(opened[0].get_absolute_url())
    return _list_again(request, community, probation_form=form)


STEP_FORMS: dict[str, Any] = {
    "self-assess": forms.TextForm,
    "dispute": forms.DisputeForm,
    "rate": forms.RateForm,
    "review": forms.NoteForm,
    "confirm": forms.NoteForm,
    "publish": forms.NoteForm,
    "appeal": forms.AppealForm,
    "resolve": forms.ResolveForm,
    "close": forms.NoteForm,
}
WITH_COMMUNITY = ("dispute",)


def _form(step: str, appraisal: Appraisal, data: Any = None) -> Any:
    kwargs = {"community": appraisal.community} if step in WITH_COMMUNITY else {}
    return STEP_FORMS[step](data, prefix=step, **kwargs)


def perform_step(step: str, appraisal: Appraisal, data: dict[str, Any], by: Any) -> Appraisal:
    """The service of one step (the page and the API share it)."""
    if step == "self-assess":
        return services.self_assess(appraisal=appraisal, text=data["text"], by=by)
    if step == "dispute":
        return services.declare_dispute(
            appraisal=appraisal, rater=data["rater"], reason=data["reason"], by=by
        )
    if step == "rate":
        return services.rate(appraisal=appraisal, by=by, **data)
    if step == "review":
        return services.review(appraisal=appraisal, note=data.get("note", ""), by=by)
    if step == "confirm":
        return services.confirm(appraisal=appraisal, by=by)
    if step == "publish":
        return services.publish(appraisal=appraisal, by=by)
    if step == "appeal":
        return services.appeal(appraisal=appraisal, grounds=data["grounds"], by=by)
    if step == "resolve":
        return services.resolve_appeal(
            appraisal=appraisal, result=data["result"], score=data.get("score"), by=by
        )
    return services.close(appraisal=appraisal, by=by)


def allowed_steps(appraisal: Appraisal, user: Any) -> dict[str, bool]:
    """Which steps to offer `user` now (only allowed moves are shown)."""
    S = Status
    can = workflows.can_transition
    is_employee = user.pk == appraisal.employee_id
    return {
        "self-assess": is_employee and can(appraisal, S.SELF_ASSESSED, by=user),
        "dispute": is_employee and appraisal.status in (S.OPEN, S.SELF_ASSESSED),
        "rate": not is_employee and can(appraisal, S.RATED, by=user),
        "review": can(appraisal, S.REVIEWED, by=user),
        "confirm": can(appraisal, S.CONFIRMED, by=user),
        "publish": can(appraisal, S.PUBLISHED, by=user),
        "appeal": can(appraisal, S.APPEALED, by=user)
        and (appraisal.appeal_until is None or timezone.localdate() <= appraisal.appeal_until),
        "resolve": can(appraisal, S.RESOLVED, by=user),
        "close": can(appraisal, S.CLOSED, by=user),
    }


def _appraisal(request: HttpRequest, pk: int) -> Appraisal:
    _may_see(request, VIEW)
    base = Appraisal.objects.select_related(
        "community", "employee", "rater", "reviewer", "confirmed_by", "disputed_with"
    )
    return get_visible_or_404(base, request.user, pk=pk)


def _appraisal_page(
    request: HttpRequest, appraisal: Appraisal, bound: Any = None, status: int = 200
) -> HttpResponse:
    steps = allowed_steps(appraisal, request_user(request))
    built = {
        step: bound if bound is not None and bound.prefix == step else _form(step, appraisal)
        for step, allowed in steps.items()
        if allowed
    }
    if "rate" in built and bound is None and appraisal.base_score is not None:
        built["rate"].initial = {"score": appraisal.base_score}
    context = {
        "appraisal": appraisal,
        "events": appraisal.events.select_related("actor"),
        "forms": built,
    }
    return render(request, "appraisal/appraisal_detail.html", context, status=status)


def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _appraisal_page(request, _appraisal(request, pk))


@require_POST
def appraisal_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    appraisal = _appraisal(request, pk)
    if step not in STEP_FORMS:
        raise Http404
    form = _form(step, appraisal, request.POST)
    if form.is_valid():
        try:
            perform_step(step, appraisal, form.cleaned_data, request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(appraisal.get_absolute_url())
    appraisal.refresh_from_db()
    return _appraisal_page(request, appraisal, bound=form, status=400)


# --- Mine, reports, export ---------------------------------------------------------------------


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not has_perm_in(user, OWN, None):
        raise PermissionDenied
    context = {
        "scores": MonthlyScore.objects.filter(employee=user).select_related("community")[:24],
        "appraisals": Appraisal.objects.filter(employee=user).select_related("community")[:20],
    }
    return render(request, "appraisal/mine.html", context)


def _month_of(request: HttpRequest) -> tuple[forms.MonthForm, Any]:
    raw = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    form = forms.MonthForm({"month": raw})
    return form, form.cleaned_data["month"] if form.is_valid() else None


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """Grade distribution per team and staff below the threshold two months running."""
    community = current_community(request, SCORES)
    form, month = _month_of(request)
    context: dict[str, Any] = {
        "form": form,
        "may_export": has_perm_in(request.user, EXPORT, community),
        "grades": ["A", "B", "C", "D", "E"],
    }
    if month is None:
        return render(request, "appraisal/reports.html", context, status=400)
    context |= {
        "month": month,
        "teams": selectors.grade_distribution(community, month),
        "below": selectors.below_two_months(community, month),
        "previous": selectors.previous_month(month),
    }
    return render(request, "appraisal/reports.html", context)


@require_GET
def pay_export(request: HttpRequest) -> HttpResponse:
    """The month's performance pay as .xlsx (a job when long)."""
    community = current_community(request, EXPORT)
    form, month = _month_of(request)
    if month is None:
        context = {"form": form, "grades": ["A", "B", "C", "D", "E"]}
        return render(request, "appraisal/reports.html", context, status=400)
    result = export_or_enqueue(
        kind="appraisal_pay",
        params={"month": f"{month:%Y-%m}"},
        by=request_user(request),
        community=community,
    )
    if isinstance(result, ExportFile):
        response = HttpResponse(result.content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{result.name}"'
        return response
    return redirect(reverse("jobs:jobrun-detail", args=[result.pk]))
