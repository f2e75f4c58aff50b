"""The violation pages: the list, the re-check list, finding one, one violation with each step
of the ladder as a POST of its own that calls one service, the notice to print (and its PDF),
and the types' list."""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.services import pdf_response, print_context, render_pdf
from guanjia.core.pages import (
    CommunityActionView,
    CommunityListView,
    current_community,
    submit,
)
from guanjia.core.policies.selectors import policy

from . import forms, services
from .filters import ViolationFilter
from .models import (
    AWAITING_RECHECK,
    Violation,
    ViolationNotice,
    ViolationStatus,
    ViolationType,
)
from .selectors import recheck_rows

VIEW = "violations.view_violation"
FIND = "violations.add_violation"
WORK = "violations.change_violation"
ESCALATE = "violations.escalate_violation"
APPEAL = "violations.decide_violation_appeal"
RELATED = ("unit", "kind", "found_by")
S = ViolationStatus


class ViolationList(CommunityListView):
    model = Violation
    perm = VIEW
    filterset_class = ViolationFilter
    related = RELATED
    add_perm = FIND
    template_name = "violations/violation_list.html"


class RecheckList(ViolationList):
    """The notices out, deadline first; an area manager sees their own zones."""

    perm = WORK
    template_name = "violations/recheck_list.html"

    def base_queryset(self) -> Any:
        return recheck_rows(self.community, self.request.user).select_related(*self.related)


def violation_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, FIND)
    form = forms.FindingForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST":
        found: list[Violation] = []

        def act() -> None:
            data = form.cleaned_data
            found.append(
                services.report_violation(
                    community=community,
                    unit=data["room"],
                    kind=data["kind"],
                    description=data["description"],
                    responsible=data["responsible"],
                    source=data["source"],
                    location=data["location"],
                    person_name=data["person_name"],
                    source_ref=data["source_ref"],
                    rule=data["rule"],
                    predates_office=data["predates_office"],
                    photos=[data["photo"]] if data.get("photo") else [],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Violation recorded.")):
            return HttpResponseRedirect(found[0].get_absolute_url())
        return render(request, "violations/violation_form.html", {"form": form}, status=400)
    return render(request, "violations/violation_form.html", {"form": form})


# The forms of the detail page: (context name, form class, the step's POST prefix).
FORMS: dict[str, type[BaseForm]] = {
    "dissuade_form": forms.DissuadeForm,
    "notice_form": forms.NoticeForm,
    "recheck_form": forms.RecheckForm,
    "correct_form": forms.NoteForm,
    "escalate_form": forms.EscalateForm,
    "report_form": forms.ReportForm,
    "transfer_form": forms.NoteForm,
    "measure_form": forms.MeasureForm,
    "appeal_form": forms.AppealForm,
    "decide_form": forms.DecideAppealForm,
    "photo_form": forms.PhotoForm,
}


def _may(violation: Violation, user: Any) -> dict[str, bool]:
    def can(to: str) -> bool:
        return workflows.can_transition(violation, to, by=user)

    open_ = violation.is_open
    working = has_perm_in(user, WORK, violation.community_id)
    return {
        "dissuade": can(S.DISSUADED),
        "notice": can(S.NOTICED),
        "recheck": violation.status in AWAITING_RECHECK and working,
        "correct": can(S.CORRECTED) and violation.status not in AWAITING_RECHECK,
        "escalate": can(S.ESCALATED),
        "report": can(S.REPORTED),
        "transfer": can(S.TRANSFERRED),
        "measure": open_ and working and not violation.predates_office,
        "appeal": violation.status in AWAITING_RECHECK and violation.appeal_on is None and working,
        "decide": violation.appeal_on is not None
        and not violation.appeal_decision
        and has_perm_in(user, APPEAL, violation.community_id),
        "photo": open_ and has_perm_in(user, FIND, violation.community_id),
    }


def detail_context(violation: Violation, user: Any, **bound: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "violation": violation,
        "object": violation,
        "events": violation.events.select_related("actor"),
        "notices": violation.notices.all(),
        "measures": violation.measures.select_related("by"),
        "photos": violation.photos.all(),
        "may": _may(violation, user),
    }
    for name, form_class in FORMS.items():
        context[name] = form_class(prefix=name[:-5], community=violation.community)  # type: ignore[call-arg]
    context.update(bound)
    return context


def _violation(request: HttpRequest, pk: int) -> Violation:
    base = Violation.objects.select_related(
        "community", "unit__building__zone", "kind", "found_by", "appeal_decided_by"
    )
    violation: Violation = get_visible_or_404(base, request.user, pk=pk)
    return violation


def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _violation(request, pk)
    require_perm(request.user, VIEW, violation.community)
    context = detail_context(violation, request_user(request))
    return render(request, "violations/violation_detail.html", context)


class Step(CommunityActionView):
    """One step of the ladder: the detail page's form named `form_context_name`, one service."""

    model = Violation
    perm = VIEW  # the service checks the step's own authority
    related = ("community", "unit__building__zone", "kind", "found_by")
    template_name = "violations/violation_detail.html"
    form_class: ClassVar[type[BaseForm] | None] = None

    def get_form(self) -> BaseForm:
        form_class = FORMS[self.form_context_name]
        return form_class(  # type: ignore[call-arg]
            self.request.POST,
            self.request.FILES,
            prefix=self.form_context_name[:-5],
            community=self.object.community,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object.refresh_from_db()
        refused = kwargs.get(self.form_context_name)
        return detail_context(
            self.object, request_user(self.request), refused_form=refused, **kwargs
        )

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform(self, obj: Any, form: BaseForm) -> Any:
        return self.act(obj, form.cleaned_data)

    @property
    def by(self) -> Any:
        return request_user(self.request)


def serving(data: dict[str, Any]) -> services.Serving:
    return services.Serving(
        demand=data["demand"],
        deadline=data.get("deadline"),
        served_to=data.get("served_to", ""),
        signature=data.get("signature", ""),
        refused_to_sign=bool(data.get("refused_to_sign")),
        refusal_note=data.get("refusal_note", ""),
    )


class Dissuade(Step):
    form_context_name = "dissuade_form"
    success_message = _("Dissuasion recorded.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.dissuade_violation(violation=violation, action=data["action"], by=self.by)


class IssueNotice(Step):
    form_context_name = "notice_form"
    success_message = _("Rectification notice issued: print it from the notices.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.issue_notice(violation=violation, serving=serving(data), by=self.by)


class Recheck(Step):
    form_context_name = "recheck_form"
    success_message = _("Re-check recorded.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.recheck_violation(
            violation=violation,
            corrected=data["corrected"] == "yes",
            note=data["note"],
            by=self.by,
        )


class Correct(Step):
    form_context_name = "correct_form"
    success_message = _("Closed as corrected.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.close_corrected(violation=violation, note=data["note"], by=self.by)


class Escalate(Step):
    form_context_name = "escalate_form"
    success_message = _("Notice issued: print it from the notices.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.escalate_violation(
            violation=violation, kind=data["kind"], serving=serving(data), by=self.by
        )


class Report(Step):
    form_context_name = "report_form"
    success_message = _("Report recorded.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        report = services.Report(
            authority=data["authority"],
            reported_on=data["reported_on"],
            contact=data["contact"],
            reference=data["reference"],
        )
        return services.report_to_authority(violation=violation, report=report, by=self.by)


class Transfer(Step):
    form_context_name = "transfer_form"
    success_message = _("Closed as transferred.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.close_transferred(violation=violation, note=data["note"], by=self.by)


class Measure(Step):
    form_context_name = "measure_form"
    success_message = _("Measure recorded.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.record_measure(
            violation=violation, kind=data["kind"], note=data["note"], by=self.by
        )


class Appeal(Step):
    form_context_name = "appeal_form"
    success_message = _("Appeal recorded: the director decides.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.lodge_appeal(violation=violation, grounds=data["grounds"], by=self.by)


class DecideAppeal(Step):
    form_context_name = "decide_form"
    success_message = _("Appeal decided.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.decide_appeal(
            violation=violation,
            decision=data["decision"],
            note=data["note"],
            deadline=data.get("deadline"),
            by=self.by,
        )


class AddPhoto(Step):
    form_context_name = "photo_form"
    success_message = _("Photo added.")

    def act(self, violation: Violation, data: dict[str, Any]) -> Any:
        return services.add_photo(violation=violation, image=data["image"], by=self.by)


def _data_url(notice: ViolationNotice) -> str:
    """The signature inline (the PDF fetches no served file)."""
    if not notice.signature:
        return ""
    with notice.signature.open("rb") as handle:
        return "data:image/png;base64," + base64.b64encode(handle.read()).decode("ascii")


@require_GET
def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as the paper form (违章整改通知书); `?format=pdf` the same as a PDF."""
    base = ViolationNotice.objects.select_related(
        "violation__community", "violation__unit", "violation__kind", "issued_by"
    )
    notice = base.filter(violation__in=Violation.objects.visible_to(request.user), pk=pk).first()
    if notice is None:
        raise Http404
    violation = notice.violation
    require_perm(request.user, VIEW, violation.community)
    context = {
        "notice": notice,
        "violation": violation,
        "document_number": notice.number,
        "signature_data": _data_url(notice),
        "appeal_days": policy(violation.community, "violation.appeal_days"),
    }
    if request.GET.get("format") == "pdf":
        pdf = render_pdf(
            "violations/notice_print.html", context, community=violation.community, request=request
        )
        return pdf_response(pdf, f"{notice.number}.pdf")
    return render(
        request,
        "violations/notice_print.html",
        print_context(context, violation.community, for_pdf=False),
    )


def type_list(request: HttpRequest) -> HttpResponse:
    """The community's dropdown of types (shared and its own), and a form to add one."""
    community = current_community(request, "violations.view_violationtype")
    user = request_user(request)
    may_add = has_perm_in(user, "violations.add_violationtype", community)
    form = forms.TypeForm(request.POST or None, community=community)
    status = 200
    if request.method == "POST":
        require_perm(user, "violations.add_violationtype", community)

        def act() -> None:
            data = form.cleaned_data
            services.add_type(
                community=community,
                group=data["group"],
                name=data["name"],
                structural=data["structural"],
                by=user,
            )

        if submit(request, form, act, _("Type added.")):
            return HttpResponseRedirect(reverse("violations:type-list"))
        status = 400
    rows = ViolationType.objects.for_community(community)
    context = {"types": rows, "form": form, "may_add": may_add, "community": community}
    return render(request, "violations/type_list.html", context, status=status)


@require_POST
def type_retire(request: HttpRequest, pk: int) -> HttpResponse:
    kind: ViolationType = get_visible_or_404(
        ViolationType.objects.filter(community__isnull=False), request.user, pk=pk
    )
    require_perm(request.user, "violations.change_violationtype", kind.community)
    form = forms.Form({}, community=kind.community)
    submit(
        request,
        form,
        lambda: services.retire_type(kind=kind, by=request_user(request)),
        _("Type retired."),
    )
    return HttpResponseRedirect(reverse("violations:type-list"))
