"""The renovation pages: the list, the application, one renovation with its actions (each a
POST of its own calling one service), the due inspections, contractors and bans, the printed
forms of §17, the public permit page (QR code) and the KPIs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.charts import Bar, bar_chart
from guanjia.core.documents.services import pdf_response, render_pdf
from guanjia.core.pages import (
    CommunityCreateView,
    CommunityDetailView,
    CommunityListView,
    apply_errors,
    current_community,
    paginate,
)
from guanjia.core.policies.selectors import policy

from . import forms, selectors, services
from .filters import ContractorFilter, RenovationFilter
from .models import (
    Contractor,
    DepositRefund,
    RefundStatus,
    RenoStatus,
    Renovation,
)

S = RenoStatus
VIEW = "renovation.view_renovation"
APPLY = "renovation.add_renovation"
RELATED = ("unit", "contractor", "community")


class RenovationList(CommunityListView):
    model = Renovation
    perm = VIEW
    filterset_class = RenovationFilter
    related = ("unit", "contractor")
    add_perm = APPLY
    template_name = "renovation/renovation_list.html"


@require_GET
def due_inspections(request: HttpRequest) -> HttpResponse:
    """The area manager's list of sites to inspect today (their own zones)."""
    community = current_community(request, "renovation.inspect_renovation")
    rows = selectors.due_inspections(request_user(request), community)
    page = paginate(request, rows)
    return render(
        request,
        "renovation/due_inspections.html",
        {"page_obj": page, "object_list": page.object_list, "today": timezone.localdate()},
    )


def apply_view(request: HttpRequest) -> HttpResponse:
    community = current_community(request, APPLY)
    form = forms.ApplyForm(request.POST or None, community=community)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            application = services.Application(
                unit=data["unit"],
                contractor=data["contractor"],
                kind=data["kind"],
                applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"],
                applicant_phone=data["applicant_phone"],
                owner_consent=data["owner_consent"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                items=form.scope(),
            )
            try:
                reno = services.apply(
                    community=community, application=application, by=request_user(request)
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Application %(no)s registered.") % {"no": reno.number})
                return redirect(reno.get_absolute_url())
        status = 400
    items = [form[f"item_{value}"] for value in services.applications.ScopeItem.values]
    return render(
        request, "renovation/renovation_form.html", {"form": form, "items": items}, status=status
    )


def _renovation(request: HttpRequest, pk: int) -> Renovation:
    base = Renovation.objects.select_related(*RELATED)
    reno: Renovation = get_visible_or_404(base, request.user, pk=pk)
    return reno


def _refund(reno: Renovation) -> DepositRefund | None:
    try:
        return reno.refund
    except DepositRefund.DoesNotExist:
        return None


# name -> (form class, prefix, permission to see the form)
FORMS: dict[str, tuple[type[forms.StyledForm], str]] = {
    "plan_form": (forms.PlanForm, "plan"),
    "worker_form": (forms.WorkerForm, "worker"),
    "opinion_form": (forms.OpinionForm, "opinion"),
    "note_form": (forms.NoteForm, "note"),
    "extend_form": (forms.ExtendForm, "extend"),
    "inspect_form": (forms.InspectionForm, "inspect"),
    "accept_form": (forms.AcceptanceForm, "accept"),
    "refund_form": (forms.RefundForm, "refund"),
    "decide_form": (forms.DecideForm, "decide"),
    "pay_form": (forms.PayForm, "pay"),
}


def _can(reno: Renovation, user: Any, to: str) -> bool:
    return workflows.can_transition(reno, to, by=user)


def _render(
    request: HttpRequest, reno: Renovation, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request_user(request)
    refund = _refund(reno)
    has = lambda perm: has_perm_in(user, f"renovation.{perm}", reno.community)  # noqa: E731
    context: dict[str, Any] = {
        "reno": reno,
        "object": reno,
        "items": reno.items.all(),
        "plans": reno.plans.all(),
        "workers": reno.workers.all(),
        "fees": reno.fees.all(),
        "inspections": reno.inspections.select_related("by").prefetch_related("photos")[:20],
        "extensions": reno.extensions.all(),
        "events": reno.events.select_related("actor"),
        "refund": refund,
        "deductions": refund.deductions.all() if refund else [],
        "pending_deductions": services.pending_deductions(reno) if refund is None else [],
        "owed": services.outstanding(reno) if reno.status == S.APPROVED else None,
        "may": {
            "edit": has("add_renovation") and reno.status in services.applications.EDITABLE,
            "workers": has("add_renovation") and reno.status in services.applications.WORKERS_OPEN,
            "submit": _can(reno, user, S.UNDER_REVIEW),
            "review": reno.status == S.UNDER_REVIEW and has("review_renovation"),
            "engineering": reno.status == S.UNDER_REVIEW and has("engineering_review"),
            "approve": reno.status == S.UNDER_REVIEW and _can(reno, user, S.APPROVED),
            "permit": reno.status in (S.APPROVED, S.FEES_PAID) and has("issue_permit"),
            "start": _can(reno, user, S.IN_PROGRESS) and reno.status == S.PERMIT_ISSUED,
            "resume": reno.status == S.SUSPENDED and _can(reno, user, S.IN_PROGRESS),
            "inspect": reno.is_active and has("inspect_renovation"),
            "suspend": _can(reno, user, S.SUSPENDED),
            "extend": _can(reno, user, S.EXTENDED),
            "complete": _can(reno, user, S.COMPLETION_REQUESTED),
            "accept": _can(reno, user, S.INITIAL_ACCEPTED),
            "final": _can(reno, user, S.FINAL_ACCEPTED),
            "refund": reno.status == S.FINAL_ACCEPTED
            and has("request_refund")
            and (refund is None or refund.status == RefundStatus.REJECTED),
            "decide": refund is not None
            and refund.status == RefundStatus.REQUESTED
            and has("decide_refund"),
            "pay": refund is not None
            and refund.status == RefundStatus.APPROVED
            and has("pay_refund"),
        },
        "hours": policy(reno.community, "reno.hours"),
    }
    for name, (form_class, prefix) in FORMS.items():
        context[name] = form_class(prefix=prefix, community=reno.community)
    context.update(extra)
    return render(request, "renovation/renovation_detail.html", context, status=status)


def renovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reno = _renovation(request, pk)
    require_perm(request.user, VIEW, reno.community)
    return _render(request, reno)


Perform = Callable[[Renovation, Any, Any, HttpRequest], Any]


def _act(request: HttpRequest, pk: int, form_name: str, perform: Perform) -> HttpResponse:
    """POST one form to one service: done, back to the page; refused, the page again (400)."""
    reno = _renovation(request, pk)
    require_perm(request.user, VIEW, reno.community)
    form_class, prefix = FORMS[form_name]
    form = form_class(request.POST, request.FILES, prefix=prefix, community=reno.community)
    if form.is_valid():
        try:
            perform(reno, form, request_user(request), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reno.get_absolute_url())
    reno = _renovation(request, pk)
    refusals = [str(e) for e in form.non_field_errors()]
    return _render(request, reno, status=400, refusals=refusals, **{form_name: form})


def _action(form_name: str, perform: Perform) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, form_name, perform)

    return view


def _deductions(text: str) -> list[services.DeductionLine]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.replace("｜", "|").split("|")]
        if len(parts) != 3:
            raise ValidationError(
                {"deductions": _("Line %(n)s: write item | amount | reason.") % {"n": number}}
            )
        lines.append(services.DeductionLine(item=parts[0], amount=parts[1], reason=parts[2]))
    return lines


def _refund_or_refuse(reno: Renovation) -> DepositRefund:
    refund = _refund(reno)
    if refund is None:
        raise ValidationError(_("No refund is requested."), code="no_refund")
    return refund


plan_add = _action(
    "plan_form",
    lambda r, f, by, rq: services.add_plan(
        renovation=r, kind=f.cleaned_data["kind"], upload=f.cleaned_data["file"], by=by
    ),
)
worker_add = _action(
    "worker_form",
    lambda r, f, by, rq: services.add_worker(
        renovation=r,
        name=f.cleaned_data["name"],
        id_number=f.cleaned_data["id_number"],
        phone=f.cleaned_data["phone"],
        photo=f.cleaned_data["photo"],
        by=by,
    ),
)
submit = _action("note_form", lambda r, f, by, rq: services.submit_for_review(renovation=r, by=by))
csc_opinion = _action(
    "opinion_form",
    lambda r, f, by, rq: services.give_opinion(
        renovation=r, opinion=f.cleaned_data["opinion"], by=by, engineering=False
    ),
)
engineering_opinion = _action(
    "opinion_form",
    lambda r, f, by, rq: services.give_opinion(
        renovation=r, opinion=f.cleaned_data["opinion"], by=by, engineering=True
    ),
)
request_changes = _action(
    "note_form",
    lambda r, f, by, rq: services.request_changes(renovation=r, note=f.cleaned_data["note"], by=by),
)
reject = _action(
    "note_form",
    lambda r, f, by, rq: services.reject(renovation=r, note=f.cleaned_data["note"], by=by),
)
approve = _action(
    "note_form",
    lambda r, f, by, rq: services.approve(renovation=r, conditions=f.cleaned_data["note"], by=by),
)
issue_permit = _action("note_form", lambda r, f, by, rq: services.issue_permit(renovation=r, by=by))
start = _action("note_form", lambda r, f, by, rq: services.start_work(renovation=r, by=by))
inspect = _action(
    "inspect_form",
    lambda r, f, by, rq: services.record_inspection(
        renovation=r,
        outcome=f.cleaned_data["outcome"],
        breaches=f.cleaned_data["breaches"],
        instruction=f.cleaned_data["instruction"],
        note=f.cleaned_data["note"],
        photos=rq.FILES.getlist("inspect-photos"),
        by=by,
    ),
)
suspend = _action(
    "note_form",
    lambda r, f, by, rq: services.suspend(renovation=r, reason=f.cleaned_data["note"], by=by),
)
resume = _action(
    "note_form",
    lambda r, f, by, rq: services.resume(renovation=r, note=f.cleaned_data["note"], by=by),
)
extend = _action(
    "extend_form",
    lambda r, f, by, rq: services.extend(
        renovation=r, new_end=f.cleaned_data["new_end"], reason=f.cleaned_data["reason"], by=by
    ),
)
complete = _action(
    "note_form", lambda r, f, by, rq: services.request_completion(renovation=r, by=by)
)
accept_initial = _action(
    "accept_form",
    lambda r, f, by, rq: services.accept_initial(
        renovation=r, checks=f.checks(), defects=f.cleaned_data["defects"], by=by
    ),
)
accept_final = _action(
    "note_form",
    lambda r, f, by, rq: services.accept_final(renovation=r, note=f.cleaned_data["note"], by=by),
)
refund_request = _action(
    "refund_form",
    lambda r, f, by, rq: services.request_refund(
        renovation=r,
        payee=f.cleaned_data["payee"],
        deductions=_deductions(f.cleaned_data["deductions"]),
        by=by,
    ),
)
refund_decide = _action(
    "decide_form",
    lambda r, f, by, rq: services.decide_refund(
        refund=_refund_or_refuse(r),
        approve=f.cleaned_data["decision"] == "approve",
        reason=f.cleaned_data["reason"],
        by=by,
    ),
)
refund_pay = _action(
    "pay_form",
    lambda r, f, by, rq: services.pay_refund(
        refund=_refund_or_refuse(r), reference=f.cleaned_data["reference"], by=by
    ),
)


# --- Printed forms (§17) --------------------------------------------------------------------

DOCUMENTS = {
    "application": (
        _("Renovation application and approval form"),
        "renovation/application_print.html",
    ),
    "permit": (_("Renovation permit"), "renovation/permit_print.html"),
    "stop": (_("Stop-work notice"), "renovation/stop_print.html"),
    "acceptance": (_("Renovation acceptance form"), "renovation/acceptance_print.html"),
    "refund": (_("Deposit refund and deduction list"), "renovation/refund_print.html"),
}
# A document printed only once the renovation has reached the step it records.
DOCUMENT_READY: dict[str, Callable[[Renovation], bool]] = {
    "application": lambda r: True,
    "permit": lambda r: r.permit_issued_on is not None,
    "stop": lambda r: r.events.filter(to_status=S.SUSPENDED).exists(),
    "acceptance": lambda r: r.acceptance_attempts > 0,
    "refund": lambda r: _refund(r) is not None,
}


@require_GET
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    reno = _renovation(request, pk)
    require_perm(request.user, VIEW, reno.community)
    if kind not in DOCUMENTS or not DOCUMENT_READY[kind](reno):
        raise Http404
    title, template = DOCUMENTS[kind]
    refund = _refund(reno)
    stop = reno.events.filter(to_status=S.SUSPENDED).order_by("-at", "-pk").first()
    context = {
        "reno": reno,
        "title": title,
        "document_number": reno.number,
        "items": reno.items.all(),
        "workers": reno.workers.all(),
        "fees": reno.fees.all(),
        "events": reno.events.select_related("actor"),
        "refund": refund,
        "deductions": refund.deductions.all() if refund else [],
        "stop": stop,
        "hours": policy(reno.community, "reno.hours"),
        "exit_time": policy(reno.community, "reno.worker_exit_time"),
        "noisy_weekend": policy(reno.community, "reno.noisy_work_weekend"),
        "permit_url": request.build_absolute_uri(
            reverse("renovation:permit-public", kwargs={"token": reno.permit_token})
        ),
        "acceptance": reno.events.filter(to_status__in=(S.INITIAL_ACCEPTED, S.ACCEPTANCE_FAILED))
        .order_by("-at", "-pk")
        .first(),
        "checks": services.CHECKS,
    }
    if request.GET.get("format") == "pdf":
        pdf = render_pdf(template, context, community=reno.community, request=request)
        return pdf_response(pdf, f"{reno.number}-{kind}.pdf")
    return render(request, template, {**context, "for_pdf": False})


@login_not_required
@require_GET
def permit_public(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone scanning the permit on the door: its validity, the unit and the permitted items
    and hours, nothing personal. The token is unguessable; an unknown one is a 404."""
    reno = selectors.find_permit(token)
    if reno is None:
        raise Http404
    today = timezone.localdate()
    valid = (
        reno.status in (S.PERMIT_ISSUED, S.IN_PROGRESS, S.EXTENDED)
        and reno.planned_start <= today <= reno.current_end
    )
    return render(
        request,
        "renovation/permit_public.html",
        {
            "reno": reno,
            "valid": valid,
            "suspended": reno.status == S.SUSPENDED,
            "hours": policy(reno.community, "reno.hours"),
            "today": today,
        },
    )


# --- Contractors ----------------------------------------------------------------------------


class ContractorList(CommunityListView):
    model = Contractor
    perm = "renovation.view_contractor"
    filterset_class = ContractorFilter
    add_perm = "renovation.add_contractor"
    template_name = "renovation/contractor_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["banned_ids"] = services.banned_contractor_ids(self.community)
        return context


class ContractorCreate(CommunityCreateView):
    model = Contractor
    perm = "renovation.add_contractor"
    form_class = forms.ContractorForm
    template_name = "renovation/contractor_form.html"

    def perform(self, obj: Any, form: Any) -> Any:
        return services.save_contractor(contractor=obj, by=request_user(self.request))


class ContractorDetail(CommunityDetailView):
    model = Contractor
    perm = "renovation.view_contractor"
    template_name = "renovation/contractor_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.pop("contractor", None)
        return _contractor_context(self.object, request_user(self.request), **context)


def _contractor_context(firm: Contractor, user: Any, **context: Any) -> dict[str, Any]:
    contractor = firm
    context.setdefault("ban_form", forms.BanForm(community=contractor.community))
    context.update(
        contractor=contractor,
        object=contractor,
        bans=contractor.bans.select_related("by", "lifted_by"),
        ban=contractor.ban_on(timezone.localdate()),
        renovations=contractor.renovations.select_related("unit")[:20],
        may_ban=has_perm_in(user, "renovation.ban_contractor", contractor.community),
    )
    return context


@require_POST
def contractor_ban(request: HttpRequest, pk: int) -> HttpResponse:
    contractor: Contractor = get_visible_or_404(Contractor.objects.all(), request.user, pk=pk)
    require_perm(request.user, "renovation.view_contractor", contractor.community)
    form = forms.BanForm(request.POST, community=contractor.community)
    if form.is_valid():
        try:
            services.ban_contractor(
                contractor=contractor,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
                by=request_user(request),
                source="desk",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The contractor is on the banned list."))
            return redirect(contractor.get_absolute_url())
    context = _contractor_context(contractor, request_user(request), ban_form=form)
    return render(request, "renovation/contractor_detail.html", context, status=400)


# --- KPIs -----------------------------------------------------------------------------------


@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "renovation.view_renovation_kpis")
    today = timezone.localdate()
    form = forms.KpiForm(request.GET or None, community=community)
    start, end = today.replace(day=1), today
    status = 200
    if request.GET:
        if form.is_valid() and form.cleaned_data["start"] <= form.cleaned_data["end"]:
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        else:
            if form.is_valid():
                form.add_error("end", _("The end is before the start."))
            status = 400
    else:
        form = forms.KpiForm(initial={"start": start, "end": end}, community=community)
    figures = selectors.kpis(community, start, end)
    chart = bar_chart(
        _("Deposits held by days since the permit"),
        [Bar(label, amount) for label, amount in figures.held_by_age.items()],
        unit=_("yuan"),
        decimals=2,
    )
    return render(
        request,
        "renovation/kpis.html",
        {"form": form, "k": figures, "start": start, "end": end, "chart": chart},
        status=status,
    )
