"""The front desk's one step: write the contact down and open its ticket together."""

from __future__ import annotations

from django.db import transaction

from guanjia.accounts.models import User
from guanjia.core.models import Community

from ..models import RequestKind, ServiceRequest
from .complaints import open_complaint
from .register import Contact, answer_request, register_contact
from .repairs import RepairDetails, open_repair


@transaction.atomic
def take_contact(
    *,
    community: Community,
    contact: Contact,
    by: User,
    repair: RepairDetails | None = None,
    answer: str = "",
) -> ServiceRequest:
    """Register a contact; a consultation answered on the spot closes at first contact, a
    complaint or a repair opens its ticket (a repeat report with a master opens none)."""
    entry = register_contact(community=community, contact=contact, by=by)
    if contact.master is not None:
        return entry
    if contact.kind == RequestKind.COMPLAINT:
        open_complaint(entry=entry, by=by, about_employee=contact.about_employee)
    elif contact.kind == RequestKind.REPAIR and repair is not None:
        open_repair(entry=entry, details=repair, by=by)
    elif contact.kind == RequestKind.CONSULTATION and answer.strip():
        entry = answer_request(entry=entry, answer=answer, by=by, first_contact=True)
    return entry
