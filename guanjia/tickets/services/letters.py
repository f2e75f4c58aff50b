"""Letters (来函): a written reply drafted, checked by the supervisor, approved by the director,
within the policy's working days; and the files that came with a contact."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.accounts.services.separation import (
    SEPARATION_RULES,
    ensure_different_people,
    register_separation_rule,
)
from guanjia.core import workflows
from guanjia.core.calendars.selectors import add_working_days
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES_AND_PDF
from guanjia.core.policies.selectors import policy

from ..models import Channel, LetterStatus, RequestAttachment, RequestStatus, ServiceRequest
from ._common import field_error, not_blank

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = PICTURES_AND_PDF

if "letter_check" not in SEPARATION_RULES:
    register_separation_rule(
        "letter_check", gettext_lazy("The person who drafted a written reply cannot check it.")
    )


def letter_due(entry: ServiceRequest) -> dt.date:
    """The day the written reply is due: N working days after the day received."""
    days = policy(entry.community, "contact.letter_reply_workdays")
    received = timezone.localdate(entry.received_at)
    return add_working_days(received, days, community=entry.community)


def _lock_letter(entry: ServiceRequest) -> ServiceRequest:
    locked: ServiceRequest = workflows.lock(entry)
    if locked.channel != Channel.LETTER:
        raise ValidationError(_("Only a letter gets a written reply."), code="not_letter")
    if locked.status == RequestStatus.CLOSED:
        raise ValidationError(_("This entry is already closed."), code="closed")
    return locked


LETTER = "letter_status"  # the written reply's workflow (models/requests.py, LETTER_MOVES)


@transaction.atomic
def draft_letter_reply(*, entry: ServiceRequest, text: str, by: User) -> ServiceRequest:
    """Write (or rewrite) the reply; a rewrite goes through checking again.

    `letter_checked_by` is who checked the *current* draft: a redraft has none yet. Who
    checked each earlier draft stays in the events (the `letter_checked` event's actor, and
    `checked_by_before` on the redraft's `letter_drafted` event), shown on the entry's page."""
    locked = _lock_letter(entry)
    not_blank(text, "text", _("Write the reply."))
    if locked.letter_status == LetterStatus.APPROVED:
        raise ValidationError(_("The reply is already approved."), code="approved")
    redraft_of = locked.letter_checked_by_id
    workflows.transition(
        locked,
        LetterStatus.DRAFTED,
        by=by,
        field=LETTER,
        action="letter_drafted",
        note=text.strip(),
        data={"checked_by_before": redraft_of} if redraft_of else None,
        letter_reply=text.strip(),
        letter_drafted_by=by,
        letter_checked_by=None,  # the current draft is not checked yet
    )
    return locked


@transaction.atomic
def check_letter_reply(*, entry: ServiceRequest, by: User) -> ServiceRequest:
    """The supervisor checks the draft (not the person who drafted it)."""
    locked = _lock_letter(entry)
    if locked.letter_status != LetterStatus.DRAFTED:
        raise workflows.WorkflowError(
            workflows.Code.CONDITION, _("Only a drafted reply can be checked.")
        )
    ensure_different_people(actor=by, other=locked.letter_drafted_by, rule="letter_check")
    workflows.transition(
        locked,
        LetterStatus.CHECKED,
        by=by,
        field=LETTER,
        action="letter_checked",
        letter_checked_by=by,
    )
    return locked


@transaction.atomic
def approve_letter_reply(*, entry: ServiceRequest, by: User) -> ServiceRequest:
    """The director approves the checked reply: it is sent and the entry closes (one event:
    the entry's close, with the reply's approval checked against its own table first)."""
    locked = _lock_letter(entry)
    if locked.letter_status != LetterStatus.CHECKED:
        raise workflows.WorkflowError(
            workflows.Code.CONDITION, _("Only a checked reply can be approved.")
        )
    workflows.check_transition(locked, LetterStatus.APPROVED, by=by, field=LETTER)
    now = timezone.now()
    if locked.letter_due is not None and timezone.localdate(now) > locked.letter_due:
        locked.letter_reply_missed = True  # approved after its deadline: the sweep may not have run
    workflows.transition(
        locked,
        RequestStatus.CLOSED,
        by=by,
        action="letter_approved",
        note=locked.letter_reply,
        letter_status=LetterStatus.APPROVED,
        letter_approved_by=by,
        answer=locked.letter_reply,
        answered_at=now,
        answered_by=by,
    )
    return locked


@transaction.atomic
def add_attachment(*, entry: ServiceRequest, upload: UploadedFile, by: User) -> RequestAttachment:
    """A file with the contact: PDF or picture, at most 10 MB."""
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise field_error("file", _("The file is larger than 10 MB."), "too_large")
    checked = check_upload(upload, ATTACHMENT_TYPES, field="file")
    return RequestAttachment.objects.create(
        entry=entry,
        file=checked.file,
        original_name=checked.original_name,
        content_type=checked.type.content_type,
        size=checked.size,
        uploaded_by=by,
    )
