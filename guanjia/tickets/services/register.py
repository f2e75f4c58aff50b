"""The service register: every contact is written down and every request gets an answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core import workflows
from guanjia.core.models import Community
from guanjia.core.numbering.services import next_number
from guanjia.estates.models import Person, Unit

from ..models import Channel, RequestKind, RequestStatus, ServiceRequest


@dataclass(frozen=True)
class Contact:
    """What the front desk writes down about one contact."""

    channel: str
    kind: str
    content: str
    unit: Unit | None = None
    person: Person | None = None
    is_anonymous: bool = False
    requester_name: str = ""
    requester_phone: str = ""
    received_at: dt.datetime | None = None
    master: ServiceRequest | None = None  # a repeat report of this entry's matter
    subject: str = ""  # a letter's subject
    about_employee: User | None = None  # a complaint about a staff member


def _check_contact(community: Community, contact: Contact) -> None:
    errors: dict[str, str] = {}
    if not contact.content.strip():
        errors["content"] = _("Write down what the requester said.")
    for name, obj in (("unit", contact.unit), ("person", contact.person)):
        if obj is not None and obj.community_id != community.pk:
            errors[name] = _("There is no such record in this community.")
    if contact.received_at is not None and contact.received_at > timezone.now():
        errors["received_at"] = _("The time received cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register_contact(*, community: Community, contact: Contact, by: User) -> ServiceRequest:
    """Write a contact into the register. A repeat report links to its master entry."""
    _check_contact(community, contact)
    master = contact.master
    if master is not None and master.community_id != community.pk:
        raise ValidationError({"master": _("There is no such record in this community.")})
    entry = ServiceRequest(
        community=community,
        channel=contact.channel,
        kind=contact.kind,
        content=contact.content.strip(),
        unit=contact.unit,
        person=contact.person,
        is_anonymous=contact.is_anonymous,
        requester_name="" if contact.is_anonymous else contact.requester_name,
        requester_phone="" if contact.is_anonymous else contact.requester_phone,
        received_by=by,
        received_at=contact.received_at or timezone.now(),
        master=master,
        subject=contact.subject.strip(),
    )
    entry.full_clean(exclude=["number"])
    if entry.channel == Channel.LETTER:
        from .letters import letter_due

        entry.letter_due = letter_due(entry)
    entry.number = str(next_number(community=community, kind="service_request"))
    entry.save()
    workflows.record_creation(entry, by=by, action="registered")
    return entry


@transaction.atomic
def answer_request(
    *, entry: ServiceRequest, answer: str, by: User, first_contact: bool = False
) -> ServiceRequest:
    """Give the requester an answer and close the entry (a consultation answered on the spot
    closes at first contact)."""
    entry = workflows.lock(entry)
    if entry.status == RequestStatus.CLOSED:
        raise ValidationError(_("This entry is already closed."), code="closed")
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer given to the requester.")})
    if entry.kind in (RequestKind.COMPLAINT, RequestKind.REPAIR) and entry.master_id is None:
        raise ValidationError(
            _("Complaints and repairs are answered through their ticket."), code="has_ticket"
        )
    if entry.channel == Channel.LETTER:
        raise ValidationError(
            _("A letter is answered by its written reply, checked and approved."), code="letter"
        )
    workflows.transition(
        entry,
        RequestStatus.CLOSED,
        by=by,
        action="answered",
        note=answer.strip(),
        answer=answer.strip(),
        answered_at=timezone.now(),
        answered_by=by,
        closed_at_first_contact=first_contact and entry.kind == RequestKind.CONSULTATION,
    )
    return entry


@transaction.atomic
def close_request_from_ticket(*, entry: ServiceRequest, answer: str, by: User) -> None:
    """Called by the ticket's own workflow when it closes: the register entry closes too.
    A ticket closed again (a complaint reopened and closed) updates the answer and says so
    in an event; the entry stays closed."""
    locked = workflows.lock(entry)
    answered: dict[str, Any] = {"answer": answer, "answered_at": timezone.now(), "answered_by": by}
    if locked.status == RequestStatus.CLOSED:
        for name, value in answered.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*answered, "updated_at"])
        workflows.record_event(locked, by=by, action="answer_changed", note=answer)
        return
    workflows.transition(
        locked, RequestStatus.CLOSED, by=by, action="closed", note=answer, **answered
    )
