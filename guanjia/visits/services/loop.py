"""The closed loop (spec §08, §14): what a recorded visit does to its ticket, always through
the tickets app's services, and who is told."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from guanjia.core.access import User, staff_holding
from guanjia.core.notifications.services import notify
from guanjia.core.policies.selectors import policy
from guanjia.tickets import services as tickets
from guanjia.tickets.models import (
    Channel,
    Complaint,
    ComplaintStatus,
    RepairOrder,
    RepairStatus,
    RequestKind,
)

from ..models import Answer, Method, Visit, VisitStatus

REOPENABLE = frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.REPLIED, ComplaintStatus.VISITED})
VISITABLE = frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.REPLIED})
CHANNEL_OF_METHOD: dict[str, str] = {
    Method.PHONE: Channel.PHONE,
    Method.IN_PERSON: Channel.VISIT,
    Method.LETTER: Channel.LETTER,
    Method.QUESTIONNAIRE: Channel.LETTER,
}


def close_the_loop(visit: Visit, *, by: User) -> None:
    """Satisfied: a complaint waits for its sign-off. Dissatisfied: the ticket is reopened
    (a repair gets its repeat repair; otherwise a new complaint) and the supervisors are told;
    a second dissatisfied visit of one ticket goes to the director."""
    if visit.satisfaction != Answer.DISSATISFIED:
        if visit.complaint is not None and visit.complaint.status in VISITABLE:
            tickets.mark_complaint_visited(
                complaint=visit.complaint,
                by=by,
                note=_("Follow-up visit: %(answer)s")
                % {"answer": visit.get_satisfaction_display()},
            )
        return
    note = _("Dissatisfied at the follow-up visit: %(comments)s") % {"comments": visit.comments}
    _reopen(visit, note=note, by=by)
    _escalate(visit)


def close_repair_if_waiting(visit: Visit, *, by: User | None) -> None:
    """Where a repair closes only after its visit (spec §15, `visit.repair_close_after_visit`):
    the visit is made (answered, declined or unreachable), so the order closes, through the
    tickets app's service. Otherwise the repair closed at its verification and the visit
    followed it."""
    if visit.repair is not None:
        close_verified_repair(visit.repair, by=by, note=_("Follow-up visit made."))


def close_verified_repair(order: RepairOrder, *, by: User | None, note: str) -> bool:
    """Close a verified order where the community's policy waits for the visit."""
    if order.status != RepairStatus.VERIFIED:
        return False
    if not policy(order.community, "visit.repair_close_after_visit"):
        return False
    tickets.close_repair_after_visit(order=order, by=by, note=note)
    return True


def _reopen(visit: Visit, *, note: str, by: User) -> None:
    complaint = visit.complaint
    if complaint is not None and complaint.status in REOPENABLE:
        tickets.reopen_complaint(complaint=complaint, note=note, by=by)
        return
    if complaint is not None and complaint.status != ComplaintStatus.CLOSED:
        return  # already back in handling: the escalation tells the supervisors
    if visit.repair is not None:
        try:
            visit.rework = tickets.open_rework(order=visit.repair, note=note, by=by)
        except ValidationError:
            pass  # past the rework window: the dissatisfaction becomes a complaint below
        else:
            visit.save(update_fields=["rework", "updated_at"])
            return
    visit.new_complaint = _new_complaint(visit, note=note, by=by)
    visit.save(update_fields=["new_complaint", "updated_at"])


def _new_complaint(visit: Visit, *, note: str, by: User) -> Complaint:
    contact = tickets.Contact(
        channel=CHANNEL_OF_METHOD.get(visit.method, Channel.PHONE),
        kind=RequestKind.COMPLAINT,
        content=f"{visit.ticket_number} {note}".strip(),
        unit=visit.unit,
        requester_name=visit.person_name,
        requester_phone=visit.phone,
    )
    entry = tickets.register_contact(community=visit.community, contact=contact, by=by)
    return tickets.open_complaint(entry=entry, by=by)


def dissatisfied_visits(visit: Visit) -> int:
    """How many visits of this visit's ticket found the resident dissatisfied."""
    ticket = (
        Q(complaint=visit.complaint_id)
        if visit.complaint_id
        else Q(repair=visit.repair_id)
        if visit.repair_id
        else Q(request=visit.request_id)
    )
    answered = Q(status=VisitStatus.ESCALATED) | Q(
        status=VisitStatus.REVIEWED, satisfaction=Answer.DISSATISFIED
    )
    return Visit.objects.filter(ticket, answered).count()


def _escalate(visit: Visit) -> None:
    second = dissatisfied_visits(visit) >= 2
    perm = "visits.make_director_visit" if second else "visits.review_visit"
    event = "visit.dissatisfied_again" if second else "visit.dissatisfied"
    community = visit.community
    link = reverse("visits:visit-detail", kwargs={"pk": visit.pk})
    context = {
        "number": visit.ticket_number,
        "kind": visit.get_kind_display(),
        "comments": visit.comments[:200],
    }
    for person in staff_holding([perm], company_id=community.company_id, community_id=community.pk):
        notify(person, event, context, community=community, link=link)
