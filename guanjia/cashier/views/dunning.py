"""Dunning pages (催缴): the cases (an area manager sees their zones), one case with its
register of steps, promises, dispute, instalment plan and notices; the notices of a month,
printed per building as one PDF by a background job; the fee clearance certificate."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.pages import (
    CommunityActionView,
    CommunityDetailView,
    CommunityListView,
    apply_errors,
    current_community,
    submit,
)
from guanjia.estates.models import Unit
from guanjia.estates.selectors.access import is_zone_bound, managed_zone_ids

from .. import services
from ..filters import CaseFilter, NoticeFilter
from ..forms import (
    ClearDisputeForm,
    CloseCaseForm,
    DisputeForm,
    NoticePrintForm,
    OpenCaseForm,
    PlanForm,
    PromiseForm,
    SignatureForm,
    StepForm,
)
from ..models import ArrearsCase, CaseStage, DunningNotice, NoticeBatch
from ..models.dunning import may_chase
from ..selectors.account import unit_account
from ..selectors.dunning import cases_for, plan_progress, promise_states
from ..services.notices import notices_pdf, start_notice_print

VIEW = "cashier.view_arrearscase"
CHASE = "cashier.change_arrearscase"
TEMPLATE = "cashier/case_detail.html"


class CaseList(CommunityListView):
    model, perm, filterset_class = ArrearsCase, VIEW, CaseFilter
    add_perm = "cashier.add_arrearscase"
    related = ("unit__building",)
    template_name = "cashier/case_list.html"

    def base_queryset(self) -> Any:
        rows = cases_for(self.request.user, self.community)  # type: ignore[arg-type]
        return rows.select_related(*self.related).order_by("deadline", "unit__sort_key")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["open_form"] = kwargs.get("open_form") or OpenCaseForm(community=self.community)
        context["today"] = timezone.localdate()
        return context


def case_open(request: HttpRequest) -> HttpResponse:
    """Open a case for a room typed on the list (the cashier)."""
    community = current_community(request, "cashier.add_arrearscase")
    form = OpenCaseForm(request.POST or None, community=community)
    opened: list[ArrearsCase] = []
    if request.method == "POST" and form.is_valid():

        def act() -> None:
            opened.append(
                services.open_case(
                    unit=form.cleaned_data["room"],
                    reason=form.cleaned_data["reason"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Arrears case opened.")):
            return redirect("cashier:case-detail", pk=opened[0].pk)
    return render(
        request,
        "cashier/case_open.html",
        {"form": form, "community": community},
        status=400 if request.method == "POST" else 200,
    )


def _case_context(case: ArrearsCase, user: Any, **forms: BaseForm) -> dict[str, Any]:
    today = timezone.localdate()
    plan = _plan(case)
    return {
        "object": case,
        "case": case,
        "community": case.community,
        "today": today,
        "owed": unit_account(case.unit, day=today),
        "steps": case.steps.select_related("by"),
        "promises": promise_states(case, today),
        "progress": plan_progress(plan, today) if plan is not None else None,
        "notices": case.notices.order_by("-month", "kind"),
        "events": case.events.select_related("actor"),
        "can_chase": case.is_open and may_chase(user, case),
        "can_plan": case.is_open
        and plan is None
        and not case.disputed
        and workflows.can_transition(case, CaseStage.INSTALMENT, by=user),
        "can_settle": workflows.can_transition(case, CaseStage.SETTLED, by=user),
        "can_write_off": workflows.can_transition(case, CaseStage.WRITTEN_OFF, by=user),
        "step_form": forms.get("step_form") or StepForm(),
        "promise_form": forms.get("promise_form") or PromiseForm(),
        "dispute_form": forms.get("dispute_form") or DisputeForm(),
        "clear_form": forms.get("clear_form") or ClearDisputeForm(),
        "plan_form": forms.get("plan_form") or PlanForm(),
        "close_form": forms.get("close_form") or CloseCaseForm(),
    }


def _plan(case: ArrearsCase) -> Any:
    try:
        return case.instalment_plan
    except ArrearsCase.instalment_plan.RelatedObjectDoesNotExist:
        return None


class _CaseMixin:
    """A case the user may see: another community's, or another zone's for an area manager
    bound to zones, is a 404."""

    model: Any = ArrearsCase
    perm: Any = VIEW
    template_name: Any = TEMPLATE
    related: Any = ("unit__building__zone", "community")
    request: HttpRequest
    kwargs: dict[str, Any]
    object: Any

    def get_object(self, queryset: Any = None) -> Any:
        if getattr(self, "object", None) is not None:
            return self.object
        base = ArrearsCase.objects.select_related(*self.related)
        case = get_visible_or_404(base, self.request.user, pk=self.kwargs["pk"])
        if not cases_for(self.request.user, case.community).filter(pk=case.pk).exists():  # type: ignore[arg-type]
            raise Http404
        return case


class CaseDetail(_CaseMixin, CommunityDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _case_context(self.object, request_user(self.request))


class _CaseAction(_CaseMixin, CommunityActionView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _case_context(self.object, request_user(self.request), **kwargs)

    def get_success_url(self) -> str:
        return reverse("cashier:case-detail", args=[self.object.pk])


class CaseStep(_CaseAction):
    form_class, form_context_name = StepForm, "step_form"
    success_message = gettext_lazy("Step recorded.")

    def perform(self, obj: ArrearsCase, form: Any) -> Any:
        return services.record_step(case=obj, by=request_user(self.request), **form.cleaned_data)


class CasePromise(_CaseAction):
    form_class, form_context_name = PromiseForm, "promise_form"
    success_message = gettext_lazy("Promise to pay recorded.")

    def perform(self, obj: ArrearsCase, form: Any) -> Any:
        return services.add_promise(case=obj, by=request_user(self.request), **form.cleaned_data)


class CaseDispute(_CaseAction):
    form_class, form_context_name = DisputeForm, "dispute_form"
    success_message = gettext_lazy("Dispute recorded: the case is paused.")

    def perform(self, obj: ArrearsCase, form: Any) -> Any:
        return services.flag_dispute(case=obj, by=request_user(self.request), **form.cleaned_data)


class CaseClearDispute(_CaseAction):
    form_class, form_context_name = ClearDisputeForm, "clear_form"
    success_message = gettext_lazy("Dispute cleared: the case goes on.")

    def perform(self, obj: ArrearsCase, form: Any) -> Any:
        return services.clear_dispute(case=obj, by=request_user(self.request), **form.cleaned_data)


class CasePlan(_CaseAction):
    form_class, form_context_name = PlanForm, "plan_form"
    success_message = gettext_lazy("Instalment plan agreed.")

    def perform(self, obj: ArrearsCase, form: Any) -> Any:
        return services.set_instalment_plan(
            case=obj,
            schedule=services.parse_schedule(form.cleaned_data["schedule"]),
            note=form.cleaned_data["note"],
            by=request_user(self.request),
        )


class CaseClose(_CaseAction):
    form_class, form_context_name = CloseCaseForm, "close_form"
    success_message = gettext_lazy("Case closed.")

    def perform(self, obj: ArrearsCase, form: Any) -> Any:
        return services.close_case(case=obj, by=request_user(self.request), **form.cleaned_data)


# --- Notices -----------------------------------------------------------------------------------


class NoticeList(CommunityListView):
    model, perm, filterset_class = DunningNotice, VIEW, NoticeFilter
    related = ("unit__building", "case")
    template_name = "cashier/notice_list.html"

    def base_queryset(self) -> Any:
        """An area manager bound to zones sees their zones' notices (spec §26 rule 3)."""
        rows = super().base_queryset()
        user, community = self.request.user, self.community
        if is_zone_bound(user, community):  # type: ignore[arg-type]
            rows = rows.filter(
                unit__building__zone_id__in=managed_zone_ids(user, community)  # type: ignore[arg-type]
            )
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["print_form"] = getattr(self, "print_form", None) or NoticePrintForm(
            community=self.community, initial={"month": f"{timezone.localdate():%Y-%m}"}
        )
        context["batches"] = NoticeBatch.objects.in_community(self.community).select_related(
            "building", "by"
        )[:10]
        return context


@require_POST
def notice_print_batch(request: HttpRequest) -> HttpResponse:
    """Start the PDF of a month's notices of one kind for one building (a background job)."""
    community = current_community(request, VIEW)
    form = NoticePrintForm(request.POST, community=community)
    if form.is_valid():
        try:
            run = start_notice_print(by=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("jobs:jobrun-detail", pk=run.pk)
    view = NoticeList()
    view.setup(request)
    view.print_form = form  # type: ignore[attr-defined]
    response = view.get(request)
    response.status_code = 400
    return response


@require_GET
def notice_batch_download(request: HttpRequest, pk: int) -> FileResponse:
    batch = get_visible_or_404(NoticeBatch, request.user, pk=pk)
    require_perm(request.user, VIEW, batch.community)
    if not batch.file or not default_storage.exists(batch.file):
        raise Http404
    name = f"notices-{batch.building.name}-{batch.kind}-{batch.month:%Y-%m}.pdf"
    return FileResponse(
        default_storage.open(batch.file, "rb"), content_type="application/pdf", filename=name
    )


def _notice_context(notice: DunningNotice, **forms: BaseForm) -> dict[str, Any]:
    return {
        "object": notice,
        "notice": notice,
        "community": notice.community,
        "sign_form": forms.get("sign_form") or SignatureForm(),
    }


class NoticeDetail(CommunityDetailView):
    model, perm, template_name = DunningNotice, VIEW, "cashier/notice_detail.html"
    related = ("unit__building", "case")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = _notice_context(self.object)
        context["can_sign"] = not self.object.signed_by and has_perm_in(
            self.request.user, CHASE, self.object.community_id
        )
        return context


class NoticeSign(CommunityActionView):
    model, perm, template_name = DunningNotice, CHASE, "cashier/notice_detail.html"
    related = ("unit__building", "case")
    form_class, form_context_name = SignatureForm, "sign_form"
    success_message = gettext_lazy("Signature recorded.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**_notice_context(self.object, **kwargs), "can_sign": True}

    def perform(self, obj: DunningNotice, form: Any) -> Any:
        return services.record_signature(
            notice=obj, by=request_user(self.request), **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("cashier:notice-detail", args=[self.object.pk])


@require_GET
def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice (print or ?format=pdf)."""
    notice = get_visible_or_404(
        DunningNotice.objects.select_related("unit__building", "community"),
        request.user,
        pk=pk,
    )
    require_perm(request.user, VIEW, notice.community)
    if request.GET.get("format") == "pdf":
        from guanjia.core.documents.services import pdf_response

        pdf = notices_pdf([notice], notice.community)
        return pdf_response(pdf, f"{notice.kind}-{notice.unit.room_code}.pdf")
    return print_or_pdf(
        request,
        "cashier/notices_print.html",
        {"notices": [notice], "today": timezone.localdate()},
        filename=f"{notice.kind}-{notice.unit.room_code}.pdf",
        community=notice.community,
    )


# --- Fee clearance certificate (清费证明) ---------------------------------------------------


@require_GET
def clearance_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """For a change of owner: prints only when the unit owes nothing (late fees counted to
    today); otherwise the page says what is owed (400)."""
    unit = get_visible_or_404(
        Unit.objects.select_related("building", "community"), request.user, pk=pk
    )
    require_perm(request.user, VIEW, unit.community)
    today = timezone.localdate()
    account = unit_account(unit, day=today)
    context = {
        "unit": unit,
        "account": account,
        "owner": account.owner_name,
        "today": today,
        "community": unit.community,
    }
    if account.total > 0:
        return render(request, "cashier/clearance_refused.html", context, status=400)
    return print_or_pdf(
        request,
        "cashier/clearance_print.html",
        context,
        filename=f"clearance-{unit.room_code}.pdf",
        community=unit.community,
    )
