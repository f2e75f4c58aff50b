"""The front desk and the service register: intake, answers, letters' written replies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import apply_errors, current_community
from guanjia.estates.selectors import search

from .. import services as s
from ..forms import AnswerForm, AttachmentForm, ContactForm, EmptyForm, LetterDraftForm
from ..models import RequestKind, ServiceRequest


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
    community = current_community(request, "tickets.add_servicerequest")
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
            apply_errors(form, exc)
        else:
            messages.success(request, _("Registered as %(n)s.") % {"n": entry.number})
            return _after_intake(entry)
    status = 400 if form.is_bound else 200
    return render(request, "tickets/servicerequest_form.html", {"form": form}, status=status)


@require_GET
def requester_search(request: HttpRequest) -> HttpResponse:
    """The search box of the front desk form: units and people to pick as requester."""
    community = current_community(request, "tickets.add_servicerequest")
    hits = [
        h for h in search(request.user, request.GET.get("q", "")[:50], community, limit=10)
        if h.kind in ("unit", "person") and h.community_id == community.pk
    ]  # fmt: skip
    return render(request, "tickets/_requester_results.html", {"hits": hits})


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
                apply_errors(form, exc)
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
            apply_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("tickets:request-detail", pk=entry.pk)
    return _request_page(request, entry, form, status=400)
