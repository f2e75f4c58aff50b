"""The front desk and the service register: intake, answers, letters' written replies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import apply_errors, current_community
from guanjia.estates.models import Unit
from guanjia.estates.selectors import search

from .. import selectors, services
from ..forms import AnswerForm, AttachmentForm, ContactForm, LetterDraftForm
from ..models import RequestKind, ServiceRequest
from ..moves import Move
from ..moves import register as register_moves


def _contact(data: dict[str, Any]) -> services.Contact:
    return services.Contact(
        channel=data["channel"],
        kind=data["kind"],
        content=data["content"],
        unit=data["unit"],
        person=data["person"],
        is_anonymous=data["is_anonymous"],
        requester_name=data["requester_name"],
        requester_phone=data["requester_phone"],
        master=data["master_entry"],
        subject=data["subject"],
    )


def _repair(data: dict[str, Any]) -> services.RepairDetails | None:
    if data["kind"] != RequestKind.REPAIR:
        return None
    return services.RepairDetails(
        location=data["location"],
        category=data["category"],
        urgency=data["urgency"],
        place=data["place"],
        appointment_at=data["appointment_at"],
        is_paid=data["is_paid"],
        warranty=data["warranty"] or "none",
    )


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
        data = form.cleaned_data
        try:
            entry = services.take_contact(
                community=community,
                contact=_contact(data),
                by=request_user(request),
                repair=_repair(data),
                answer=data["answer"],
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
    found = search(request_user(request), request.GET.get("q", "")[:50], community, limit=10)
    hits = [
        hit for hit in found if hit.kind in ("unit", "person") and hit.community_id == community.pk
    ]
    return render(request, "tickets/_requester_results.html", {"hits": hits})


@require_GET
def requester_residents(request: HttpRequest) -> HttpResponse:
    """The picked unit's residents (masked phones), to pick who is calling."""
    community = current_community(request, "tickets.add_servicerequest")
    unit_id = request.GET.get("unit", "")
    unit = get_object_or_404(
        Unit.objects.in_community(community), pk=int(unit_id) if unit_id.isdigit() else 0
    )
    residents = selectors.unit_residents(unit)
    return render(request, "tickets/_unit_residents.html", {"residents": residents, "unit": unit})


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
    community = entry.community
    can = {
        name: has_perm_in(request.user, move.perm, community)
        for name, move in register_moves.LETTER_STEPS.items()
    }
    can["attachment"] = has_perm_in(request.user, register_moves.ATTACHMENT.perm, community)
    draft = LetterDraftForm(community=community, initial={"text": entry.letter_reply})
    context = {
        "entry": entry,
        "form": form,
        "can_answer": can["draft"],
        "can": can,
        "repeats": entry.repeats.all(),
        "attachments": entry.attachments.all(),
        # Who checked each draft (a redraft needs its own check; the events keep them all).
        "letter_checks": entry.events.filter(action="letter_checked").select_related("actor"),
        "draft_form": forms.get("draft") or draft,
        "attachment_form": forms.get("attachment") or AttachmentForm(community=community),
    }
    return render(request, "tickets/servicerequest_detail.html", context, status=status)


def _entry_step(request: HttpRequest, pk: int, move: Move) -> HttpResponse:
    """One step of a letter's written reply (or an attachment): permission, form, service.
    A refusal shows the entry's page with the form's errors (400)."""
    entry = get_visible_or_404(ServiceRequest.objects.all(), request.user, pk=pk)
    require_perm(request.user, move.perm, entry.community)
    form = move.form(request.POST, request.FILES, community=entry.community)
    if form.is_valid():
        try:
            move.perform(entry, form.cleaned_data, request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("tickets:request-detail", pk=entry.pk)
    entry.refresh_from_db()
    answer = AnswerForm(community=entry.community)
    if move in (register_moves.LETTER_CHECK, register_moves.LETTER_APPROVE):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _request_page(request, entry, answer, status=400, **{move.name: form})


@require_POST
def letter_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_step(request, pk, register_moves.LETTER_DRAFT)


@require_POST
def letter_check(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_step(request, pk, register_moves.LETTER_CHECK)


@require_POST
def letter_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_step(request, pk, register_moves.LETTER_APPROVE)


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_step(request, pk, register_moves.ATTACHMENT)


@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_visible_or_404(ServiceRequest.objects.all(), request.user, pk=pk)
    require_perm(request.user, register_moves.ANSWER.perm, entry.community)
    form = AnswerForm(request.POST, community=entry.community)
    if form.is_valid():
        try:
            register_moves.ANSWER.perform(entry, form.cleaned_data, request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("tickets:request-detail", pk=entry.pk)
    return _request_page(request, entry, form, status=400)
