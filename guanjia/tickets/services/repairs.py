"""The repair workflow (spec §15): one function per move, each through core.workflows (the
table and the actor rules beside the model, models/repairs.py)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.calendars.selectors import Clock, ClockStoppedError, deadline
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES, PNG, content_type_of
from guanjia.core.notifications.services import notify
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

S = RepairStatus
MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a phone camera photo; larger is refused
MAX_SIGNATURE_BYTES = 300 * 1024


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


def _arrive_due(o: RepairOrder) -> dt.datetime:
    community = o.community
    if o.urgency == Urgency.APPOINTMENT:
        if o.appointment_at is None:
            raise ValidationError({"appointment_at": _("Give the appointment time.")})
        tolerance = policy(community, "repair.appointment_tolerance_min")
        return calendar_deadline(o.appointment_at, tolerance, community)
    key = (
        "repair.emergency_arrive_min"
        if o.urgency == Urgency.EMERGENCY
        else "repair.normal_arrive_min"
    )
    return calendar_deadline(o.registered_at, policy(community, key), community)


def _complete_due(o: RepairOrder) -> dt.datetime | None:
    """Completion limit on the calendar clock, pushed back by every pause; None while paused."""
    days = policy(o.community, "repair.small_complete_days")
    start = o.appointment_at or o.registered_at
    pauses = [(p.started_at, p.ended_at) for p in o.pauses.all()]
    try:
        return deadline(
            start,
            dt.timedelta(days=days),
            clock=Clock.CALENDAR,
            community=o.community,
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
    o = RepairOrder(
        community=entry.community,
        request=entry,
        unit=entry.unit,
        description=entry.content,
        registered_at=entry.received_at,
        **details.__dict__,
    )
    o.arrive_due = _arrive_due(o)
    o.full_clean(exclude=["number", "request", "arrive_due"])
    o.number = str(next_number(community=entry.community, kind="repair"))
    o.save()
    o.complete_due = _complete_due(o)
    o.save(update_fields=["complete_due"])
    workflows.record_creation(o, by=by, action="registered")
    return o


@transaction.atomic
def dispatch_repair(*, order: RepairOrder, technician: User, by: User) -> RepairOrder:
    """The engineering lead gives the job to a technician of the same community."""
    o = _lock(order)
    if not has_perm_in(technician, "tickets.work_repairorder", o.community):
        raise field_error(
            "technician", _("This technician does not work in this community."), "other_community"
        )
    workflows.check_transition(o, S.DISPATCHED, by=by)
    o.technician = technician
    o.dispatched_at = timezone.now()
    _move(o, S.DISPATCHED, by, "dispatched", technician.get_full_name() or technician.username)
    context = {
        "number": o.number,
        "place": o.place or str(o.unit or ""),
        "summary": o.description[:80],
        "due": timezone.localtime(o.arrive_due).strftime("%m-%d %H:%M"),
    }
    link = reverse("tickets:repair-detail", args=[o.pk])
    notify(technician, "repair.dispatched", context, community=o.community, link=link)
    return o


@transaction.atomic
def accept_repair(*, order: RepairOrder, by: User) -> RepairOrder:
    o = _lock(order)
    _require_technician(o, by)
    _end_pause(o)
    _move(o, S.ACCEPTED, by, "accepted")
    return o


@transaction.atomic
def arrive_repair(*, order: RepairOrder, by: User) -> RepairOrder:
    """Record arrival on site; whether the arrival limit was met is stored."""
    o = _lock(order)
    _require_technician(o, by)
    now = timezone.now()
    workflows.check_transition(o, S.ON_SITE, by=by)
    if o.arrived_at is None:
        o.arrived_at = now
        o.arrive_met = now <= o.arrive_due
    _move(o, S.ON_SITE, by, "arrived")
    return o


def _start_pause(o: RepairOrder, reason: str) -> None:
    now = timezone.now()
    RepairPause.objects.create(order=o, reason=reason, started_at=now)
    o.paused_since = now
    o.complete_due = None


def _end_pause(o: RepairOrder) -> None:
    if o.paused_since is None:
        return
    o.pauses.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    o.paused_since = None
    o.complete_due = _complete_due(o)


@transaction.atomic
def quote_repair(*, order: RepairOrder, amount: Decimal, by: User) -> RepairOrder:
    """A paid job's price, for the resident to accept; the clock waits for the resident."""
    o = _lock(order)
    _require_technician(o, by)
    if amount is None or amount < 0:
        raise field_error("amount", _("A quote cannot be negative."), "negative")
    workflows.check_transition(o, S.QUOTED, by=by)
    o.quote_amount = amount  # type: ignore[assignment]  # MoneyField holds Decimal yuan
    o.quote_status = QuoteStatus.PENDING
    o.is_paid = True
    _start_pause(o, "resident")
    _move(o, S.QUOTED, by, "quoted", f"{amount}")
    return o


@transaction.atomic
def decide_quote(*, order: RepairOrder, accepted: bool, by: User) -> RepairOrder:
    """The resident accepts (work goes on) or declines (the order is cancelled)."""
    o = _lock(order)
    new = S.ON_SITE if accepted else S.CANCELLED
    workflows.check_transition(o, new, by=by)
    o.quote_status = QuoteStatus.ACCEPTED if accepted else QuoteStatus.DECLINED
    _end_pause(o)
    _move(o, new, by, "quote_accepted" if accepted else "quote_declined")
    if not accepted and o.request is not None:
        close_request_from_ticket(entry=o.request, answer=_("Quote declined."), by=by)
    return o


@transaction.atomic
def wait_for_parts(*, order: RepairOrder, promised_on: dt.date, by: User) -> RepairOrder:
    """Parts are ordered: the clock pauses until work resumes; the promise date is kept."""
    o = _lock(order)
    _require_technician(o, by)
    if promised_on < timezone.localdate():
        raise field_error("promised_on", _("A promise date cannot be in the past."), "past")
    workflows.check_transition(o, S.WAITING_PARTS, by=by)
    o.parts_promised_on = promised_on
    _start_pause(o, "parts")
    _move(o, S.WAITING_PARTS, by, "waiting_parts", str(promised_on))
    return o


@transaction.atomic
def resume_repair(*, order: RepairOrder, by: User) -> RepairOrder:
    """Parts arrived: back on site, the clock runs again."""
    o = _lock(order)
    _require_technician(o, by)
    workflows.check_transition(o, S.ON_SITE, by=by)
    _end_pause(o)
    _move(o, S.ON_SITE, by, "resumed")
    return o


@transaction.atomic
def record_no_access(*, order: RepairOrder, note: str, by: User) -> RepairOrder:
    """Nobody let the technician in: the clock waits for the resident."""
    o = _lock(order)
    _require_technician(o, by)
    not_blank(note, "note", _("Say what happened at the door."))
    workflows.check_transition(o, S.NO_ACCESS, by=by)
    _start_pause(o, "resident")
    _move(o, S.NO_ACCESS, by, "no_access", note.strip())
    return o


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
    o = _lock(order)
    _require_technician(o, by)
    not_blank(completion.fault, "fault", _("Describe the fault found."))
    not_blank(completion.work_done, "work_done", _("Describe the work done."))
    workflows.check_transition(o, S.COMPLETED, by=by)
    now = timezone.now()
    o.fault, o.work_done = completion.fault.strip(), completion.work_done.strip()
    o.materials, o.labour_minutes = completion.materials.strip(), completion.labour_minutes
    o.completed_at = now
    o.complete_met = o.complete_due is None or now <= o.complete_due
    if o.is_paid and o.quote_status == QuoteStatus.ACCEPTED:
        o.charge_amount = o.quote_amount
    _move(o, S.COMPLETED, by, "completed", o.work_done)
    return o


def _signature_file(data_url: str) -> ContentFile:
    prefix = "data:image/png;base64,"
    if not data_url or not data_url.startswith(prefix):
        raise field_error("signature", _("The resident must sign on the screen."), "no_signature")
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"signature": _("The signature could not be read.")}) from None
    signature = ContentFile(raw)
    if len(raw) > MAX_SIGNATURE_BYTES or content_type_of(signature) is not PNG:
        raise ValidationError({"signature": _("The signature could not be read.")})
    return signature


@transaction.atomic
def verify_repair(
    *, order: RepairOrder, satisfied: bool, signature: str, by: User, note: str = ""
) -> RepairOrder:
    """The resident checks the work and signs on the screen (a PNG of the canvas).

    Not satisfied: the job goes back on site. A job in the home needs the signature."""
    o = _lock(order)
    if not satisfied:
        not_blank(note, "note", _("Say what the resident is not satisfied with."))
        _move(o, S.ON_SITE, by, "rejected", note.strip())
        return o
    needs_signature = o.unit_id is not None
    workflows.check_transition(o, S.VERIFIED, by=by)
    if needs_signature or signature:
        content = _signature_file(signature)
        o.signature.save("signature.png", content, save=False)
    o.verified_at = timezone.now()
    o.is_satisfied = True
    _move(o, S.VERIFIED, by, "verified", note.strip())
    post_repair_charge(order=o, by=by)
    if o.request is not None:
        close_request_from_ticket(entry=o.request, answer=o.work_done, by=by)
    return o


@transaction.atomic
def add_photo(*, order: RepairOrder, kind: str, image: UploadedFile, by: User) -> RepairPhoto:
    """A photo before or after the work, from the phone's camera."""
    o = _lock(order)
    _require_technician(o, by)
    if kind not in PhotoKind.values:
        raise ValidationError({"kind": _("Choose before or after.")})
    if (image.size or 0) > MAX_PHOTO_BYTES:
        raise field_error("image", _("The photo is larger than 8 MB."), "too_large")
    checked = check_upload(image, PICTURES, field="image")
    return RepairPhoto.objects.create(order=o, kind=kind, image=checked.file, taken_by=by)


@transaction.atomic
def cancel_repair(*, order: RepairOrder, note: str, by: User) -> RepairOrder:
    o = _lock(order)
    not_blank(note, "note", _("Say why the order is cancelled."))
    _move(o, S.CANCELLED, by, "cancelled", note.strip())
    if o.request is not None:
        close_request_from_ticket(entry=o.request, answer=note.strip(), by=by)
    return o


@transaction.atomic
def open_rework(*, order: RepairOrder, note: str, by: User) -> RepairOrder:
    """The fault came back within the policy window: a new order, linked to the first."""
    o = _lock(order)
    not_blank(note, "note", _("Describe the returning fault."))
    window = policy(o.community, "repair.rework_window_days")
    if o.status != S.VERIFIED or o.verified_at is None:
        raise workflows.WorkflowError(
            workflows.Code.CONDITION, _("Only a verified repair can be reworked.")
        )
    if timezone.now() - o.verified_at > dt.timedelta(days=window):
        raise ValidationError(
            _("The rework window of %(days)s days has passed: register a new repair.")
            % {"days": window},
            code="window",
        )
    rework = RepairOrder(
        community=o.community, unit=o.unit, location=o.location, place=o.place,
        category=o.category, urgency=o.urgency, warranty=o.warranty,
        description=note.strip(), registered_at=timezone.now(), rework_of=o,
    )  # fmt: skip
    rework.arrive_due = _arrive_due(rework)
    rework.number = str(next_number(community=o.community, kind="repair"))
    rework.save()
    rework.complete_due = _complete_due(rework)
    rework.save(update_fields=["complete_due"])
    workflows.record_creation(rework, by=by, action="rework", note=o.number)
    workflows.record_event(o, by=by, action="rework", note=rework.number)
    return rework
