"""Who is told what on the service desk, declared next to its workflows (docs/workbench.md).

Every move of the register entry (`ServiceRequest`), complaints and repairs goes through
`core.workflows`, so these rules fire on commit: a new complaint reaches the supervisor, a new
repair the engineering lead, a dispatched repair its technician, a letter's reply its checker,
its approver and its drafter. The SLA sweep's warnings and breaches are declared here too, for
the events the sweep will record (`deadline_warning`, `deadline_breached`, with `deadline` and
`due` in the event's data); until then `services/sla.py` tells the same people itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Complaint, RepairOrder, RequestKind, ServiceRequest

BOTH = (Channel.INBOX, Channel.SMS, Channel.WECHAT)


def _holding(obj: Any, *perms: str) -> Any:
    """Active staff holding every one of `perms` in the object's community (company-wide
    roles included)."""
    company_id = obj.community.company_id
    people = staff_holding([perms[0]], company_id=company_id, community_id=obj.community_id)
    for perm in perms[1:]:
        more = staff_holding([perm], company_id=company_id, community_id=obj.community_id)
        people = people.filter(pk__in=more.values("pk"))
    return people.order_by("pk")


def supervisors(obj: Any, happened: Happening | None = None) -> Any:
    """Who classifies complaints and watches the desk's deadlines: the supervisor (and the
    director, who holds the same permissions)."""
    return _holding(obj, "tickets.change_complaint", "tickets.view_desk_kpis")


def dispatchers(obj: Any, happened: Happening | None = None) -> Any:
    """The engineering lead: who dispatches repairs."""
    return _holding(obj, "tickets.dispatch_repairorder")


def _handler(obj: Any, happened: Happening) -> list[Any]:
    return [getattr(obj, "handler", None) or getattr(obj, "technician", None)]


def _handler_and_supervisors(obj: Any, happened: Happening) -> Iterable[Any]:
    return [*_handler(obj, happened), *supervisors(obj)]


def _technician_and_lead(obj: Any, happened: Happening) -> Iterable[Any]:
    return [obj.technician, *dispatchers(obj)]


def _entry_context(entry: ServiceRequest, happened: Happening) -> dict[str, Any]:
    """The entry's, or its complaint's or repair's number once opened (as the desk names it)."""
    ticket = getattr(entry, "complaint", None) or getattr(entry, "repair", None)
    where = entry.unit.room_code if entry.unit is not None else ""
    return {
        "number": ticket.number if ticket is not None else entry.number,
        "summary": f"{where} {entry.content[:80]}".strip(),
        "by": happened.actor_name,
        "due": entry.letter_due.isoformat() if entry.letter_due else "",
    }


def _ticket_context(ticket: Any, happened: Happening) -> dict[str, Any]:
    place = getattr(ticket, "place", "") or str(getattr(ticket, "unit", "") or "")
    summary = getattr(ticket, "description", "") or getattr(ticket.request, "content", "")
    due = happened.data.get("due") or ""
    if not due and getattr(ticket, "arrive_due", None):
        due = timezone.localtime(ticket.arrive_due).strftime("%m-%d %H:%M")
    return {
        "number": ticket.number,
        "summary": str(summary)[:80],
        "place": place,
        "by": happened.actor_name,
        "note": happened.note,
        "deadline": happened.data.get("deadline", ""),
        "due": due,
    }


def _entry_link(entry: ServiceRequest) -> str:
    return reverse("tickets:request-detail", args=[entry.pk])


def _ticket_link(ticket: Any) -> str:
    name = "tickets:complaint-detail" if isinstance(ticket, Complaint) else "tickets:repair-detail"
    return reverse(name, args=[ticket.pk])


def _events() -> None:
    register_event(
        "complaint.registered",
        label=_("A complaint was registered"),
        subject=_("New complaint {{ number }} to classify"),
        body=_("{{ by }} registered a complaint: {{ summary }}"),
        default_channels=BOTH,
    )
    register_event(
        "repair.registered",
        label=_("A repair was registered"),
        subject=_("New repair {{ number }} to dispatch"),
        body=_("{{ by }} registered a repair: {{ summary }}"),
        default_channels=BOTH,
    )
    register_event(
        "letter.to_check",
        label=_("A letter's reply waits for checking"),
        subject=_("Reply to letter {{ number }} to check"),
        body=_("{{ by }} drafted the reply to letter {{ number }}, due {{ due }}: {{ summary }}"),
    )
    register_event(
        "letter.to_approve",
        label=_("A letter's reply waits for approval"),
        subject=_("Reply to letter {{ number }} to approve"),
        body=_("{{ by }} checked the reply to letter {{ number }}, due {{ due }}: {{ summary }}"),
    )
    register_event(
        "letter.approved",
        label=_("A letter's reply was approved"),
        subject=_("Reply to letter {{ number }} approved"),
        body=_("{{ by }} approved the reply to letter {{ number }}: it can be sent."),
    )
    register_event(
        "complaint.assigned",
        label=_("A complaint was given to you"),
        subject=_("Complaint {{ number }} is yours to handle"),
        body=_("{{ by }} gave you complaint {{ number }}: {{ summary }}"),
        default_channels=BOTH,
    )
    register_event(
        "complaint.reopened",
        label=_("A complaint was reopened"),
        subject=_("Complaint {{ number }} was reopened"),
        body=_("{{ by }} reopened complaint {{ number }}: {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "complaint.replied",
        label=_("A complaint was answered"),
        subject=_("Complaint {{ number }} answered: to close"),
        body=_("{{ by }} answered the resident on complaint {{ number }}: {{ note }}"),
    )
    register_event(
        "repair.rework",
        label=_("The resident was not satisfied with a repair"),
        subject=_("Repair {{ number }}: the resident is not satisfied"),
        body=_("{{ place }}: {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "repair.cancelled",
        label=_("A repair was cancelled"),
        subject=_("Repair {{ number }} was cancelled"),
        body=_("{{ by }} cancelled repair {{ number }} ({{ place }}): {{ note }}"),
        default_channels=BOTH,
    )


def register() -> None:
    """Declare the desk's events and rules (called once from `TicketsConfig.ready`)."""
    _events()
    # The register: through core.workflows today.
    notice(
        ServiceRequest,
        on={"registered"},
        when=lambda e, h: e.kind == RequestKind.COMPLAINT,
        event="complaint.registered",
        recipients=supervisors,
        context=_entry_context,
        link=lambda e: _ticket_link(e.complaint) if hasattr(e, "complaint") else _entry_link(e),
    )
    notice(
        ServiceRequest,
        on={"registered"},
        when=lambda e, h: e.kind == RequestKind.REPAIR,
        event="repair.registered",
        recipients=dispatchers,
        context=_entry_context,
        link=lambda e: _ticket_link(e.repair) if hasattr(e, "repair") else _entry_link(e),
    )
    notice(
        ServiceRequest,
        on={"letter_drafted"},
        event="letter.to_check",
        recipients=lambda e, h: _holding(e, "tickets.check_letter"),
        context=_entry_context,
        link=_entry_link,
    )
    notice(
        ServiceRequest,
        on={"letter_checked"},
        event="letter.to_approve",
        recipients=lambda e, h: _holding(e, "tickets.approve_letter"),
        context=_entry_context,
        link=_entry_link,
    )
    notice(
        ServiceRequest,
        on={"letter_approved"},
        event="letter.approved",
        recipients=lambda e, h: [e.letter_drafted_by, e.letter_checked_by],
        context=_entry_context,
        link=_entry_link,
    )
    # Complaints and repairs: fire once their moves go through core.workflows.
    notice(
        Complaint,
        on={"classified"},
        when=lambda c, h: c.handler_id is not None,
        event="complaint.assigned",
        recipients=_handler,
        context=_ticket_context,
        link=_ticket_link,
    )
    notice(
        Complaint,
        on={"reopened"},
        event="complaint.reopened",
        recipients=_handler_and_supervisors,
        context=_ticket_context,
        link=_ticket_link,
    )
    notice(
        Complaint,
        on={"replied"},
        event="complaint.replied",
        recipients=supervisors,
        context=_ticket_context,
        link=_ticket_link,
    )
    notice(
        RepairOrder,
        on={"dispatched"},
        event="repair.dispatched",
        recipients=_handler,
        context=_ticket_context,
        link=_ticket_link,
    )
    notice(
        RepairOrder,
        on={"rejected"},
        event="repair.rework",
        recipients=_technician_and_lead,
        context=_ticket_context,
        link=_ticket_link,
    )
    notice(
        RepairOrder,
        on={"cancelled"},
        event="repair.cancelled",
        recipients=_handler,
        context=_ticket_context,
        link=_ticket_link,
    )
    for model in (Complaint, RepairOrder):
        for action, event in (
            ("deadline_warning", "ticket.deadline_warning"),
            ("deadline_breached", "ticket.deadline_breached"),
        ):
            notice(
                model,
                on={action},
                event=event,
                recipients=_handler_and_supervisors,
                context=_ticket_context,
                link=_ticket_link,
            )
