"""A complaint's buttons (spec §08): classify, progress, promise, resolve, reply, close,
reopen, and a corrective or preventive action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from .. import forms, services
from ..models import Complaint, ComplaintStatus
from . import Move

if TYPE_CHECKING:
    from guanjia.core.access import User

HANDLE = "tickets.change_complaint"
OPEN = frozenset({ComplaintStatus.REGISTERED, ComplaintStatus.HANDLING})


def classify(complaint: Complaint, data: dict[str, Any], by: User) -> Complaint:
    classification = services.Classification(
        validity=data["validity"],
        severity=data["severity"],
        category=data["category"],
        department=data["department"],
        handler=data["handler"],
        invalid_reason=data["invalid_reason"],
        resolve_due=data.get("resolve_due"),
        about_employee=data.get("about_employee"),
        clear_about_employee=bool(data.get("clear_about_employee")),
    )
    return services.classify_complaint(complaint=complaint, classification=classification, by=by)


def record_progress(complaint: Complaint, data: dict[str, Any], by: User) -> Complaint:
    return services.record_progress(
        complaint=complaint, note=data["note"], told_requester=data["told_requester"], by=by
    )


def promise(complaint: Complaint, data: dict[str, Any], by: User) -> Complaint:
    return services.promise_complaint(
        complaint=complaint, promise_date=data["promise_date"], note=data["note"], by=by
    )


def resolve(complaint: Complaint, data: dict[str, Any], by: User) -> Complaint:
    return services.resolve_complaint(complaint=complaint, result=data["result"], by=by)


def reply(complaint: Complaint, data: dict[str, Any], by: User) -> Complaint:
    return services.reply_complaint(
        complaint=complaint, reply=data["reply"], method=data["reply_method"], by=by
    )


def close(complaint: Complaint, data: dict[str, Any], by: User) -> Complaint:
    return services.close_complaint(complaint=complaint, note=data["note"], by=by)


def reopen(complaint: Complaint, data: dict[str, Any], by: User) -> Complaint:
    return services.reopen_complaint(complaint=complaint, note=data["note"], by=by)


def add_action(complaint: Complaint, data: dict[str, Any], by: User) -> Any:
    return services.add_complaint_action(
        complaint=complaint,
        kind=data["kind"],
        description=data["description"],
        owner=data["owner"],
        due_on=data["due_on"],
        by=by,
    )


CLASSIFY = Move(
    "classify",
    "tickets:complaint-classify",
    _("Classify"),
    forms.ClassifyForm,
    HANDLE,
    frozenset({ComplaintStatus.REGISTERED}),
    classify,
    targets=frozenset({ComplaintStatus.HANDLING, ComplaintStatus.INVALID}),
)
PROGRESS = Move(
    "progress",
    "tickets:complaint-progress",
    _("Progress note"),
    forms.ProgressForm,
    HANDLE,
    frozenset(ComplaintStatus.values) - {ComplaintStatus.CLOSED},
    record_progress,
)
PROMISE = Move(
    "promise", "tickets:complaint-promise", _("Promise"), forms.PromiseForm, HANDLE, OPEN, promise
)
RESOLVE = Move(
    "resolve",
    "tickets:complaint-resolve",
    _("Record the result"),
    forms.ResultForm,
    HANDLE,
    frozenset({ComplaintStatus.HANDLING}),
    resolve,
    targets=frozenset({ComplaintStatus.RESOLVED}),
)
REPLY = Move(
    "reply",
    "tickets:complaint-reply",
    _("Reply"),
    forms.ReplyForm,
    HANDLE,
    frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.INVALID}),
    reply,
    targets=frozenset({ComplaintStatus.REPLIED}),
)
CLOSE = Move(
    "close",
    "tickets:complaint-close",
    _("Sign off and close"),
    forms.CloseForm,
    HANDLE,
    frozenset(
        {
            ComplaintStatus.VISITED,
            ComplaintStatus.REPLIED,
            ComplaintStatus.RESOLVED,
            ComplaintStatus.INVALID,
        }
    ),
    close,
    targets=frozenset({ComplaintStatus.CLOSED}),
)
REOPEN = Move(
    "reopen",
    "tickets:complaint-reopen",
    _("Reopen"),
    forms.NoteForm,
    HANDLE,
    frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.REPLIED, ComplaintStatus.VISITED}),
    reopen,
    targets=frozenset({ComplaintStatus.HANDLING}),
)
ACTION = Move(
    "action",
    "tickets:complaint-action",
    _("Corrective or preventive action"),
    forms.ActionForm,
    "tickets.add_complaintaction",
    frozenset(ComplaintStatus.values),
    add_action,
)

# In the order the page shows them.
BUTTONS = [CLASSIFY, PROGRESS, PROMISE, RESOLVE, REPLY, CLOSE, REOPEN, ACTION]
