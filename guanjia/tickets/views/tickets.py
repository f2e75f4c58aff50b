"""What a complaint's and a repair order's pages share: the scoped ticket, the page with its
buttons and timeline, and one button's POST (form, service, redirect or the form again).
Each kind's own page is in `complaints.py` and `repairs.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.pages import apply_errors

from ..moves import Move


@dataclass(frozen=True)
class TicketPage:
    """One kind of ticket page: its model, who may view it, its buttons and its parts."""

    model: type[Model]
    view_perm: str
    related: tuple[str, ...]
    template: str
    detail_url_name: str
    buttons: list[Move]
    # (the ticket, the user) -> the kind's own context (deadlines, actions, photos)
    context: Callable[[Any, Any], dict[str, Any]]


def scoped_ticket(request: HttpRequest, page: TicketPage, pk: int) -> Any:
    """The ticket among those the user sees (else 404), with the view permission (else 403)."""
    queryset = page.model._default_manager.select_related(*page.related)
    ticket: Any = get_visible_or_404(queryset, request.user, pk=pk)
    require_perm(request.user, page.view_perm, ticket.community)
    return ticket


def ticket_page(
    request: HttpRequest,
    page: TicketPage,
    ticket: Any,
    failed: dict[str, Any] | None = None,
    status: int | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    failed = failed or {}
    buttons = [
        (move, failed.get(move.name) or move.form(community=ticket.community), move.page_url_name)
        for move in page.buttons
        if move.offered(ticket, request_user(request))
    ]
    context = {
        "obj": ticket,
        "buttons": buttons,
        "events": ticket.events.select_related("actor"),
        "first_failed": next(iter(failed), ""),
        **page.context(ticket, request.user),
        **(extra or {}),
    }
    return render(request, page.template, context, status=status or (400 if failed else 200))


def run_move(request: HttpRequest, page: TicketPage, move: Move, pk: int) -> HttpResponse:
    """One button: permission, scoped ticket, form, one service call, then the ticket's page.
    A refusal by the service (ValidationError) shows the form again with its errors (400); a
    PermissionDenied is a 403."""
    ticket = scoped_ticket(request, page, pk)
    require_perm(request.user, move.perm, ticket.community)
    form = move.form(request.POST, request.FILES, community=ticket.community)
    if form.is_valid():
        try:
            move.perform(ticket, form.cleaned_data, request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": move.label})
            return redirect(page.detail_url_name, pk=ticket.pk)
    ticket.refresh_from_db()
    return ticket_page(request, page, ticket, failed={move.name: form})
