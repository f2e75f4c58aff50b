"""A repair order's buttons (spec §15): dispatch, the technician's steps on the phone, the
resident's answers, rework and cancellation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from .. import forms, services
from ..models import RepairOrder, RepairStatus
from . import Move

if TYPE_CHECKING:
    from guanjia.core.access import User

WORK = "tickets.work_repairorder"
DISPATCH_PERM = "tickets.dispatch_repairorder"
RECORD_FOR_RESIDENT = "tickets.change_repairorder"


def dispatch(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.dispatch_repair(order=order, technician=data["technician"], by=by)


def accept(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.accept_repair(order=order, by=by)


def arrive(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.arrive_repair(order=order, by=by)


def add_photo(order: RepairOrder, data: dict[str, Any], by: User) -> Any:
    return services.add_photo(order=order, kind=data["kind"], image=data["image"], by=by)


def quote(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.quote_repair(order=order, amount=data["amount"], by=by)


def decide_quote(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.decide_quote(order=order, accepted=data["accepted"], by=by)


def wait_for_parts(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.wait_for_parts(order=order, promised_on=data["promised_on"], by=by)


def resume(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.resume_repair(order=order, by=by)


def record_no_access(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.record_no_access(order=order, note=data["note"], by=by)


def complete(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    completion = services.Completion(
        fault=data["fault"],
        work_done=data["work_done"],
        materials=data["materials"],
        labour_minutes=data["labour_minutes"],
    )
    return services.complete_repair(order=order, completion=completion, by=by)


def verify(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.verify_repair(
        order=order,
        satisfied=data["satisfied"],
        signature=data["signature"],
        note=data["note"],
        by=by,
    )


def rework(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.open_rework(
        order=order, note=data["note"], by=by, appointment_at=data.get("appointment_at")
    )


def cancel(order: RepairOrder, data: dict[str, Any], by: User) -> RepairOrder:
    return services.cancel_repair(order=order, note=data["note"], by=by)


DISPATCH = Move(
    "dispatch",
    "tickets:repair-dispatch",
    _("Dispatch"),
    forms.DispatchForm,
    DISPATCH_PERM,
    frozenset({RepairStatus.REGISTERED, RepairStatus.DISPATCHED}),
    dispatch,
    targets=frozenset({RepairStatus.DISPATCHED}),
)
ACCEPT = Move(
    "accept",
    "tickets:repair-accept",
    _("Accept"),
    forms.EmptyForm,
    WORK,
    frozenset({RepairStatus.DISPATCHED, RepairStatus.NO_ACCESS}),
    accept,
    technician=True,
    targets=frozenset({RepairStatus.ACCEPTED}),
)
ARRIVE = Move(
    "arrive",
    "tickets:repair-arrive",
    _("Arrived on site"),
    forms.EmptyForm,
    WORK,
    frozenset({RepairStatus.ACCEPTED}),
    arrive,
    technician=True,
    targets=frozenset({RepairStatus.ON_SITE}),
)
PHOTO = Move(
    "photo",
    "tickets:repair-photo",
    _("Add a photo"),
    forms.PhotoForm,
    WORK,
    frozenset({RepairStatus.ON_SITE, RepairStatus.COMPLETED}),
    add_photo,
    technician=True,
)
QUOTE = Move(
    "quote",
    "tickets:repair-quote",
    _("Quote"),
    forms.QuoteForm,
    WORK,
    frozenset({RepairStatus.ON_SITE}),
    quote,
    technician=True,
    targets=frozenset({RepairStatus.QUOTED}),
)
DECIDE_QUOTE = Move(
    "decide-quote",
    "tickets:repair-decide-quote",
    _("Resident's answer to the quote"),
    forms.DecideQuoteForm,
    RECORD_FOR_RESIDENT,
    frozenset({RepairStatus.QUOTED}),
    decide_quote,
    technician=True,
    targets=frozenset({RepairStatus.ON_SITE, RepairStatus.CANCELLED}),
)
PARTS = Move(
    "parts",
    "tickets:repair-parts",
    _("Wait for parts"),
    forms.PartsForm,
    WORK,
    frozenset({RepairStatus.ON_SITE}),
    wait_for_parts,
    technician=True,
    targets=frozenset({RepairStatus.WAITING_PARTS}),
)
RESUME = Move(
    "resume",
    "tickets:repair-resume",
    _("Parts arrived: resume"),
    forms.EmptyForm,
    WORK,
    frozenset({RepairStatus.WAITING_PARTS}),
    resume,
    technician=True,
    targets=frozenset({RepairStatus.ON_SITE}),
)
NO_ACCESS = Move(
    "no-access",
    "tickets:repair-no-access",
    _("No access"),
    forms.NoteForm,
    WORK,
    frozenset({RepairStatus.ACCEPTED}),
    record_no_access,
    technician=True,
    targets=frozenset({RepairStatus.NO_ACCESS}),
)
COMPLETE = Move(
    "complete",
    "tickets:repair-complete",
    _("Complete"),
    forms.CompleteForm,
    WORK,
    frozenset({RepairStatus.ON_SITE}),
    complete,
    technician=True,
    targets=frozenset({RepairStatus.COMPLETED}),
)
VERIFY = Move(
    "verify",
    "tickets:repair-verify",
    _("Resident verifies and signs"),
    forms.VerifyForm,
    RECORD_FOR_RESIDENT,
    frozenset({RepairStatus.COMPLETED}),
    verify,
    technician=True,
    targets=frozenset({RepairStatus.VERIFIED, RepairStatus.ON_SITE}),
)
REWORK = Move(
    "rework",
    "tickets:repair-rework",
    _("Fault returned: rework"),
    forms.ReworkForm,
    "tickets.add_repairorder",
    frozenset({RepairStatus.VERIFIED, RepairStatus.CLOSED}),
    rework,
)
CANCEL = Move(
    "cancel",
    "tickets:repair-cancel",
    _("Cancel"),
    forms.NoteForm,
    DISPATCH_PERM,
    frozenset({RepairStatus.REGISTERED, RepairStatus.DISPATCHED, RepairStatus.NO_ACCESS}),
    cancel,
    targets=frozenset({RepairStatus.CANCELLED}),
)

# In the order the page shows them.
BUTTONS = [
    DISPATCH,
    ACCEPT,
    ARRIVE,
    PHOTO,
    QUOTE,
    DECIDE_QUOTE,
    PARTS,
    RESUME,
    NO_ACCESS,
    COMPLETE,
    VERIFY,
    REWORK,
    CANCEL,
]
