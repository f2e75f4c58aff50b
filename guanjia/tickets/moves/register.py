"""A register entry's buttons: the answer given to the requester, a letter's written reply
(draft, check, approve) and attachments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from .. import forms, services
from ..models import RequestStatus, ServiceRequest
from . import Move

if TYPE_CHECKING:
    from guanjia.core.access import User

OPEN = frozenset({RequestStatus.OPEN})
ANSWER_PERM = "tickets.change_servicerequest"
DRAFT_PERM = "tickets.change_servicerequest"
CHECK_PERM = "tickets.check_letter"
APPROVE_PERM = "tickets.approve_letter"
ATTACH_PERM = "tickets.change_servicerequest"


def answer(entry: ServiceRequest, data: dict[str, Any], by: User) -> ServiceRequest:
    return services.answer_request(entry=entry, answer=data["answer"], by=by)


def draft_letter(entry: ServiceRequest, data: dict[str, Any], by: User) -> ServiceRequest:
    return services.draft_letter_reply(entry=entry, text=data["text"], by=by)


def check_letter(entry: ServiceRequest, data: dict[str, Any], by: User) -> ServiceRequest:
    return services.check_letter_reply(entry=entry, by=by)


def approve_letter(entry: ServiceRequest, data: dict[str, Any], by: User) -> ServiceRequest:
    return services.approve_letter_reply(entry=entry, by=by)


def attach(entry: ServiceRequest, data: dict[str, Any], by: User) -> Any:
    return services.add_attachment(entry=entry, upload=data["file"], by=by)


ANSWER = Move(
    "answer",
    "tickets:request-answer",
    _("Record the answer"),
    forms.AnswerForm,
    ANSWER_PERM,
    OPEN,
    answer,
)
LETTER_DRAFT = Move(
    "draft",
    "tickets:letter-draft",
    _("Save the draft"),
    forms.LetterDraftForm,
    DRAFT_PERM,
    OPEN,
    draft_letter,
)
LETTER_CHECK = Move(
    "check", "tickets:letter-check", _("Checked"), forms.EmptyForm, CHECK_PERM, OPEN, check_letter
)
LETTER_APPROVE = Move(
    "approve",
    "tickets:letter-approve",
    _("Approve and send"),
    forms.EmptyForm,
    APPROVE_PERM,
    OPEN,
    approve_letter,
)
ATTACHMENT = Move(
    "attachment",
    "tickets:attachment-add",
    _("Attach"),
    forms.AttachmentForm,
    ATTACH_PERM,
    OPEN,
    attach,
)

# What the entry's page may offer, by the name its template uses.
LETTER_STEPS = {"draft": LETTER_DRAFT, "check": LETTER_CHECK, "approve": LETTER_APPROVE}
