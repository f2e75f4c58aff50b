"""The service desk's pages: front desk, register, complaints, repairs, dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanjia.accounts.selectors import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.models import Community
from guanjia.estates.selectors import search

from .. import selectors
from .. import services as s
from ..filters import ComplaintFilter, RepairFilter, RequestFilter
from ..forms import (
    AnswerForm,
    AttachmentForm,
    ContactForm,
    EmptyForm,
    LetterDraftForm,
    NoteForm,
    SavedViewForm,
)
from ..models import Complaint, RepairOrder, RequestKind, SavedView, ServiceRequest
from .actions import COMPLAINT_ACTIONS, REPAIR_ACTIONS, Action

PAGE_SIZE = 25
LIST_TEMPLATES = {"requests": "servicerequest", "complaints": "complaint", "repairs": "repairorder"}


def _community(request: HttpRequest, perm: str) -> Community:
    community = getattr(request, "community", None)
    if community is None:
        raise PermissionDenied
    require_perm(request.user, perm, community)
    return community


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Front desk and register ----------------------------------------------------------------


def _contact(d: dict[str, Any]) -> s.Contact:
    return s.Contact(
        channel=d["channel"], kind=d["kind"], content=d["content"], unit=d["unit"],
        person=d["person"], is_anonymous=d["is_anonymous"], requester_name=d["requester_name"],
        requester_phone=d["requester_phone"], master=d["master_entry"], subject=d["subject"],
    )  # fmt: skip


def _repair(d: dict[str, Any]) -> s.RepairDetails | None:
    if d["kind"] != RequestKind.REPAIR:
        return None
    keys = ("location", "category", "urgency", "place", "appointment_at", "is_paid")
    return s.RepairDetails(warranty=d["warranty"] or "none", **{k: d[k] for k in keys})


def _after_intake(entry: ServiceRequest) -> HttpResponse:
    if hasattr(entry, "complaint"):
        return redirect("tickets:complaint-detail", pk=entry.complaint.pk)
    if hasattr(entry, "repair"):
        return redirect("tickets:repair-detail", pk=entry.repair.pk)
    return redirect("tickets:request-detail", pk=entry.pk)


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    """The front desk form: register a contact and open its ticket in one step."""
    community = _community(request, "tickets.add_servicerequest")
    form = ContactForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = s.take_contact(
                community=community,
                contact=_contact(d),
                by=request_user(request),
                repair=_repair(d),
                answer=d["answer"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Registered as %(n)s.") % {"n": entry.number})
            return _after_intake(entry)
    status = 400 if form.is_bound else 200
    return render(request, "tickets/servicerequest_form.html", {"form": form}, status=status)


@require_GET
def requester_search(request: HttpRequest) -> HttpResponse:
    """The search box of the front desk form: units and people to pick as requester."""
    community = _community(request, "tickets.add_servicerequest")
    hits = [
        h for h in search(request.user, request.GET.get("q", "")[:50], community, limit=10)
        if h.kind in ("unit", "person") and h.community_id == community.pk
    ]  # fmt: skip
    return render(request, "tickets/_requester_results.html", {"hits": hits})


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _list(request: HttpRequest, kind: str, perm: str, filter_class: Any, qs: Any) -> HttpResponse:
    community = _community(request, perm)
    flt = filter_class(
        request.GET or None,
        queryset=qs.in_community(community),
        community=community,
        request=request,
    )
    rows = flt.qs if flt.is_valid() else qs.none()
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter": flt, "page_obj": _page(request, rows), "query": params.urlencode(),
        "list_name": kind, "community": community,
        "saved_views": SavedView.objects.filter(user=request_user(request), list_name=kind),
    }  # fmt: skip
    return render(request, f"tickets/{LIST_TEMPLATES[kind]}_list.html", context)


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    qs = ServiceRequest.objects.select_related("unit", "person", "received_by")
    return _list(request, "requests", "tickets.view_servicerequest", RequestFilter, qs)


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_visible_or_404(
        ServiceRequest.objects.select_related("unit", "master"), request.user, pk=pk
    )
    require_perm(request.user, "tickets.view_servicerequest", entry.community)
    return _request_page(request, entry, AnswerForm(community=entry.community))


def _request_page(
    request: HttpRequest, entry: ServiceRequest, form: Any, status: int = 200, **forms: Any
) -> HttpResponse:
    c = entry.community
    can = {name: has_perm_in(request.user, perm, c) for name, perm in LETTER_PERMS.items()}
    draft = LetterDraftForm(community=c, initial={"text": entry.letter_reply})
    context = {
        "entry": entry,
        "form": form,
        "can_answer": can["draft"],
        "can": can,
        "repeats": entry.repeats.all(),
        "attachments": entry.attachments.all(),
        "draft_form": forms.get("draft") or draft,
        "attachment_form": forms.get("attachment") or AttachmentForm(community=c),
    }
    return render(request, "tickets/servicerequest_detail.html", context, status=status)


LETTER_PERMS = {
    "draft": "tickets.change_servicerequest",
    "check": "tickets.check_letter",
    "approve": "tickets.approve_letter",
    "attachment": "tickets.change_servicerequest",
}


def _letter_step(name: str, form_class: Any, perform: Callable[..., Any]) -> Callable[..., Any]:
    """One step of a letter's written reply (or an attachment): permission, form, service."""

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_visible_or_404(ServiceRequest.objects.all(), request.user, pk=pk)
        require_perm(request.user, LETTER_PERMS[name], entry.community)
        form = form_class(request.POST, request.FILES, community=entry.community)
        if form.is_valid():
            try:
                perform(entry, form.cleaned_data, request_user(request))
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("tickets:request-detail", pk=entry.pk)
        entry.refresh_from_db()
        answer = AnswerForm(community=entry.community)
        if name in ("check", "approve"):
            for error in form.non_field_errors():
                messages.error(request, error)
        return _request_page(request, entry, answer, status=400, **{name: form})

    view.__name__ = f"request_letter_{name}"
    return view


letter_draft = _letter_step(
    "draft", LetterDraftForm, lambda e, d, by: s.draft_letter_reply(entry=e, text=d["text"], by=by)
)
letter_check = _letter_step(
    "check", EmptyForm, lambda e, d, by: s.check_letter_reply(entry=e, by=by)
)
letter_approve = _letter_step(
    "approve", EmptyForm, lambda e, d, by: s.approve_letter_reply(entry=e, by=by)
)
attachment_add = _letter_step(
    "attachment",
    AttachmentForm,
    lambda e, d, by: s.add_attachment(entry=e, upload=d["file"], by=by),
)


@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_visible_or_404(ServiceRequest.objects.all(), request.user, pk=pk)
    require_perm(request.user, "tickets.change_servicerequest", entry.community)
    form = AnswerForm(request.POST, community=entry.community)
    if form.is_valid():
        try:
            s.answer_request(
                entry=entry, answer=form.cleaned_data["answer"], by=request_user(request)
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("tickets:request-detail", pk=entry.pk)
    return _request_page(request, entry, form, status=400)


# --- Tickets ---------------------------------------------------------------------------------

TICKETS: dict[str, tuple[type[Model], list[Action], str]] = {
    "complaint": (Complaint, COMPLAINT_ACTIONS, "tickets.view_complaint"),
    "repair": (RepairOrder, REPAIR_ACTIONS, "tickets.view_repairorder"),
}


def _ticket(request: HttpRequest, kind: str, pk: int) -> Any:
    model, _actions, perm = TICKETS[kind]
    related = (
        ("request", "handler", "about_employee")
        if kind == "complaint"
        else ("request", "technician", "unit")
    )
    obj = get_visible_or_404(model._default_manager.select_related(*related), request.user, pk=pk)  # type: ignore[attr-defined]
    require_perm(request.user, perm, obj.community)
    return obj


def _ticket_page(
    request: HttpRequest,
    kind: str,
    obj: Any,
    failed: dict[str, Any] | None = None,
    status: int | None = None,
) -> HttpResponse:
    _model, actions, _perm = TICKETS[kind]
    failed = failed or {}
    buttons = [
        (a, failed.get(a.name) or a.form(community=obj.community), f"tickets:{kind}-{a.name}")
        for a in actions
        if obj.status in a.states and has_perm_in(request.user, a.perm, obj.community)
    ]
    context = {
        "obj": obj, "buttons": buttons, "events": obj.events.select_related("actor"),
        "first_failed": next(iter(failed), ""),
        "countdowns": _countdowns(kind, obj),
    }  # fmt: skip
    if kind == "complaint":
        context["actions"] = obj.actions.select_related("owner", "done_by", "verified_by")
        context["can_handle_actions"] = has_perm_in(
            request.user, "tickets.add_complaintaction", obj.community
        )
    else:
        context["photos"] = obj.photos.all()
    template = f"tickets/{'complaint' if kind == 'complaint' else 'repairorder'}_detail.html"
    return render(request, template, context, status=status or (400 if failed else 200))


ACTION_STEPS: dict[str, Callable[..., Any]] = {
    "done": s.complete_complaint_action,
    "verified": s.verify_complaint_action,
}


def complaint_action_step(step: str) -> Callable[..., HttpResponse]:
    """A corrective / preventive action is done or verified (the service checks who may)."""

    @require_POST
    def view(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
        complaint = _ticket(request, "complaint", pk)
        action = get_object_or_404(complaint.actions.all(), pk=action_pk)
        form = NoteForm(request.POST, community=complaint.community)
        try:
            if not form.is_valid():
                raise ValidationError(list(form.errors["note"]))
            ACTION_STEPS[step](
                action=action, note=form.cleaned_data["note"], by=request_user(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _ticket_page(request, "complaint", complaint, status=400)
        done = _("The action is recorded as done.")
        messages.success(request, done if step == "done" else _("The action is verified."))
        return redirect("tickets:complaint-detail", pk=complaint.pk)

    view.__name__ = f"complaint_action_{step}"
    return view


def _countdowns(kind: str, obj: Any) -> list[tuple[str, Any, Any, str]]:
    """(label, due, met, countdown) of each deadline of the ticket."""
    if kind == "complaint":
        rows = [
            (_("First reply"), obj.first_reply_due, obj.first_reply_met, obj.first_replied_at),
            (_("Resolution"), obj.resolve_due, obj.resolve_met, obj.resolved_at),
        ]
    else:
        rows = [
            (_("Arrival"), obj.arrive_due, obj.arrive_met, obj.arrived_at),
            (_("Completion"), obj.complete_due, obj.complete_met, obj.completed_at),
        ]
    return [
        (label, due, met, "" if done else selectors.countdown(due))
        for label, due, met, done in rows
    ]


def ticket_detail(kind: str) -> Callable[..., HttpResponse]:
    @require_GET
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _ticket_page(request, kind, _ticket(request, kind, pk))

    view.__name__ = f"{kind}_detail"
    return view


def action_view(kind: str, action: Action) -> Callable[..., HttpResponse]:
    """One workflow button: permission, scoped ticket, form, one service call, redirect."""

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        obj = _ticket(request, kind, pk)
        require_perm(request.user, action.perm, obj.community)
        form = action.form(request.POST, request.FILES, community=obj.community)
        if form.is_valid():
            try:
                action.perform(obj, form.cleaned_data, request_user(request))
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("%(action)s: done.") % {"action": action.label})
                return redirect(f"tickets:{kind}-detail", pk=obj.pk)
        obj.refresh_from_db()
        return _ticket_page(request, kind, obj, failed={action.name: form})

    view.__name__ = f"{kind}_{action.name.replace('-', '_')}"
    return view


@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    qs = Complaint.objects.select_related("request", "request__unit", "handler")
    return _list(request, "complaints", "tickets.view_complaint", ComplaintFilter, qs)


@require_GET
def repair_list(request: HttpRequest) -> HttpResponse:
    qs = RepairOrder.objects.select_related("unit", "technician")
    return _list(request, "repairs", "tickets.view_repairorder", RepairFilter, qs)


@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    """The technician's phone page: my open jobs, most urgent first."""
    community = _community(request, "tickets.work_repairorder")
    jobs = (
        RepairOrder.objects.open().filter(community=community).filter(technician=request.user)
        .select_related("unit").order_by("arrive_due")[:50]
    )  # fmt: skip
    return render(request, "tickets/repairorder_my_jobs.html", {"jobs": jobs})


@require_GET
def repair_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The work order (派工单) for print, or as PDF with ?format=pdf."""
    order = _ticket(request, "repair", pk)
    context = {"order": order, "document_number": order.number}
    return print_or_pdf(request, "tickets/repairorder_print.html", context,
                        filename=f"{order.number}.pdf", community=order.community)  # fmt: skip


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's dashboard: today's intake, open by status, overdue, due soon."""
    community = _community(request, "tickets.change_complaint")
    return render(request, "tickets/dashboard.html", {"d": selectors.dashboard(community)})


@require_POST
def savedview_create(request: HttpRequest) -> HttpResponse:
    community = _community(request, "tickets.view_servicerequest")
    form = SavedViewForm(request.POST, community=community)
    if not form.is_valid():
        messages.error(request, _("Give the view a name."))
        return redirect("tickets:request-list")
    d = form.cleaned_data
    SavedView.objects.update_or_create(
        user=request_user(request), list_name=d["list_name"], name=d["name"],
        defaults={"querystring": d["querystring"]},
    )  # fmt: skip
    messages.success(request, _("View saved."))
    target = {"complaints": "complaint-list", "repairs": "repair-list"}.get(
        d["list_name"], "request-list"
    )
    return redirect(f"tickets:{target}")


@require_POST
def savedview_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = SavedView.objects.filter(user=request_user(request), pk=pk).first()
    if view is None:
        from django.http import Http404

        raise Http404
    view.delete()
    messages.success(request, _("View removed."))
    return redirect("tickets:request-list")
