"""The complaint workflow (spec §08): one function per move, each writing a ComplaintEvent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.accounts.services.separation import ensure_different_people
from guanjia.core.access import has_perm_in
from guanjia.core.calendars.selectors import add_working_days
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy

from ..models import (
    COMPLAINT_MOVES,
    ActionKind,
    Complaint,
    ComplaintAction,
    ComplaintEvent,
    ComplaintStatus,
    RequestKind,
    ServiceRequest,
    Severity,
    Validity,
)
from ._common import calendar_deadline, check_move, field_error, not_blank
from .register import close_request_from_ticket

S = ComplaintStatus


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("request").get(pk=complaint.pk)


def _event(c: Complaint, by: User | None, action: str, old: str, note: str = "") -> None:
    ComplaintEvent.objects.create(
        complaint=c, actor=by, action=action, old_status=old, new_status=c.status, note=note
    )


def _move(c: Complaint, new: str, by: User | None, action: str, note: str = "") -> None:
    check_move(c, new, COMPLAINT_MOVES)
    old = c.status
    c.status = new
    c.save()
    _event(c, by, action, old, note)


def _not_about_self(c: Complaint, by: User) -> None:
    ensure_different_people(actor=by, other=c.about_employee, rule="complaint_about_self")


def _mark_first_reply(c: Complaint, at: dt.datetime) -> None:
    if c.first_replied_at is None:
        c.first_replied_at = at
        c.first_reply_met = at <= c.first_reply_due


@transaction.atomic
def open_complaint(
    *, entry: ServiceRequest, by: User, about_employee: User | None = None
) -> Complaint:
    """Turn a register entry of type complaint into a complaint with its first deadlines."""
    if entry.kind != RequestKind.COMPLAINT:
        raise ValidationError(_("Only a complaint entry becomes a complaint."), code="kind")
    community = entry.community
    hours = policy(community, "complaint.first_reply_hours")
    days = policy(community, "complaint.major_after_days")
    c = Complaint(
        community=community,
        request=entry,
        about_employee=about_employee,
        first_reply_due=calendar_deadline(entry.received_at, hours * 60, community),
        escalate_at=calendar_deadline(entry.received_at, days * 24 * 60, community),
    )
    c.number = str(next_number(community=community, kind="complaint"))
    c.save()
    _event(c, by, "registered", "", entry.content[:200])
    return c


@dataclass(frozen=True)
class Classification:
    """How a complaint is judged: valid or not, how serious, whose, by when."""

    validity: str
    severity: str = Severity.MINOR
    category: str = "other"
    department: str = ""
    handler: User | None = None
    invalid_reason: str = ""
    resolve_due: dt.datetime | None = None
    about_employee: User | None = None  # named here when the register did not (kept if None)


def _resolve_due(c: Complaint, cls: Classification) -> dt.datetime:
    """The deadline to resolve: the handler's own, else the policy for the severity. An
    invalid complaint still gets its explanation within the policy's working days."""
    community = c.community
    start = c.request.received_at
    if cls.validity == Validity.INVALID:
        days = policy(community, "complaint.invalid_explain_days")
        day = add_working_days(timezone.localdate(start), days, community=community)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
    if cls.resolve_due is not None:
        return cls.resolve_due
    if cls.severity == Severity.MINOR:
        minutes = policy(community, "complaint.minor_resolve_hours") * 60
    else:
        minutes = policy(community, "complaint.important_resolve_days") * 24 * 60
    return calendar_deadline(start, minutes, community)


def _check_classification(c: Complaint, cls: Classification, by: User) -> None:
    if cls.validity == Validity.INVALID:
        not_blank(cls.invalid_reason, "invalid_reason", _("Say why the complaint is invalid."))
    elif cls.validity != Validity.VALID:
        raise ValidationError({"validity": _("Say whether the complaint is valid.")})
    if cls.resolve_due is not None and cls.resolve_due < timezone.now():
        raise ValidationError({"resolve_due": _("The deadline cannot be in the past.")})
    handler = cls.handler
    about = cls.about_employee or c.about_employee
    if about is not None and about.company_id != c.community.company_id:
        raise ValidationError({"about_employee": _("Choose a member of this company's staff.")})
    if handler is not None:
        ensure_different_people(actor=handler, other=about, rule="complaint_about_self")
        if not has_perm_in(handler, "tickets.change_complaint", c.community):
            raise ValidationError({"handler": _("This person cannot handle complaints here.")})


@transaction.atomic
def classify_complaint(
    *, complaint: Complaint, classification: Classification, by: User
) -> Complaint:
    """Judge the complaint and give it a handler and a deadline."""
    c = _lock(complaint)
    _not_about_self(c, by)
    cls = classification
    _check_classification(c, cls, by)
    new = S.HANDLING if cls.validity == Validity.VALID else S.INVALID
    check_move(c, new, COMPLAINT_MOVES)
    c.validity = cls.validity
    c.severity = cls.severity
    c.category = cls.category
    c.department = cls.department
    if cls.about_employee is not None:
        c.about_employee = cls.about_employee
    c.handler = cls.handler or by
    ensure_different_people(actor=c.handler, other=c.about_employee, rule="complaint_about_self")
    c.invalid_reason = cls.invalid_reason.strip()
    c.resolve_due = _resolve_due(c, cls)
    _move(c, new, by, "classified", c.invalid_reason)
    return c


@transaction.atomic
def record_progress(
    *, complaint: Complaint, note: str, by: User, told_requester: bool
) -> Complaint:
    """A progress note; when the requester was told, it counts as the first reply."""
    c = _lock(complaint)
    _not_about_self(c, by)
    not_blank(note, "note", _("Write what was done."))
    if c.status == S.CLOSED:
        raise ValidationError(_("This complaint is closed."), code="closed")
    if told_requester:
        _mark_first_reply(c, timezone.now())
        c.save()
    _event(c, by, "progress", c.status, note.strip())
    return c


@transaction.atomic
def promise_complaint(
    *, complaint: Complaint, promise_date: dt.date, note: str, by: User
) -> Complaint:
    """Record a promise to the requester (or a changed promise date, kept in the events)."""
    c = _lock(complaint)
    _not_about_self(c, by)
    if promise_date < timezone.localdate():
        raise field_error("promise_date", _("A promise date cannot be in the past."), "past")
    if c.status not in (S.REGISTERED, S.HANDLING):
        raise ValidationError(_("Promises are made while the complaint is open."), code="state")
    old = c.promise_date
    c.promise_date = promise_date
    _mark_first_reply(c, timezone.now())
    c.save()
    text = f"{old or '-'} → {promise_date}. {note.strip()}".strip()
    _event(c, by, "promise_changed" if old else "promised", c.status, text)
    return c


@transaction.atomic
def resolve_complaint(*, complaint: Complaint, result: str, by: User) -> Complaint:
    """Record the result of the handling."""
    c = _lock(complaint)
    _not_about_self(c, by)
    not_blank(result, "result", _("Write the result."))
    now = timezone.now()
    check_move(c, S.RESOLVED, COMPLAINT_MOVES)
    c.result = result.strip()
    c.resolved_at = now
    c.resolve_met = c.resolve_due is None or now <= c.resolve_due
    _move(c, S.RESOLVED, by, "resolved", c.result)
    return c


@transaction.atomic
def reply_complaint(*, complaint: Complaint, reply: str, method: str, by: User) -> Complaint:
    """Tell the requester the result (or, for an invalid complaint, the explanation)."""
    c = _lock(complaint)
    _not_about_self(c, by)
    not_blank(reply, "reply", _("Write the reply given to the requester."))
    not_blank(method, "reply_method", _("Say how the requester was told."))
    now = timezone.now()
    check_move(c, S.REPLIED, COMPLAINT_MOVES)
    c.reply, c.reply_method, c.replied_at = reply.strip(), method, now
    _mark_first_reply(c, now)
    if c.validity == Validity.INVALID:
        c.resolved_at = now
        c.resolve_met = c.resolve_due is None or now <= c.resolve_due
    _move(c, S.REPLIED, by, "replied", c.reply)
    return c


@transaction.atomic
def close_complaint(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    """Close: only with a result and a reply (an anonymous complaint needs no reply)."""
    c = _lock(complaint)
    _not_about_self(c, by)
    check_move(c, S.CLOSED, COMPLAINT_MOVES)
    if c.validity == Validity.VALID and not c.result:
        raise ValidationError(_("A complaint closes only with a result."), code="no_result")
    if not c.reply and not c.request.is_anonymous:
        raise ValidationError(_("A complaint closes only with a reply."), code="no_reply")
    c.closed_at = timezone.now()
    _move(c, S.CLOSED, by, "closed", note)
    close_request_from_ticket(entry=c.request, answer=c.reply or c.result, by=by)
    return c


@transaction.atomic
def reopen_complaint(*, complaint: Complaint, note: str, by: User) -> Complaint:
    """The requester is not satisfied: back to handling."""
    c = _lock(complaint)
    _not_about_self(c, by)
    not_blank(note, "note", _("Say why the complaint is reopened."))
    _move(c, S.HANDLING, by, "reopened", note)
    return c


@transaction.atomic
def add_complaint_action(
    *, complaint: Complaint, kind: str, description: str, owner: User, due_on: dt.date, by: User
) -> ComplaintAction:
    """A corrective or preventive action with its owner and due date; neither the person the
    complaint is about adds it, nor is it theirs to own."""
    c = _lock(complaint)
    _not_about_self(c, by)
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose corrective or preventive.")})
    not_blank(description, "description", _("Describe the action."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    if not has_perm_in(owner, "tickets.view_complaint", c.community):
        raise PermissionDenied(_("The owner does not work in this community."))
    ensure_different_people(actor=owner, other=c.about_employee, rule="complaint_about_self")
    action = ComplaintAction.objects.create(
        complaint=c, kind=kind, description=description.strip(), owner=owner, due_on=due_on
    )
    _event(c, by, f"action_{kind}", c.status, description.strip())
    return action


def escalate_to_major(*, complaint: Complaint, at: dt.datetime) -> None:
    """The SLA sweep's move: a valid complaint unresolved in time becomes major by itself."""
    old = complaint.severity
    complaint.severity = Severity.MAJOR
    complaint.escalated_at = at
    complaint.save(update_fields=["severity", "escalated_at", "updated_at"])
    ComplaintEvent.objects.create(
        complaint=complaint,
        actor=None,
        action="escalated",
        old_status=complaint.status,
        new_status=complaint.status,
        note=f"{old} → {Severity.MAJOR}",
    )
