"""The complaint page (spec §08): details, deadlines, timeline, its buttons and its corrective
and preventive actions. One view per button (`moves/complaint.py` says what each does)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import has_perm_in, request_user
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.personal_data import mask_phone

from .. import selectors, services
from ..forms import NoteForm
from ..models import Complaint
from ..moves import complaint as moves
from .tickets import TicketPage, run_move, scoped_ticket, ticket_page

if TYPE_CHECKING:
    from guanjia.core.access import User


def _complaint_context(complaint: Complaint, user: User) -> dict[str, Any]:
    deadlines = [
        (
            _("First reply"),
            complaint.first_reply_due,
            complaint.first_reply_met,
            complaint.first_replied_at,
        ),
        (_("Resolution"), complaint.resolve_due, complaint.resolve_met, complaint.resolved_at),
    ]
    return {
        "countdowns": [
            (label, due, met, "" if done else selectors.countdown(due), waits)
            for (label, due, met, done), waits in zip(
                deadlines, selectors.complaint_clock_waits(complaint), strict=True
            )
        ],
        "actions": complaint.actions.select_related("owner", "done_by", "verified_by"),
        "can_handle_actions": has_perm_in(user, "tickets.add_complaintaction", complaint.community),
    }


COMPLAINT_PAGE = TicketPage(
    model=Complaint,
    view_perm="tickets.view_complaint",
    related=(
        "request__person",
        "request__unit",
        "request__received_by",
        "handler",
        "about_employee",
    ),
    template="tickets/complaint_detail.html",
    detail_url_name="tickets:complaint-detail",
    buttons=moves.BUTTONS,
    context=_complaint_context,
)


@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return ticket_page(request, COMPLAINT_PAGE, scoped_ticket(request, COMPLAINT_PAGE, pk))


@require_POST
def complaint_classify(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.CLASSIFY, pk)


@require_POST
def complaint_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.PROGRESS, pk)


@require_POST
def complaint_promise(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.PROMISE, pk)


@require_POST
def complaint_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.RESOLVE, pk)


@require_POST
def complaint_reply(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.REPLY, pk)


@require_POST
def complaint_close(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.CLOSE, pk)


@require_POST
def complaint_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.REOPEN, pk)


@require_POST
def complaint_action(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, COMPLAINT_PAGE, moves.ACTION, pk)


def _action_step(
    request: HttpRequest, pk: int, action_pk: int, step: Any, done_message: str
) -> HttpResponse:
    """A corrective / preventive action is done or verified (the service checks who may:
    PermissionDenied is a 403); a refusal shows the complaint's page with the message (400)."""
    complaint = scoped_ticket(request, COMPLAINT_PAGE, pk)
    action = get_object_or_404(complaint.actions.all(), pk=action_pk)
    form = NoteForm(request.POST, community=complaint.community)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["note"]))
        step(action=action, note=form.cleaned_data["note"], by=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return ticket_page(request, COMPLAINT_PAGE, complaint, status=400)
    messages.success(request, done_message)
    return redirect("tickets:complaint-detail", pk=complaint.pk)


@require_POST
def complaint_action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    return _action_step(
        request,
        pk,
        action_pk,
        services.complete_complaint_action,
        _("The action is recorded as done."),
    )


@require_POST
def complaint_action_verified(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    return _action_step(
        request, pk, action_pk, services.verify_complaint_action, _("The action is verified.")
    )


@require_GET
def complaint_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The complaint record (投诉处理记录表, spec §08) for print, or as PDF with ?format=pdf;
    the complainant's phone masked as on the page."""
    complaint = scoped_ticket(request, COMPLAINT_PAGE, pk)
    entry = complaint.request
    phone = entry.requester_phone or (entry.person.mobile if entry.person else "")
    context = {
        "obj": complaint,
        "document_number": complaint.number,
        "phone_masked": "" if entry.is_anonymous else mask_phone(phone),
        "progress": complaint.events.filter(action="progress").select_related("actor"),
        "actions": complaint.actions.select_related("owner"),
    }
    return print_or_pdf(
        request,
        "tickets/complaint_print.html",
        context,
        filename=f"{complaint.number}.pdf",
        community=complaint.community,
    )
