"""The complaint workflow (spec §08): one function per move, each through core.workflows
(the table and actor rule beside the model, models/complaints.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.accounts.services.separation import ensure_different_people
from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.calendars.selectors import add_working_days
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy

from ..models import (
    ActionKind,
    Complaint,
    ComplaintAction,
    ComplaintStatus,
    RequestKind,
    ServiceRequest,
    Severity,
    Validity,
)
from ._common import calendar_deadline, field_error, not_blank
from .register import close_request_from_ticket


def _lock(complaint: Complaint) -> Complaint:
    locked: Complaint = workflows.lock(complaint)
    return locked


def _move(complaint: Complaint, to: str, by: User, action: str, note: str = "") -> None:
    """Move through core.workflows: the table, the actor rule, the save and the event."""
    workflows.transition(complaint, to, by=by, action=action, note=note)


def _not_about_self(complaint: Complaint, by: User) -> None:
    """The separation rule's own message (403) before the workflow's actor rule says it."""
    ensure_different_people(actor=by, other=complaint.about_employee, rule="complaint_about_self")


def _mark_first_reply(complaint: Complaint, at: dt.datetime) -> None:
    if complaint.first_replied_at is None:
        complaint.first_replied_at = at
        complaint.first_reply_met = at <= complaint.first_reply_due


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
    complaint = Complaint(
        community=community,
        request=entry,
        about_employee=about_employee,
        first_reply_due=calendar_deadline(entry.received_at, hours * 60, community),
        escalate_at=calendar_deadline(entry.received_at, days * 24 * 60, community),
    )
    complaint.number = str(next_number(community=community, kind="complaint"))
    complaint.save()
    workflows.record_creation(complaint, by=by, action="registered", note=entry.content[:200])
    return complaint


@dataclass(frozen=True)
class Classification:
    """How a complaint is judged: valid or not, how serious, whose, by when.

    `about_employee` names the staff member the complaint is about when the register did
    not (None keeps the one named); `clear_about_employee` removes a wrong one. Either change
    is written into the classification's event."""

    validity: str
    severity: str = Severity.MINOR
    category: str = "other"
    department: str = ""
    handler: User | None = None
    invalid_reason: str = ""
    resolve_due: dt.datetime | None = None
    about_employee: User | None = None
    clear_about_employee: bool = False

    def about(self, complaint: Complaint) -> User | None:
        """The staff member the complaint is about once classified."""
        if self.about_employee is not None:
            return self.about_employee
        return None if self.clear_about_employee else complaint.about_employee


def _resolve_due(complaint: Complaint, classification: Classification) -> dt.datetime:
    """The deadline to resolve: the handler's own, else the policy for the severity. An
    invalid complaint still gets its explanation within the policy's working days."""
    community = complaint.community
    start = complaint.request.received_at
    if classification.validity == Validity.INVALID:
        days = policy(community, "complaint.invalid_explain_days")
        day = add_working_days(timezone.localdate(start), days, community=community)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
    if classification.resolve_due is not None:
        return classification.resolve_due
    if classification.severity == Severity.MINOR:
        minutes = policy(community, "complaint.minor_resolve_hours") * 60
    else:
        minutes = policy(community, "complaint.important_resolve_days") * 24 * 60
    return calendar_deadline(start, minutes, community)


def _check_classification(complaint: Complaint, classification: Classification) -> None:
    if classification.validity == Validity.INVALID:
        not_blank(
            classification.invalid_reason,
            "invalid_reason",
            _("Say why the complaint is invalid."),
        )
    elif classification.validity != Validity.VALID:
        raise ValidationError({"validity": _("Say whether the complaint is valid.")})
    if classification.resolve_due is not None and classification.resolve_due < timezone.now():
        raise ValidationError({"resolve_due": _("The deadline cannot be in the past.")})
    if classification.about_employee is not None and classification.clear_about_employee:
        raise ValidationError(
            {"about_employee": _("Name the employee or clear the name, not both.")}
        )
    handler = classification.handler
    about = classification.about(complaint)
    if about is not None and about.company_id != complaint.community.company_id:
        raise ValidationError({"about_employee": _("Choose a member of this company's staff.")})
    if handler is not None:
        ensure_different_people(actor=handler, other=about, rule="complaint_about_self")
        if not has_perm_in(handler, "tickets.change_complaint", complaint.community):
            raise ValidationError({"handler": _("This person cannot handle complaints here.")})


def _about_employee_change(before: User | None, after: User | None) -> dict[str, Any] | None:
    """The event's record of a changed "about employee" (named, replaced or cleared)."""
    if (before.pk if before else None) == (after.pk if after else None):
        return None
    return {
        "about_employee": {
            "from": before.pk if before else None,
            "from_name": str(before) if before else "",
            "to": after.pk if after else None,
            "to_name": str(after) if after else "",
        }
    }


@transaction.atomic
def classify_complaint(
    *, complaint: Complaint, classification: Classification, by: User
) -> Complaint:
    """Judge the complaint and give it a handler and a deadline."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    _check_classification(locked, classification)
    new = (
        ComplaintStatus.HANDLING
        if classification.validity == Validity.VALID
        else ComplaintStatus.INVALID
    )
    workflows.check_transition(locked, new, by=by)
    about = classification.about(locked)
    handler = classification.handler or by
    ensure_different_people(actor=handler, other=about, rule="complaint_about_self")
    change = _about_employee_change(locked.about_employee, about)
    invalid_reason = classification.invalid_reason.strip()
    note = invalid_reason
    if change is not None:
        about_change = change["about_employee"]
        line = _("About employee: %(before)s → %(after)s") % {
            "before": about_change["from_name"] or "—",
            "after": about_change["to_name"] or "—",
        }
        note = f"{note}\n{line}".strip()
    workflows.transition(
        locked,
        new,
        by=by,
        action="classified",
        note=note,
        data=change,
        validity=classification.validity,
        severity=classification.severity,
        category=classification.category,
        department=classification.department,
        about_employee=about,
        handler=handler,
        invalid_reason=invalid_reason,
        resolve_due=_resolve_due(locked, classification),
    )
    return locked


@transaction.atomic
def record_progress(
    *, complaint: Complaint, note: str, by: User, told_requester: bool
) -> Complaint:
    """A progress note; when the requester was told, it counts as the first reply."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    not_blank(note, "note", _("Write what was done."))
    if locked.status == ComplaintStatus.CLOSED:
        raise ValidationError(_("This complaint is closed."), code="closed")
    if told_requester:
        _mark_first_reply(locked, timezone.now())
        locked.save()
    workflows.record_event(locked, by=by, action="progress", note=note.strip())
    return locked


PROMISE_STATES = frozenset({ComplaintStatus.REGISTERED, ComplaintStatus.HANDLING})


@transaction.atomic
def promise_complaint(
    *, complaint: Complaint, promise_date: dt.date, note: str, by: User
) -> Complaint:
    """Record a promise to the requester (or a changed promise date, kept in the events)."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    if promise_date < timezone.localdate():
        raise field_error("promise_date", _("A promise date cannot be in the past."), "past")
    if locked.status not in PROMISE_STATES:
        raise workflows.WorkflowError(
            workflows.Code.CONDITION, _("Promises are made while the complaint is open.")
        )
    old = locked.promise_date
    locked.promise_date = promise_date
    _mark_first_reply(locked, timezone.now())
    locked.save()
    text = f"{old or '-'} → {promise_date}. {note.strip()}".strip()
    action = "promise_changed" if old else "promised"
    workflows.record_event(locked, by=by, action=action, note=text)
    return locked


@transaction.atomic
def resolve_complaint(*, complaint: Complaint, result: str, by: User) -> Complaint:
    """Record the result of the handling."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    not_blank(result, "result", _("Write the result."))
    now = timezone.now()
    workflows.transition(
        locked,
        ComplaintStatus.RESOLVED,
        by=by,
        action="resolved",
        note=result.strip(),
        result=result.strip(),
        resolved_at=now,
        resolve_met=locked.resolve_due is None or now <= locked.resolve_due,
    )
    return locked


@transaction.atomic
def reply_complaint(*, complaint: Complaint, reply: str, method: str, by: User) -> Complaint:
    """Tell the requester the result (or, for an invalid complaint, the explanation)."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    not_blank(reply, "reply", _("Write the reply given to the requester."))
    not_blank(method, "reply_method", _("Say how the requester was told."))
    now = timezone.now()
    workflows.check_transition(locked, ComplaintStatus.REPLIED, by=by)
    _mark_first_reply(locked, now)
    if locked.validity == Validity.INVALID:
        locked.resolved_at = now
        locked.resolve_met = locked.resolve_due is None or now <= locked.resolve_due
    workflows.transition(
        locked,
        ComplaintStatus.REPLIED,
        by=by,
        action="replied",
        note=reply.strip(),
        reply=reply.strip(),
        reply_method=method,
        replied_at=now,
    )
    return locked


@transaction.atomic
def close_complaint(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    """Close: only with a result and a reply (an anonymous complaint needs no reply)."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    if ComplaintStatus.CLOSED in locked.next_statuses():
        # The workflow's guard (close_refusal) says the same; here with its own codes.
        if locked.validity == Validity.VALID and not locked.result:
            raise ValidationError(_("A complaint closes only with a result."), code="no_result")
        if not locked.reply and not locked.request.is_anonymous:
            raise ValidationError(_("A complaint closes only with a reply."), code="no_reply")
    workflows.check_transition(locked, ComplaintStatus.CLOSED, by=by)
    workflows.transition(
        locked, ComplaintStatus.CLOSED, by=by, action="closed", note=note, closed_at=timezone.now()
    )
    close_request_from_ticket(entry=locked.request, answer=locked.reply or locked.result, by=by)
    return locked


@transaction.atomic
def mark_complaint_visited(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    """The follow-up visit found the requester satisfied (spec §08 step 7): the complaint
    waits for the supervisor's (a major one: the director's) sign-off. Called by the visits
    app's service, which recorded the visit itself."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    workflows.transition(locked, ComplaintStatus.VISITED, by=by, action="visited", note=note)
    return locked


@transaction.atomic
def reopen_complaint(*, complaint: Complaint, note: str, by: User) -> Complaint:
    """The requester is not satisfied: back to handling."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    not_blank(note, "note", _("Say why the complaint is reopened."))
    workflows.transition(locked, ComplaintStatus.HANDLING, by=by, action="reopened", note=note)
    return locked


@transaction.atomic
def add_complaint_action(
    *, complaint: Complaint, kind: str, description: str, owner: User, due_on: dt.date, by: User
) -> ComplaintAction:
    """A corrective or preventive action with its owner and due date; neither the person the
    complaint is about adds it, nor is it theirs to own."""
    locked = _lock(complaint)
    _not_about_self(locked, by)
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose corrective or preventive.")})
    not_blank(description, "description", _("Describe the action."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    if not has_perm_in(owner, "tickets.view_complaint", locked.community):
        raise PermissionDenied(_("The owner does not work in this community."))
    ensure_different_people(actor=owner, other=locked.about_employee, rule="complaint_about_self")
    action = ComplaintAction.objects.create(
        complaint=locked, kind=kind, description=description.strip(), owner=owner, due_on=due_on
    )
    workflows.record_event(locked, by=by, action=f"action_{kind}", note=description.strip())
    return action


def escalate_to_major(*, complaint: Complaint, at: dt.datetime) -> None:
    """The SLA sweep's step: a valid complaint unresolved in time becomes major by itself.
    Its severity changes, not its state: an event by the system (no actor)."""
    old = complaint.severity
    complaint.severity = Severity.MAJOR
    complaint.escalated_at = at
    complaint.save(update_fields=["severity", "escalated_at", "updated_at"])
    workflows.record_event(complaint, by=None, action="escalated", note=f"{old} → {Severity.MAJOR}")
