"""The repair order page (spec §15): details, deadlines, photos, timeline and its buttons,
one view per button (`moves/repair.py` says what each does); the printed work order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import has_perm_in, request_user
from guanjia.core.documents.views import print_or_pdf

from .. import selectors, services
from ..models import RepairOrder
from ..moves import repair as moves
from .tickets import TicketPage, run_move, scoped_ticket, ticket_page

if TYPE_CHECKING:
    from guanjia.core.access import User


def _repair_context(order: RepairOrder, user: User) -> dict[str, Any]:
    deadlines = [
        (_("Arrival"), order.arrive_due, order.arrive_met, order.arrived_at),
        (_("Completion"), order.complete_due, order.complete_met, order.completed_at),
    ]
    return {
        "countdowns": [
            (label, due, met, "" if done else selectors.countdown(due), waits)
            for (label, due, met, done), waits in zip(
                deadlines, selectors.repair_clock_waits(order), strict=True
            )
        ],
        "photos": order.photos.all(),
        "contact": services.job_contact(order),
        "may_call": services.may_call(user, order),
        "may_view_entry": has_perm_in(user, "tickets.view_servicerequest", order.community),
    }


REPAIR_PAGE = TicketPage(
    model=RepairOrder,
    view_perm="tickets.view_repairorder",
    related=("request__person", "technician", "unit"),
    template="tickets/repairorder_detail.html",
    detail_url_name="tickets:repair-detail",
    buttons=moves.BUTTONS,
    context=_repair_context,
)


@require_GET
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return ticket_page(request, REPAIR_PAGE, scoped_ticket(request, REPAIR_PAGE, pk))


@require_POST
def repair_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.DISPATCH, pk)


@require_POST
def repair_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.ACCEPT, pk)


@require_POST
def repair_arrive(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.ARRIVE, pk)


@require_POST
def repair_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.PHOTO, pk)


@require_POST
def repair_quote(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.QUOTE, pk)


@require_POST
def repair_decide_quote(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.DECIDE_QUOTE, pk)


@require_POST
def repair_parts(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.PARTS, pk)


@require_POST
def repair_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.RESUME, pk)


@require_POST
def repair_no_access(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.NO_ACCESS, pk)


@require_POST
def repair_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.COMPLETE, pk)


@require_POST
def repair_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.VERIFY, pk)


@require_POST
def repair_rework(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.REWORK, pk)


@require_POST
def repair_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return run_move(request, REPAIR_PAGE, moves.CANCEL, pk)


@require_POST
def repair_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's phone in full, as a call link, for the job's technician (logged)."""
    order = scoped_ticket(request, REPAIR_PAGE, pk)
    try:
        contact = services.reveal_job_contact(order=order, by=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return ticket_page(request, REPAIR_PAGE, order, status=400)
    return ticket_page(request, REPAIR_PAGE, order, extra={"contact": contact})


@require_GET
def repair_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The work order (派工单) for print, or as PDF with ?format=pdf."""
    order = scoped_ticket(request, REPAIR_PAGE, pk)
    context = {"order": order, "document_number": order.number}
    return print_or_pdf(
        request,
        "tickets/repairorder_print.html",
        context,
        filename=f"{order.number}.pdf",
        community=order.community,
    )
