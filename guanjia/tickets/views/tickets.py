"""Complaint and repair order pages: detail with countdowns, workflow buttons, action steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.pages import apply_errors

from .. import selectors
from .. import services as s
from ..forms import NoteForm
from ..models import Complaint, RepairOrder
from .actions import COMPLAINT_ACTIONS, REPAIR_ACTIONS, Action

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
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(action)s: done.") % {"action": action.label})
                return redirect(f"tickets:{kind}-detail", pk=obj.pk)
        obj.refresh_from_db()
        return _ticket_page(request, kind, obj, failed={action.name: form})

    view.__name__ = f"{kind}_{action.name.replace('-', '_')}"
    return view


@require_GET
def repair_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The work order (派工单) for print, or as PDF with ?format=pdf."""
    order = _ticket(request, "repair", pk)
    context = {"order": order, "document_number": order.number}
    return print_or_pdf(request, "tickets/repairorder_print.html", context,
                        filename=f"{order.number}.pdf", community=order.community)  # fmt: skip
