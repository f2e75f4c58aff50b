"""The sanctions pages: the list, reporting a breach (phone-friendly for guards), one record
with each step as a POST of its own that calls one service, the record to print (and its
PDF), the sanction table and the KPIs."""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.services import pdf_response, print_context, render_pdf
from guanjia.core.pages import CommunityActionView, CommunityListView, current_community, submit

from . import forms, selectors, services
from .filters import BreachFilter
from .models import MEASURES, Breach, BreachNotice, BreachStatus, SanctionType

VIEW = "sanctions.view_breach"
REPORT = "sanctions.add_breach"
WORK = "sanctions.change_breach"
KPI = "sanctions.view_breach_kpis"
RELATED = ("kind", "contractor", "unit", "reported_by")
DETAIL_RELATED = (
    "community",
    "kind",
    "contractor",
    "unit",
    "renovation__unit",
    "renovation__contractor",
    "pass_obj",
    "reported_by",
    "verified_by",
    "decided_by",
    "executed_by",
    "appeal_decided_by",
    "ban",
)
S = BreachStatus


class BreachList(CommunityListView):
    model = Breach
    perm = VIEW
    filterset_class = BreachFilter
    related = RELATED
    add_perm = REPORT
    template_name = "sanctions/breach_list.html"


def breach_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, REPORT)
    form = forms.ReportForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST":
        made: list[Breach] = []

        def act() -> None:
            data = form.cleaned_data
            report = services.Report(
                kind=data["kind"],
                place=data["place"],
                description=data["description"],
                source=data["source"],
                person_kind=data["person_kind"],
                pass_number=data["pass_number"],
                person_name=data["person_name"],
                employer=data["employer"],
                resident_name=data["resident_name"],
                unidentified=data["unidentified"],
                occurred_at=data.get("occurred_at"),
                renovation=data.get("renovation_no"),
            )
            made.append(
                services.report_breach(
                    community=community,
                    report=report,
                    photos=[data["photo"]] if data.get("photo") else [],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Breach recorded.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return render(request, "sanctions/breach_form.html", {"form": form}, status=400)
    return render(request, "sanctions/breach_form.html", {"form": form})


FORMS: dict[str, type[BaseForm]] = {
    "verify_form": forms.VerifyForm,
    "decide_form": forms.DecideForm,
    "notify_form": forms.NotifyForm,
    "execute_form": forms.ExecuteForm,
    "appeal_form": forms.AppealForm,
    "appeal_decide_form": forms.DecideAppealForm,
    "close_form": forms.NoteForm,
    "cancel_form": forms.NoteForm,
    "photo_form": forms.PhotoForm,
}


def _may(breach: Breach, user: Any) -> dict[str, bool]:
    def can(to: str) -> bool:
        return workflows.can_transition(breach, to, by=user)

    last = services.appeal_until(breach)
    in_window = last is not None and timezone.localdate() <= last
    appeal_decider = has_perm_in(user, "sanctions.decide_breach_appeal", breach.community_id)
    return {
        "verify": can(S.VERIFIED),
        "decide": can(S.DECIDED),
        "notify": breach.status == S.DECIDED and can(S.NOTIFIED),
        "execute": breach.status == S.NOTIFIED and can(S.EXECUTED),
        "appeal": breach.status in (S.NOTIFIED, S.EXECUTED) and in_window and can(S.APPEALED),
        "appeal_decide": breach.status == S.APPEALED and appeal_decider,
        "close": can(S.CLOSED) and not in_window,
        "cancel": breach.status in (S.REPORTED, S.VERIFIED) and can(S.CANCELLED),
        "photo": breach.is_open and has_perm_in(user, REPORT, breach.community_id),
    }


def _decide_initial(breach: Breach) -> dict[str, Any]:
    initial: dict[str, Any] = {"amount": breach.kind.default_amount, "damage": 0}
    for name in MEASURES:
        initial[name] = getattr(breach.kind, name)
    if services.ban_is_proposed(breach):
        initial["ban_contractor"] = True
    return initial


def detail_context(breach: Breach, user: Any, **bound: Any) -> dict[str, Any]:
    may = _may(breach, user)
    context: dict[str, Any] = {
        "breach": breach,
        "object": breach,
        "events": breach.events.select_related("actor"),
        "notices": breach.notices.select_related("served_by"),
        "photos": breach.photos.all(),
        "parties": services.parties(breach),
        "appeal_until": services.appeal_until(breach),
        "deduction_ref": selectors.deduction_reference(breach),
        "ban_proposed": breach.ban_proposed or (may["decide"] and services.ban_is_proposed(breach)),
        "may": may,
    }
    for name, form_class in FORMS.items():
        initial = _decide_initial(breach) if name == "decide_form" and may["decide"] else None
        context[name] = form_class(  # type: ignore[call-arg]
            prefix=name[:-5], community=breach.community, initial=initial
        )
    context.update(bound)
    return context


def _breach(request: HttpRequest, pk: int) -> Breach:
    base = Breach.objects.select_related(*DETAIL_RELATED)
    breach: Breach = get_visible_or_404(base, request.user, pk=pk)
    return breach


def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    breach = _breach(request, pk)
    require_perm(request.user, VIEW, breach.community)
    context = detail_context(breach, request_user(request))
    return render(request, "sanctions/breach_detail.html", context)


class Step(CommunityActionView):
    """One step: the detail page's form named `form_context_name`, one service."""

    model = Breach
    perm = VIEW  # the service checks the step's own authority
    related = DETAIL_RELATED
    template_name = "sanctions/breach_detail.html"
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

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        raise NotImplementedError

    def perform(self, obj: Any, form: BaseForm) -> Any:
        return self.act(obj, form.cleaned_data, form)

    @property
    def by(self) -> Any:
        return request_user(self.request)


class Verify(Step):
    form_context_name = "verify_form"
    success_message = _("Breach verified.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.verify_breach(
            breach=breach,
            note=data["note"],
            pass_number=data["pass_number"],
            person_name=data["person_name"],
            employer=data["employer"],
            by=self.by,
        )


class Decide(Step):
    form_context_name = "decide_form"
    success_message = _("Sanction decided: tell the contractor and the owner.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.decide_sanction(
            breach=breach,
            amount=data["amount"],
            damage=data["damage"],
            measures=form.measures(),
            note=data["note"],
            by=self.by,
        )


class Notify(Step):
    form_context_name = "notify_form"
    success_message = _("Notice recorded.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.notify_party(
            breach=breach,
            party=data["party"],
            signer=data["signer"],
            signature=data["signature"],
            refused_to_sign=data["refused_to_sign"],
            refusal_note=data["refusal_note"],
            by=self.by,
        )


class Execute(Step):
    form_context_name = "execute_form"
    success_message = _("Sanction executed.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.execute_breach(
            breach=breach,
            note=data["note"],
            police_ref=data["police_ref"],
            ban_until=data.get("ban_until"),
            by=self.by,
        )


class Appeal(Step):
    form_context_name = "appeal_form"
    success_message = _("Appeal recorded: the director decides.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.lodge_appeal(
            breach=breach, party=data["party"], grounds=data["grounds"], by=self.by
        )


class DecideAppeal(Step):
    form_context_name = "appeal_decide_form"
    success_message = _("Appeal decided.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.decide_appeal(
            breach=breach,
            decision=data["decision"],
            note=data["note"],
            amount=data.get("amount"),
            by=self.by,
        )


class Close(Step):
    form_context_name = "close_form"
    success_message = _("Record closed.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.close_breach(breach=breach, note=data["note"], by=self.by)


class Cancel(Step):
    form_context_name = "cancel_form"
    success_message = _("Record cancelled.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.cancel_breach(breach=breach, note=data["note"], by=self.by)


class AddPhoto(Step):
    perm = REPORT
    form_context_name = "photo_form"
    success_message = _("Photo added.")

    def act(self, breach: Breach, data: dict[str, Any], form: Any) -> Any:
        return services.add_photo(breach=breach, image=data["image"], by=self.by)


def _data_url(notice: BreachNotice) -> str:
    """The signature inline (the PDF fetches no served file)."""
    if not notice.signature:
        return ""
    with notice.signature.open("rb") as handle:
        return "data:image/png;base64," + base64.b64encode(handle.read()).decode("ascii")


@require_GET
def breach_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The record as the paper form (人员违规处理记录); `?format=pdf` the same as a PDF."""
    breach = _breach(request, pk)
    require_perm(request.user, VIEW, breach.community)
    notices = list(breach.notices.select_related("served_by"))
    context = {
        "breach": breach,
        "document_number": breach.number,
        "notices": [(n, _data_url(n)) for n in notices],
        "photos": breach.photos.count(),
        "deduction_ref": selectors.deduction_reference(breach),
        "appeal_until": services.appeal_until(breach),
    }
    if request.GET.get("format") == "pdf":
        pdf = render_pdf(
            "sanctions/breach_print.html", context, community=breach.community, request=request
        )
        return pdf_response(pdf, f"{breach.number}.pdf")
    return render(
        request,
        "sanctions/breach_print.html",
        print_context(context, breach.community, for_pdf=False),
    )


def table(request: HttpRequest) -> HttpResponse:
    """The community's sanction table; the supervisor edits a line."""
    community = current_community(request, "sanctions.view_sanctiontype")
    user = request_user(request)
    rows = SanctionType.objects.filter(community=community).order_by("sort", "pk")
    may_edit = has_perm_in(user, "sanctions.change_sanctiontype", community)
    return render(
        request,
        "sanctions/table.html",
        {"rows": rows, "may_edit": may_edit, "community": community},
    )


def table_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line: SanctionType = get_visible_or_404(SanctionType.objects.all(), request.user, pk=pk)
    require_perm(request.user, "sanctions.change_sanctiontype", line.community)
    initial = {
        "name": line.name,
        "default_amount": line.default_amount,
        "max_amount": line.max_amount,
        "per_person": line.per_person,
        "plus_damage": line.plus_damage,
        "active": line.active,
        **{name: getattr(line, name) for name in MEASURES},
    }
    form = forms.TableLineForm(request.POST or None, initial=initial, community=line.community)
    if request.method == "POST":

        def act() -> None:
            data = form.cleaned_data
            services.save_sanction_type(
                line=line,
                name=data["name"],
                default_amount=data["default_amount"],
                max_amount=data["max_amount"],
                per_person=data["per_person"],
                plus_damage=data["plus_damage"],
                active=data["active"],
                measures=form.measures(),
                by=request_user(request),
            )

        if submit(request, form, act, _("Sanction table saved.")):
            return HttpResponseRedirect(reverse("sanctions:table"))
        return render(
            request, "sanctions/table_form.html", {"form": form, "line": line}, status=400
        )
    return render(request, "sanctions/table_form.html", {"form": form, "line": line})


@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    """Breaches by type and by contractor in a period; the banned contractors (§19, §27)."""
    community = current_community(request, KPI)
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}
    form = forms.KpiQuery({**initial, **request.GET.dict()})
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context["report"] = selectors.kpis(community, **form.cleaned_data)
    return render(request, "sanctions/kpis.html", context, status=200 if form.is_valid() else 400)
