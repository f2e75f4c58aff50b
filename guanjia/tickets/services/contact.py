"""The resident to call about a repair job: shown masked to whoever sees the order, revealed
(a tel: link) to the people who work the job while it is open, each reveal logged in the
personal-data access log (estates.PersonalDataAccess, when the requester is a registered
person) and on the job's timeline (issue 11: a need-to-know use)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core import workflows
from guanjia.core.personal_data import mask_phone
from guanjia.estates.models import PersonalDataAccess
from guanjia.estates.models.people import PiiField

from ..models import RepairOrder
from ..models.repairs import works_the_job


@dataclass(frozen=True)
class JobContact:
    """Who to call about a job: the name and the phone, masked unless revealed."""

    name: str
    phone: str
    revealed: bool = False

    @property
    def has_phone(self) -> bool:
        return bool(self.phone)


def _contact_of(order: RepairOrder) -> tuple[str, str]:
    entry = order.request
    if entry is None or entry.is_anonymous:
        return "", ""
    person = entry.person
    phone = entry.requester_phone or (person.mobile or person.other_phone if person else "")
    return entry.requester, phone


def job_contact(order: RepairOrder) -> JobContact:
    """The contact as everybody who sees the order sees it: the name, the phone masked."""
    name, phone = _contact_of(order)
    return JobContact(name=name, phone=mask_phone(phone))


def may_call(user: User, order: RepairOrder) -> bool:
    """The job's technician (or whoever dispatches repairs here) while the job is open."""
    return order.status not in RepairOrder.FINAL_STATUSES and works_the_job(user, order)


@transaction.atomic
def reveal_job_contact(*, order: RepairOrder, by: User) -> JobContact:
    """The contact's phone in full for the people who work the job, logged: in the personal
    data access log (the number itself never) and as an event of the job."""
    if order.status in RepairOrder.FINAL_STATUSES:
        raise ValidationError(_("The job is over: its contact is no longer shown."), code="final")
    if not works_the_job(by, order):
        raise workflows.WorkflowDenied(
            workflows.Code.NOT_PERMITTED,
            _("Only the technician of this job can call the resident."),
        )
    name, phone = _contact_of(order)
    if not phone:
        raise ValidationError(_("No phone was given for this job."), code="no_phone")
    entry = order.request
    person = entry.person if entry is not None else None
    reason = _("Repair order %(number)s: call the resident about the job") % {
        "number": order.number
    }
    if person is not None and phone in (person.mobile, person.other_phone):
        field = PiiField.MOBILE if phone == person.mobile else PiiField.OTHER_PHONE
        PersonalDataAccess.objects.create(
            community=order.community,
            person=person,
            unit=order.unit,
            field=field,
            reason=reason[:200],
            accessed_by=by,
            at=timezone.now(),
        )
    workflows.record_event(order, by=by, action="contact_revealed", note=mask_phone(phone))
    return JobContact(name=name, phone=phone, revealed=True)
