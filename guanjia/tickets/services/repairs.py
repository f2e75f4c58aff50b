"""The repair workflow (spec §15): one function per move, each through core.workflows (the
table and the actor rules beside the model, models/repairs.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.calendars.selectors import Clock, ClockStoppedError, deadline
from guanjia.core.files.checks import check_upload
from guanjia.core.files.signatures import RESIDENT_MUST_SIGN, signature_file
from guanjia.core.files.types import PICTURES
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy

from ..models import (
    PhotoKind,
    QuoteStatus,
    RepairOrder,
    RepairPause,
    RepairPhoto,
    RepairStatus,
    RequestKind,
    ServiceRequest,
    Urgency,
)
from ..models.repairs import works_the_job
from ._common import calendar_deadline, field_error, not_blank
from .charges import post_repair_charge
from .register import close_request_from_ticket

MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a phone camera photo; larger is refused


def _lock(order: RepairOrder) -> RepairOrder:
    locked: RepairOrder = workflows.lock(order)
    return locked


def _move(order: RepairOrder, to: str, by: User, action: str, note: str = "") -> None:
    """Move through core.workflows: the table, the actor rule, the save and the event."""
    workflows.transition(order, to, by=by, action=action, note=note)


def _require_technician(order: RepairOrder, by: User) -> None:
    """The page's message for someone else's job (the workflow's actor rule is the same)."""
    if not works_the_job(by, order):
        raise ValidationError(_("Only the technician of this job can do this."), code="not_yours")


@dataclass(frozen=True)
class RepairDetails:
    """What the front desk writes down about a repair."""

    location: str
    category: str
    urgency: str
    place: str = ""
    appointment_at: dt.datetime | None = None
    warranty: str = "none"
    is_paid: bool = False


def _arrive_due(order: RepairOrder) -> dt.datetime:
    community = order.community
    if order.urgency == Urgency.APPOINTMENT:
        if order.appointment_at is None:
            raise ValidationError({"appointment_at": _("Give the appointment time.")})
        tolerance = policy(community, "repair.appointment_tolerance_min")
        return calendar_deadline(order.appointment_at, tolerance, community)
    key = (
        "repair.emergency_arrive_min"
        if order.urgency == Urgency.EMERGENCY
        else "repair.normal_arrive_min"
    )
    return calendar_deadline(order.registered_at, policy(community, key), community)


def _complete_due(order: RepairOrder) -> dt.datetime | None:
    """Completion limit on the calendar clock, pushed back by every pause; None while paused."""
    days = policy(order.community, "repair.small_complete_days")
    start = order.appointment_at or order.registered_at
    pauses = [(pause.started_at, pause.ended_at) for pause in order.pauses.all()]
    try:
        return deadline(
            start,
            dt.timedelta(days=days),
            clock=Clock.CALENDAR,
            community=order.community,
            pauses=pauses,
        )
    except ClockStoppedError:
        return None


@transaction.atomic
def open_repair(*, entry: ServiceRequest, details: RepairDetails, by: User) -> RepairOrder:
    """Turn a register entry of type repair into a work order with its deadlines."""
    if entry.kind != RequestKind.REPAIR:
        raise ValidationError(_("Only a repair entry becomes a repair order."), code="kind")
    if details.appointment_at is not None and details.appointment_at < timezone.now():
        raise ValidationError({"appointment_at": _("The appointment cannot be in the past.")})
    order = RepairOrder(
        community=entry.community,
        request=entry,
        unit=entry.unit,
        description=entry.content,
        registered_at=entry.received_at,
        **details.__dict__,
    )
    order.arrive_due = _arrive_due(order)
    order.full_clean(exclude=["number", "request", "arrive_due"])
    order.number = str(next_number(community=entry.community, kind="repair"))
    order.save()
    order.complete_due = _complete_due(order)
    order.save(update_fields=["complete_due"])
    workflows.record_creation(order, by=by, action="registered")
    return order


@transaction.atomic
def dispatch_repair(*, order: RepairOrder, technician: User, by: User) -> RepairOrder:
    """The engineering lead gives the job to a technician of the same community."""
    locked = _lock(order)
    if not has_perm_in(technician, "tickets.work_repairorder", locked.community):
        raise field_error(
            "technician", _("This technician does not work in this community."), "other_community"
        )
    workflows.check_transition(locked, RepairStatus.DISPATCHED, by=by)
    locked.technician = technician
    locked.dispatched_at = timezone.now()
    _move(
        locked,
        RepairStatus.DISPATCHED,
        by,
        "dispatched",
        technician.display_name,
    )
    # The technician is told by the "dispatched" rule (tickets/announcements.py) on commit.
    return locked


@transaction.atomic
def accept_repair(*, order: RepairOrder, by: User) -> RepairOrder:
    locked = _lock(order)
    _require_technician(locked, by)
    _end_pause(locked)
    _move(locked, RepairStatus.ACCEPTED, by, "accepted")
    return locked


@transaction.atomic
def arrive_repair(*, order: RepairOrder, by: User) -> RepairOrder:
    """Record arrival on site; whether the arrival limit was met is stored."""
    locked = _lock(order)
    _require_technician(locked, by)
    now = timezone.now()
    workflows.check_transition(locked, RepairStatus.ON_SITE, by=by)
    if locked.arrived_at is None:
        locked.arrived_at = now
        locked.arrive_met = now <= locked.arrive_due
    _move(locked, RepairStatus.ON_SITE, by, "arrived")
    return locked


def _start_pause(order: RepairOrder, reason: str) -> None:
    now = timezone.now()
    RepairPause.objects.create(order=order, reason=reason, started_at=now)
    order.paused_since = now
    order.complete_due = None


def _end_pause(order: RepairOrder) -> None:
    if order.paused_since is None:
        return
    order.pauses.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    order.paused_since = None
    order.complete_due = _complete_due(order)


@transaction.atomic
def quote_repair(*, order: RepairOrder, amount: Decimal, by: User) -> RepairOrder:
    """A paid job's price, for the resident to accept; the clock waits for the resident."""
    locked = _lock(order)
    _require_technician(locked, by)
    if amount is None or amount < 0:
        raise field_error("amount", _("A quote cannot be negative."), "negative")
    workflows.check_transition(locked, RepairStatus.QUOTED, by=by)
    locked.quote_amount = amount  # MoneyField holds Decimal yuan
    locked.quote_status = QuoteStatus.PENDING
    locked.is_paid = True
    _start_pause(locked, "resident")
    _move(locked, RepairStatus.QUOTED, by, "quoted", f"{amount}")
    return locked


@transaction.atomic
def decide_quote(*, order: RepairOrder, accepted: bool, by: User) -> RepairOrder:
    """The resident accepts (work goes on) or declines (the order is cancelled)."""
    locked = _lock(order)
    new = RepairStatus.ON_SITE if accepted else RepairStatus.CANCELLED
    workflows.check_transition(locked, new, by=by)
    locked.quote_status = QuoteStatus.ACCEPTED if accepted else QuoteStatus.DECLINED
    _end_pause(locked)
    _move(locked, new, by, "quote_accepted" if accepted else "quote_declined")
    if not accepted and locked.request is not None:
        close_request_from_ticket(entry=locked.request, answer=_("Quote declined."), by=by)
    return locked


@transaction.atomic
def wait_for_parts(*, order: RepairOrder, promised_on: dt.date, by: User) -> RepairOrder:
    """Parts are ordered: the clock pauses until work resumes; the promise date is kept."""
    locked = _lock(order)
    _require_technician(locked, by)
    if promised_on < timezone.localdate():
        raise field_error("promised_on", _("A promise date cannot be in the past."), "past")
    workflows.check_transition(locked, RepairStatus.WAITING_PARTS, by=by)
    locked.parts_promised_on = promised_on
    _start_pause(locked, "parts")
    _move(locked, RepairStatus.WAITING_PARTS, by, "waiting_parts", str(promised_on))
    return locked


@transaction.atomic
def resume_repair(*, order: RepairOrder, by: User) -> RepairOrder:
    """Parts arrived: back on site, the clock runs again."""
    locked = _lock(order)
    _require_technician(locked, by)
    workflows.check_transition(locked, RepairStatus.ON_SITE, by=by)
    _end_pause(locked)
    _move(locked, RepairStatus.ON_SITE, by, "resumed")
    return locked


@transaction.atomic
def record_no_access(*, order: RepairOrder, note: str, by: User) -> RepairOrder:
    """Nobody let the technician in: the clock waits for the resident."""
    locked = _lock(order)
    _require_technician(locked, by)
    not_blank(note, "note", _("Say what happened at the door."))
    workflows.check_transition(locked, RepairStatus.NO_ACCESS, by=by)
    _start_pause(locked, "resident")
    _move(locked, RepairStatus.NO_ACCESS, by, "no_access", note.strip())
    return locked


@dataclass(frozen=True)
class Completion:
    """What the technician writes down at the end of the job."""

    fault: str
    work_done: str
    materials: str = ""
    labour_minutes: int | None = None


@transaction.atomic
def complete_repair(*, order: RepairOrder, completion: Completion, by: User) -> RepairOrder:
    """The work is done; the completion limit's outcome is stored, the charge recorded."""
    locked = _lock(order)
    _require_technician(locked, by)
    not_blank(completion.fault, "fault", _("Describe the fault found."))
    not_blank(completion.work_done, "work_done", _("Describe the work done."))
    workflows.check_transition(locked, RepairStatus.COMPLETED, by=by)
    now = timezone.now()
    locked.fault, locked.work_done = completion.fault.strip(), completion.work_done.strip()
    locked.materials, locked.labour_minutes = (
        completion.materials.strip(),
        completion.labour_minutes,
    )
    locked.completed_at = now
    locked.complete_met = locked.complete_due is None or now <= locked.complete_due
    if locked.is_paid and locked.quote_status == QuoteStatus.ACCEPTED:
        locked.charge_amount = locked.quote_amount
    _move(locked, RepairStatus.COMPLETED, by, "completed", locked.work_done)
    return locked


@transaction.atomic
def verify_repair(
    *, order: RepairOrder, satisfied: bool, signature: str, by: User, note: str = ""
) -> RepairOrder:
    """The resident checks the work and signs on the screen (a PNG of the canvas).

    Not satisfied: the job goes back on site. A job in the home needs the signature."""
    locked = _lock(order)
    if not satisfied:
        not_blank(note, "note", _("Say what the resident is not satisfied with."))
        _move(locked, RepairStatus.ON_SITE, by, "rejected", note.strip())
        return locked
    needs_signature = locked.unit_id is not None
    workflows.check_transition(locked, RepairStatus.VERIFIED, by=by)
    if needs_signature or signature:
        content = signature_file(signature, missing=RESIDENT_MUST_SIGN)
        locked.signature.save("signature.png", content, save=False)
    locked.verified_at = timezone.now()
    locked.is_satisfied = True
    _move(locked, RepairStatus.VERIFIED, by, "verified", note.strip())
    post_repair_charge(order=locked, by=by)
    if locked.request is not None:
        close_request_from_ticket(entry=locked.request, answer=locked.work_done, by=by)
    return locked


@transaction.atomic
def add_photo(*, order: RepairOrder, kind: str, image: UploadedFile, by: User) -> RepairPhoto:
    """A photo before or after the work, from the phone's camera."""
    locked = _lock(order)
    _require_technician(locked, by)
    if kind not in PhotoKind.values:
        raise ValidationError({"kind": _("Choose before or after.")})
    if (image.size or 0) > MAX_PHOTO_BYTES:
        raise field_error("image", _("The photo is larger than 8 MB."), "too_large")
    checked = check_upload(image, PICTURES, field="image")
    return RepairPhoto.objects.create(order=locked, kind=kind, image=checked.file, taken_by=by)


@transaction.atomic
def cancel_repair(*, order: RepairOrder, note: str, by: User) -> RepairOrder:
    locked = _lock(order)
    not_blank(note, "note", _("Say why the order is cancelled."))
    _move(locked, RepairStatus.CANCELLED, by, "cancelled", note.strip())
    if locked.request is not None:
        close_request_from_ticket(entry=locked.request, answer=note.strip(), by=by)
    return locked


REWORKABLE = frozenset({RepairStatus.VERIFIED, RepairStatus.CLOSED})


@transaction.atomic
def close_repair_after_visit(*, order: RepairOrder, by: User | None, note: str = "") -> RepairOrder:
    """Spec §15 where the policy closes a repair only after its visit: the visits app calls
    this once the order's follow-up visit is made, or when none is owed (by None: the
    nightly run). A verified order only."""
    locked = _lock(order)
    workflows.transition(locked, RepairStatus.CLOSED, by=by, action="closed", note=note)
    return locked


@transaction.atomic
def open_rework(
    *, order: RepairOrder, note: str, by: User, appointment_at: dt.datetime | None = None
) -> RepairOrder:
    """The fault came back within the policy window: a new order, linked to the first.

    It keeps the first order's urgency, except the appointment: the first one is past, so a
    rework of an appointment repair is by appointment only when a new (future) time is given,
    else on the ordinary clock. A new time given for any repair makes the rework one by
    appointment."""
    locked = _lock(order)
    not_blank(note, "note", _("Describe the returning fault."))
    if appointment_at is not None and appointment_at < timezone.now():
        raise ValidationError({"appointment_at": _("The appointment cannot be in the past.")})
    urgency = locked.urgency
    if appointment_at is not None:
        urgency = Urgency.APPOINTMENT
    elif urgency == Urgency.APPOINTMENT:
        urgency = Urgency.ORDINARY
    window = policy(locked.community, "repair.rework_window_days")
    if locked.status not in REWORKABLE or locked.verified_at is None:
        raise workflows.WorkflowError(
            workflows.Code.CONDITION, _("Only a verified repair can be reworked.")
        )
    if timezone.now() - locked.verified_at > dt.timedelta(days=window):
        raise ValidationError(
            _("The rework window of %(days)s days has passed: register a new repair.")
            % {"days": window},
            code="window",
        )
    rework = RepairOrder(
        community=locked.community,
        unit=locked.unit,
        location=locked.location,
        place=locked.place,
        category=locked.category,
        urgency=urgency,
        appointment_at=appointment_at,
        warranty=locked.warranty,
        description=note.strip(),
        registered_at=timezone.now(),
        rework_of=locked,
    )
    rework.arrive_due = _arrive_due(rework)
    rework.number = str(next_number(community=locked.community, kind="repair"))
    rework.save()
    rework.complete_due = _complete_due(rework)
    rework.save(update_fields=["complete_due"])
    workflows.record_creation(rework, by=by, action="rework", note=locked.number)
    workflows.record_event(locked, by=by, action="rework", note=rework.number)
    return rework
